package io.userpipeline.ingestor.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.userpipeline.event.UserEvent;
import io.userpipeline.ingestor.IngestionConfig;
import io.userpipeline.ingestor.publish.KafkaReachability;
import io.userpipeline.ingestor.publish.UserEventPublisher;
import io.userpipeline.ingestor.source.PacedPages;
import io.userpipeline.ingestor.source.ProfileSource;
import io.userpipeline.randomuser.ProfileMapper;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * One ingestion run: fetch a batch from the source, map every profile to a user event, publish them with at
 * most {@code ingestion.max-in-flight} unacknowledged at a time, and account for every profile ({@link RunTally}):
 * published, or failed with the reason. Runs never overlap. Each run has an id, and the last
 * {@code ingestion.history-size} runs are kept, in memory, for {@code GET /ingestion/runs}.
 */
@ApplicationScoped
public class IngestionRunner {

    private static final Duration PUBLISH_RETRY_FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration PUBLISH_RETRY_MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(IngestionRunner.class);

    /**
     * What the runner takes from {@code ingestion.*}, and the back-off between a refused event's attempts (1 s,
     * doubling up to 10 s, jittered).
     */
    record Settings(int batchSize, Optional<Integer> maxRate, int maxInFlight, Duration publishRetryFor,
            Duration firstBackOff, Duration maxBackOff, int historySize) {

        static Settings of(IngestionConfig config) {
            return new Settings(config.batchSize(), config.maxRate(), config.maxInFlight(), config.publishRetryFor(),
                    PUBLISH_RETRY_FIRST_BACKOFF, PUBLISH_RETRY_MAX_BACKOFF, config.historySize());
        }
    }

    private final ProfileSource source;
    private final Function<UserEvent, Uni<Void>> publish;
    private final Supplier<Uni<Void>> kafkaCheck;
    private final Settings settings;
    private final IngestionMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong runNumber = new AtomicLong();
    private final AtomicLong totalFetched = new AtomicLong();
    private final AtomicLong totalPublished = new AtomicLong();
    private final AtomicLong totalFailed = new AtomicLong();
    private final AtomicReference<IngestionStatus.RunSummary> lastRun = new AtomicReference<>();
    private final AtomicReference<IngestionStatus.LastError> lastError = new AtomicReference<>();
    private final RunHistory history;
    private final AtomicReference<RunRecord> current = new AtomicReference<>();

    @Inject
    IngestionRunner(ProfileSource source, UserEventPublisher publisher, KafkaReachability kafka, IngestionConfig config,
            MeterRegistry registry) {
        this(source, publisher::publish, kafka::check, Settings.of(config), registry);
    }

    /**
     * @param publish    sends one event; completes when Kafka has acknowledged it
     * @param kafkaCheck completes if Kafka can be reached, else fails with a
     *                   {@link KafkaReachability.KafkaUnreachableException}
     */
    IngestionRunner(ProfileSource source, Function<UserEvent, Uni<Void>> publish, Supplier<Uni<Void>> kafkaCheck,
            Settings settings, MeterRegistry registry) {
        this.source = source;
        this.publish = publish;
        this.kafkaCheck = kafkaCheck;
        this.settings = settings;
        this.metrics = new IngestionMetrics(registry, source.name());
        this.history = new RunHistory(settings.historySize());
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
        return new RunPlan(settings.batchSize(), settings.maxRate());
    }

    /**
     * A run claimed: its id, already in the history, and the run itself, which the caller must subscribe to and
     * which ends with the run's summary.
     */
    public record StartedRun(String id, Uni<IngestionStatus.RunSummary> completion) {
    }

    /** A run as configured, started by the schedule. */
    public Optional<StartedRun> tryStart() {
        return tryStart(configuredPlan(), StartedBy.SCHEDULE);
    }

    /**
     * Claims the right to run now and returns the run, which the caller must subscribe to; empty while another
     * run is going on.
     */
    public Optional<StartedRun> tryStart(RunPlan plan, StartedBy startedBy) {
        if (!running.compareAndSet(false, true)) {
            return Optional.empty();
        }
        Instant startedAt = Instant.now();
        RunTally tally = new RunTally(runNumber.incrementAndGet(), source.name(), metrics);
        RunRecord record = new RunRecord(RunIds.next(startedAt, ThreadLocalRandom.current()), startedBy, plan, startedAt,
                tally);
        history.add(record);
        current.set(record);
        Uni<IngestionStatus.RunSummary> run = kafkaCheck.get()
                .chain(() -> paced(source.fetch(plan.profiles()), plan.maxRate())
                        // Making and mapping profiles is CPU work: page by page on worker threads, not on the event
                        // loop or Kafka's callback threads.
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .onFailure().recoverWithMulti(failure -> {
                            tally.sourceFailed(failure);
                            return Multi.createFrom().empty();
                        })
                        .onItem().transformToIterable(page -> toEvents(page, tally))
                        .onItem().transformToUni(event -> publishAgainUntilAcknowledged(event)
                                .onItem().invoke(tally::published)
                                .onFailure().recoverWithItem(failure -> {
                                    tally.publishFailed(event, failure);
                                    return null;
                                }))
                        .merge(settings.maxInFlight())
                        .onItem().ignoreAsUni())
                .onFailure(KafkaReachability.KafkaUnreachableException.class).recoverWithItem(unreachable -> {
                    tally.kafkaUnreachable(unreachable);
                    return null;
                })
                .map(ignored -> finish(record, tally, plan, startedAt))
                .onFailure().invoke(failure -> {
                    LOG.errorf(failure, "Run %d (%s) stopped unexpectedly; its counts are lost. The next run starts"
                            + " afresh.", tally.run(), record.id());
                    record.stopped(Instant.now(), "the run stopped unexpectedly, its counts incomplete: " + failure);
                })
                .onCancellation().invoke(() -> record.stopped(Instant.now(), "the run was cancelled before it"
                        + " finished (its subscriber gave up, as when the service stops), its counts incomplete"))
                .eventually(() -> {
                    current.compareAndSet(record, null);
                    running.set(false);
                });
        return Optional.of(new StartedRun(record.id(), run));
    }

    private static Multi<List<RandomUserProfile>> paced(Multi<List<RandomUserProfile>> pages, Optional<Integer> maxRate) {
        return maxRate.map(perSecond -> PacedPages.pace(pages, perSecond)).orElse(pages);
    }

    private List<UserEvent> toEvents(List<RandomUserProfile> page, RunTally tally) {
        long firstIndex = tally.fetchedPage(page.size());
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
                tally.unmappable(firstIndex + i, e.getMessage());
            }
        }
        return events;
    }

    /**
     * Kafka away for a while (a broker restart) fails the records in flight once delivery.timeout.ms has passed;
     * they are sent again, same event id, until Kafka takes them or {@code ingestion.publish-retry-for} has passed.
     */
    private Uni<Void> publishAgainUntilAcknowledged(UserEvent event) {
        // Each attempt asks for a new send: a retry resubscribes, and only a deferred call sends again whatever the
        // publish function does when called rather than when subscribed.
        return Uni.createFrom().deferred(() -> publish.apply(event))
                .onFailure(IngestionRunner::isWorthRetrying).retry()
                .withBackOff(settings.firstBackOff(), settings.maxBackOff())
                .expireIn(settings.publishRetryFor().toMillis());
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

    /** The id of the run going on, or null. */
    public String currentRunId() {
        RunRecord run = current.get();
        return run == null || run.isFinished() ? null : run.id();
    }

    /** How many runs the history keeps: {@code ingestion.history-size}. */
    public int historySize() {
        return history.capacity();
    }

    /** The runs kept, the newest first; the one going on, if any, is the first. */
    public List<IngestionRun> runs() {
        Instant now = Instant.now();
        return history.newestFirst().stream().map(run -> run.view(now)).toList();
    }

    /** A run by id, if the history still keeps it. */
    public Optional<IngestionRun> run(String id) {
        return history.find(id).map(run -> run.view(Instant.now()));
    }

    private IngestionStatus.RunSummary finish(RunRecord record, RunTally tally, RunPlan plan, Instant startedAt) {
        tally.ended(plan.profiles());
        Instant finishedAt = Instant.now();
        Duration duration = Duration.between(startedAt, finishedAt);
        RunOutcome outcome = tally.outcome();
        IngestionStatus.RunSummary summary = new IngestionStatus.RunSummary(tally.run(), record.id(), startedAt,
                finishedAt, duration.toMillis(), tally.fetchedCount(), tally.publishedCount(), tally.failedCount(),
                outcome);
        record.finished(finishedAt, outcome);
        lastRun.set(summary);
        totalFetched.addAndGet(summary.fetched());
        totalPublished.addAndGet(summary.published());
        totalFailed.addAndGet(summary.failed());
        metrics.runFinished(duration, outcome);
        String line = String.format("Run %d (%s, %s): %s, fetched %d, published %d, failed %d in %.2f s",
                tally.run(), record.id(), source.name(), outcome.wireName(), summary.fetched(), summary.published(),
                summary.failed(), duration.toNanos() / 1e9);
        String problem = tally.firstProblem();
        if (problem == null) {
            LOG.info(line);
        } else {
            lastError.set(new IngestionStatus.LastError(finishedAt, tally.run(), record.id(), problem));
            LOG.warnf("%s. First problem: %s", line, problem);
        }
        return summary;
    }
}
