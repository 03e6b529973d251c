package io.userpipeline.ingestor.schedule;

import java.time.Instant;

/**
 * What an operator asks of the ingestor: is it scheduled, is a run going on (which: {@code currentRunId}), how did
 * the last run go, what went wrong last. Served at {@code GET /ingestion/status}; {@code GET /ingestion/runs} has
 * the last runs in full.
 */
public record IngestionStatus(
        String source,
        String schedule,
        boolean paused,
        boolean running,
        String currentRunId,
        RunSummary lastRun,
        Totals totals,
        LastError lastError) {

    public record RunSummary(long number, String id, Instant startedAt, Instant finishedAt, long durationMillis,
            long fetched, long published, long failed, RunOutcome outcome) {
    }

    public record Totals(long runs, long fetched, long published, long failed) {
    }

    public record LastError(Instant at, long run, String runId, String message) {
    }
}
