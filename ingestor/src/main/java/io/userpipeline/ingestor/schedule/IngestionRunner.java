package io.userpipeline.ingestor.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.userpipeline.event.UserEvent;
import io.userpipeline.ingestor.IngestionConfig;
import io.userpipeline.ingestor.publish.KafkaReachability;
import io.userpipeline.ingestor.publish.UserEventPublisher;
import io.userpipeline.ingestor.source.PacedPages;
import io.userpipeline.randomuser.ProfileMapper;
import io.userpipeline.ingestor.source.ProfileSource;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * One ingestion run: fetch a batch from the source, map every profile to a user event, publish them with at
 * most {@code ingestion.max-in-flight} unacknowledged at a time, and account for every profile: published,
 * or failed with the reason. Runs never overlap.
 */
@ApplicationScoped
public class IngestionRunner {

    private static final Duration PUBLISH_RETRY_FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration PUBLISH_RETRY_MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(IngestionRunner.class);

    private final ProfileSource source;
    private final UserEventPublisher publisher;
    private final KafkaReachability kafka;
    private final IngestionConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong runNumber = new AtomicLong();
    private final AtomicLong totalFetched = new AtomicLong();
    private final AtomicLong totalPublished = new AtomicLong();
    private final AtomicLong totalFailed = new AtomicLong();
    private final AtomicReference<IngestionStatus.RunSummary> lastRun = new AtomicReference<>();
    private final AtomicReference<IngestionStatus.LastError> lastError = new AtomicReference<>();

    private final Counter fetchedCounter;
    private final Counter publishedCounter;
    private final Counter unmappableCounter;
    private final Counter publishFailedCounter;
    private final MeterRegistry registry;
    private final Timer runTimer;

    IngestionRunner(ProfileSource source, UserEventPublisher publisher, KafkaReachability kafka, IngestionConfig config,
            MeterRegistry registry) {
        this.source = source;
        this.publisher = publisher;
        this.kafka = kafka;
        this.config = config;
        this.registry = registry;
        Tags sourceTag = Tags.of("source", source.name());
        this.fetchedCounter = Counter.builder("ingestion.records.fetched").tags(sourceTag)
                .description("Profiles fetched from the source").register(registry);
        this.publishedCounter = Counter.builder("ingestion.records.published").tags(sourceTag)
                .description("User events acknowledged by Kafka").register(registry);
        this.unmappableCounter = Counter.builder("ingestion.records.failed").tags(sourceTag).tag("reason", "unmappable")
                .description("Profiles not published, by reason").register(registry);
        this.publishFailedCounter = Counter.builder("ingestion.records.failed").tags(sourceTag).tag("reason", "publish")
                .description("Profiles not published, by reason").register(registry);
        this.runTimer = Timer.builder("ingestion.run.duration").tags(sourceTag)
                .description("Duration of ingestion runs").register(registry);
    }

    public String sourceName() {
        return source.name();
    }

    public boolean isRunning() {
        return running.get();
    }

    /**
     * How many profiles a run fetches and how fast it may publish them: {@code ingestion.batch-size} and
     * {@code ingestion.max-rate}, or an operator's choice for one triggered run.
     */
    public record RunPlan(int profiles, Optional<Integer> maxRate) {
    }

    /** A run as configured: what the schedule starts. */
    public RunPlan configuredPlan() {
        return new RunPlan(config.batchSize(), config.maxRate());
    }

    public Optional<Uni<IngestionStatus.RunSummary>> tryStart() {
        return tryStart(configuredPlan());
    }

    /**
     * Claims the right to run now and returns the run, which the caller must subscribe to; empty while another
     * run is going on.
     */
    public Optional<Uni<IngestionStatus.RunSummary>> tryStart(RunPlan plan) {
        if (!running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        long number = runNumber.incrementAndGet();
        Instant startedAt = Instant.now();
        RunCounters counters = new RunCounters(number);
        return Optional.of(kafka.check().chain(() -> paced(source.fetch(plan.profiles()), plan.maxRate())
                        // Making and mapping profiles is CPU work: page by page on worker threads, not on the event
                        // loop or Kafka's callback threads.
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onFailure().recoverWithMulti(failure -> {
                            counters.sourceFailed(failure);
                            return Multi.createFrom().empty();
                        })
                        .onItem().transformToIterable(counters::toEvents)
                        .onItem().transformToUni(event -> publisher.publish(event)
                                // Kafka away for a while (a broker restart) fails the records in flight once
                                // delivery.timeout.ms has passed; they are sent again, same event id, until Kafka
                                // takes them or the run gives up on them.
                                .onFailure(IngestionRunner::isWorthRetrying).retry()
                                .withBackOff(PUBLISH_RETRY_FIRST_BACKOFF, PUBLISH_RETRY_MAX_BACKOFF)
                                .expireIn(config.publishRetryFor().toMillis())
                                .onItem().invoke(counters::published)
                                .onFailure().recoverWithItem(failure -> {
                                    counters.publishFailed(event, failure);
                                    return null;
                                }))
                        .merge(config.maxInFlight())
                        .onItem().ignoreAsUni())
                .onFailure(KafkaReachability.KafkaUnreachableException.class).recoverWithItem(unreachable -> {
                    counters.kafkaUnreachable(unreachable);
                    return null;
                })
                .map(ignored -> finish(counters, startedAt))
                .onFailure().invoke(failure -> LOG.errorf(failure, "Run %d stopped unexpectedly; its counts are lost."
                        + " The next run starts afresh.", number))
                .eventually(() -> running.set(false)));
    }

    private static Multi<List<RandomUserProfile>> paced(Multi<List<RandomUserProfile>> pages, Optional<Integer> maxRate) {
        return maxRate.map(perSecond -> PacedPages.pace(pages, perSecond)).orElse(pages);
    }

    /** A record Kafka cannot take as it is (too large, not serializable) fails the same way every time. */
    private static boolean isWorthRetrying(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException || cause instanceof SerializationException) {
                return false;
            }
        }
        return true;
    }

    public IngestionStatus.Totals totals() {
        return new IngestionStatus.Totals(runNumber.get(), totalFetched.get(), totalPublished.get(), totalFailed.get());
    }

    public IngestionStatus.RunSummary lastRun() {
        return lastRun.get();
    }

    public IngestionStatus.LastError lastError() {
        return lastError.get();
    }

    private IngestionStatus.RunSummary finish(RunCounters counters, Instant startedAt) {
        Instant finishedAt = Instant.now();
        Duration duration = Duration.between(startedAt, finishedAt);
        String outcome = counters.outcome();
        IngestionStatus.RunSummary summary = new IngestionStatus.RunSummary(counters.number, startedAt, finishedAt,
                duration.toMillis(), counters.fetched.get(), counters.published.get(), counters.failed(), outcome);
        lastRun.set(summary);
        totalFetched.addAndGet(summary.fetched());
        totalPublished.addAndGet(summary.published());
        totalFailed.addAndGet(summary.failed());
        runTimer.record(duration);
        Counter.builder("ingestion.runs").tag("source", source.name()).tag("outcome", outcome)
                .description("Ingestion runs, by outcome").register(registry).increment();
        String line = String.format("Run %d (%s): fetched %d, published %d, failed %d in %.2f s",
                counters.number, source.name(), summary.fetched(), summary.published(), summary.failed(),
                duration.toNanos() / 1e9);
        String error = counters.firstError.get();
        if (error == null) {
            LOG.info(line);
        } else {
            lastError.set(new IngestionStatus.LastError(finishedAt, counters.number, error));
            LOG.warnf("%s. First problem: %s", line, error);
        }
        return summary;
    }

    /** Counts of one run; updated from several threads as acknowledgements arrive. */
    private final class RunCounters {
        final long number;
        final AtomicLong fetched = new AtomicLong();
        final AtomicLong published = new AtomicLong();
        final AtomicLong unmappable = new AtomicLong();
        final AtomicLong publishFailed = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        volatile boolean sourceFailed;
        volatile boolean kafkaUnreachable;

        RunCounters(long number) {
            this.number = number;
        }

        List<UserEvent> toEvents(List<RandomUserProfile> page) {
            long firstIndex = fetched.getAndAdd(page.size());
            fetchedCounter.increment(page.size());
            Instant ingestedAt = Instant.now();
            List<UserEvent> events = new ArrayList<>(page.size());
            for (int i = 0; i < page.size(); i++) {
                RandomUserProfile profile = page.get(i);
                try {
                    if (profile == null) {
                        throw new ProfileMapper.UnmappableProfileException("the profile is null");
                    }
                    events.add(ProfileMapper.toEvent(profile, UUID.randomUUID(), source.name(), ingestedAt));
                } catch (ProfileMapper.UnmappableProfileException e) {
                    unmappable.incrementAndGet();
                    unmappableCounter.increment();
                    firstError.compareAndSet(null, "profile " + (firstIndex + i) + " of run " + number + " from "
                            + source.name() + " was not published: " + e.getMessage());
                }
            }
            return events;
        }

        void published() {
            published.incrementAndGet();
            publishedCounter.increment();
        }

        void publishFailed(UserEvent event, Throwable failure) {
            publishFailed.incrementAndGet();
            publishFailedCounter.increment();
            firstError.compareAndSet(null, "Kafka did not acknowledge event " + event.eventId() + " (user "
                    + event.userId() + "): " + failure + ". This run does not publish such events again; check that"
                    + " Kafka is reachable (GET /q/health/ready). The profiles' users come again with later fetches only"
                    + " if the source repeats them.");
        }

        void sourceFailed(Throwable failure) {
            sourceFailed = true;
            // The source failing ends the run early: that is the problem to report, whatever came before.
            firstError.set("the " + source.name() + " source failed after " + fetched.get()
                    + " profiles: " + failure.getMessage());
        }

        void kafkaUnreachable(Throwable failure) {
            kafkaUnreachable = true;
            firstError.set(failure.getMessage() + " Run " + number + " fetched nothing; the next run tries again.");
        }

        long failed() {
            return unmappable.get() + publishFailed.get();
        }

        String outcome() {
            if (kafkaUnreachable) {
                return "kafka-unreachable";
            }
            if (sourceFailed) {
                return "source-failed";
            }
            return failed() == 0 ? "succeeded" : published.get() == 0 ? "failed" : "partly-failed";
        }
    }
}
