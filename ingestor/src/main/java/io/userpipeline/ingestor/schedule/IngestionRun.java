package io.userpipeline.ingestor.schedule;

import java.time.Instant;
import java.util.List;

/**
 * One ingestion run as {@code GET /ingestion/runs} and {@code GET /ingestion/runs/{id}} show it, finished or still
 * going on: its id, what started it, what it was asked to do, when, how it ended (or {@value #RUNNING}), its counts
 * so far and its first problem.
 *
 * @param id         the run's id: 16 lower-case letters and digits, in the order the runs started
 * @param number     the run's number since the service started, as in {@code GET /ingestion/status}
 * @param finishedAt null while the run goes on
 * @param durationMs so far, while the run goes on
 * @param outcome    a {@link RunOutcome}'s wire name, or {@value #RUNNING}
 * @param error      the run's first problem in words, or null
 */
public record IngestionRun(String id, long number, StartedBy startedBy, Plan plan, Instant startedAt, Instant finishedAt,
        long durationMs, String outcome, Counts counts, String error) {

    /** The outcome of a run still going on. */
    public static final String RUNNING = "running";

    /**
     * @param profiles profiles the run fetches: {@code ingestion.batch-size}, or the trigger's {@code profiles}
     * @param maxRate  profiles per second at most, or null for no limit
     */
    public record Plan(int profiles, Integer maxRate) {
    }

    /**
     * @param failed        not published, for either reason: {@code unmappable + publishFailed}
     * @param unmappable    fetched profiles that could not become an event
     * @param publishFailed events Kafka did not acknowledge
     */
    public record Counts(long fetched, long published, long failed, long unmappable, long publishFailed) {
    }

    /** The answer of {@code GET /ingestion/runs}: the runs kept, the newest first, and how many are kept at most. */
    public record History(int historySize, List<IngestionRun> runs) {
    }
}
