package io.userpipeline.ingestor.schedule;

import java.time.Instant;

/**
 * What an operator asks of the ingestor: is it scheduled, is a run going on, how did the last run go, what
 * went wrong last. Served at {@code GET /ingestion/status}.
 */
public record IngestionStatus(
        String source,
        String schedule,
        boolean paused,
        boolean running,
        RunSummary lastRun,
        Totals totals,
        LastError lastError) {

    public record RunSummary(long number, Instant startedAt, Instant finishedAt, long durationMillis, long fetched,
            long published, long failed, RunOutcome outcome) {
    }

    public record Totals(long runs, long fetched, long published, long failed) {
    }

    public record LastError(Instant at, long run, String message) {
    }
}
