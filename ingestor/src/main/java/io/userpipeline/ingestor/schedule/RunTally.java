package io.userpipeline.ingestor.schedule;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.userpipeline.event.UserEvent;

/**
 * The accounts of one run: every profile fetched ends published or failed with a reason, and the run keeps the
 * first problem in words an operator can act on. Updated from several threads as Kafka's acknowledgements arrive.
 */
final class RunTally {

    private final long run;
    private final String source;
    private final IngestionMetrics metrics;
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong unmappable = new AtomicLong();
    private final AtomicLong publishFailed = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();
    private volatile boolean sourceFailed;
    private volatile boolean kafkaUnreachable;
    private volatile boolean sourceAnsweredNothing;

    RunTally(long run, String source, IngestionMetrics metrics) {
        this.run = run;
        this.source = source;
        this.metrics = metrics;
    }

    long run() {
        return run;
    }

    /** Counts a page of {@code profiles} fetched and returns the run's index of its first profile. */
    long fetchedPage(int profiles) {
        metrics.fetched(profiles);
        return fetched.getAndAdd(profiles);
    }

    void unmappable(long profileIndex, String why) {
        unmappable.incrementAndGet();
        metrics.unmappable();
        firstProblem.compareAndSet(null, "profile " + profileIndex + " of run " + run + " from " + source
                + " was not published: " + why);
    }

    void published() {
        published.incrementAndGet();
        metrics.published();
    }

    void publishFailed(UserEvent event, Throwable failure) {
        publishFailed.incrementAndGet();
        metrics.publishFailed();
        firstProblem.compareAndSet(null, "Kafka did not acknowledge event " + event.eventId() + " (user "
                + event.userId() + "): " + failure + ". This run does not publish such events again; check that"
                + " Kafka is reachable (GET /q/health/ready). The profiles' users come again with later fetches only"
                + " if the source repeats them.");
    }

    void sourceFailed(Throwable failure) {
        sourceFailed = true;
        // The source failing ends the run early: that is the problem to report, whatever came before.
        firstProblem.set("the " + source + " source failed after " + fetched.get() + " profiles: "
                + failure.getMessage());
    }

    void kafkaUnreachable(Throwable failure) {
        kafkaUnreachable = true;
        firstProblem.set(failure.getMessage() + " Run " + run + " fetched nothing; the next run tries again.");
    }

    /**
     * The run has ended, having asked the source for {@code asked} profiles: if the source, without failing, gave none
     * at all (an empty {@code results} list), the run is {@link RunOutcome#EMPTY} and says so.
     */
    void ended(int asked) {
        if (!kafkaUnreachable && !sourceFailed && fetched.get() == 0) {
            sourceAnsweredNothing = true;
            firstProblem.compareAndSet(null, "the " + source + " source answered no profiles at all for the " + asked
                    + " run " + run + " asked for (an empty results list, as randomuser.me answers during an outage);"
                    + " nothing was published. The next run asks again.");
        }
    }

    long fetchedCount() {
        return fetched.get();
    }

    long publishedCount() {
        return published.get();
    }

    long failedCount() {
        return unmappable.get() + publishFailed.get();
    }

    long unmappableCount() {
        return unmappable.get();
    }

    long publishFailedCount() {
        return publishFailed.get();
    }

    /** The first problem of the run, or null if it had none. */
    String firstProblem() {
        return firstProblem.get();
    }

    RunOutcome outcome() {
        if (kafkaUnreachable) {
            return RunOutcome.KAFKA_UNREACHABLE;
        }
        if (sourceFailed) {
            return RunOutcome.SOURCE_FAILED;
        }
        if (sourceAnsweredNothing) {
            return RunOutcome.EMPTY;
        }
        if (failedCount() == 0) {
            return RunOutcome.SUCCEEDED;
        }
        return publishedCount() == 0 ? RunOutcome.FAILED : RunOutcome.PARTLY_FAILED;
    }
}
