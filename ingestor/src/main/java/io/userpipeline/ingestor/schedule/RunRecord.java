package io.userpipeline.ingestor.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * One run as the history keeps it: what started it and what it was asked, its accounts as they grow, and how it
 * ended. Read from any thread while the run updates it.
 */
final class RunRecord {

    private record Ending(Instant at, RunOutcome outcome, String error) {
    }

    private final String id;
    private final StartedBy startedBy;
    private final IngestionRunner.RunPlan plan;
    private final Instant startedAt;
    private final RunTally tally;
    private volatile Ending ending;

    RunRecord(String id, StartedBy startedBy, IngestionRunner.RunPlan plan, Instant startedAt, RunTally tally) {
        this.id = id;
        this.startedBy = startedBy;
        this.plan = plan;
        this.startedAt = startedAt;
        this.tally = tally;
    }

    String id() {
        return id;
    }

    boolean isFinished() {
        return ending != null;
    }

    /** The run ended with its tally's outcome and first problem. */
    synchronized void finished(Instant at, RunOutcome outcome) {
        ending = new Ending(at, outcome, tally.firstProblem());
    }

    /** The run stopped before it could finish (a bug, or the service stopping): failed, with why, unless it ended. */
    synchronized void stopped(Instant at, String why) {
        if (ending == null) {
            ending = new Ending(at, RunOutcome.FAILED, why);
        }
    }

    IngestionRun view(Instant now) {
        Ending end = ending;
        Instant until = end == null ? now : end.at();
        return new IngestionRun(id, tally.run(), startedBy,
                new IngestionRun.Plan(plan.profiles(), plan.maxRate().orElse(null)), startedAt,
                end == null ? null : end.at(), Math.max(0, Duration.between(startedAt, until).toMillis()),
                end == null ? IngestionRun.RUNNING : end.outcome().wireName(),
                new IngestionRun.Counts(tally.fetchedCount(), tally.publishedCount(), tally.failedCount(),
                        tally.unmappableCount(), tally.publishFailedCount()),
                end == null ? tally.firstProblem() : end.error());
    }
}
