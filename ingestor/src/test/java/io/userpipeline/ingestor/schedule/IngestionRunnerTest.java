package io.userpipeline.ingestor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.userpipeline.event.UserEvent;
import io.userpipeline.ingestor.publish.KafkaReachability;
import io.userpipeline.ingestor.source.ProfileSource;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * A run's accounting, retries, bound on unacknowledged events and guard against overlap, with the generator's
 * profiles as the source and a fake Kafka. No servers; {@code GeneratorIngestionTest} and {@code KafkaOutageTest}
 * run the same against a real broker.
 */
class IngestionRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Supplier<Uni<Void>> KAFKA_UP = () -> Uni.createFrom().voidItem();
    private static final Function<UserEvent, Uni<Void>> KAFKA_ACKNOWLEDGES = event -> Uni.createFrom().voidItem();

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyProfileFetchedIsPublishedAndCounted() {
        List<UserEvent> published = new CopyOnWriteArrayList<>();
        IngestionRunner runner = runner(new Pages(25, 10), event -> {
            published.add(event);
            return Uni.createFrom().voidItem();
        }, settings(64, Duration.ofSeconds(5)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run).extracting(IngestionStatus.RunSummary::fetched, IngestionStatus.RunSummary::published,
                IngestionStatus.RunSummary::failed).containsExactly(25L, 25L, 0L);
        assertThat(published).extracting(UserEvent::source).containsOnly("fake");
        assertThat(published).extracting(UserEvent::eventId).doesNotHaveDuplicates();
        assertThat(runner.lastError()).isNull();
        assertThat(counter("ingestion.records.published")).isEqualTo(25);
        assertThat(registry.get("ingestion.runs").tag("outcome", "succeeded").counter().count()).isEqualTo(1);
    }

    @Test
    void aProfileThatCannotBecomeAnEventIsCountedAndNamedWhileTheOthersArePublished() {
        Pages pages = new Pages(10, 10).replacing(3, null).replacing(7, withoutIdentity(7));
        IngestionRunner runner = runner(pages, KAFKA_ACKNOWLEDGES, settings(64, Duration.ofSeconds(5)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.PARTLY_FAILED);
        assertThat(run.published()).isEqualTo(8);
        assertThat(run.failed()).isEqualTo(2);
        assertThat(runner.lastError().message())
                .isEqualTo("profile 3 of run 1 from fake was not published: the profile is null");
        assertThat(registry.get("ingestion.records.failed").tag("reason", "unmappable").counter().count()).isEqualTo(2);
        assertThat(runner.totals()).isEqualTo(new IngestionStatus.Totals(1, 10, 8, 2));
    }

    @Test
    void aSourceThatFailsEndsTheRunWithWhatItHadFetchedPublished() {
        ProfileSource failing = new Pages(20, 10) {
            @Override
            public Multi<List<RandomUserProfile>> fetch(int count) {
                return Multi.createBy().concatenating().streams(super.fetch(10),
                        Multi.createFrom().failure(new IllegalStateException("GET /api/?results=10&page=2: HTTP 503")));
            }
        };
        IngestionRunner runner = runner(failing, KAFKA_ACKNOWLEDGES, settings(64, Duration.ofSeconds(5)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.SOURCE_FAILED);
        assertThat(run.published()).isEqualTo(10);
        assertThat(runner.lastError().message())
                .isEqualTo("the fake source failed after 10 profiles: GET /api/?results=10&page=2: HTTP 503");
    }

    @Test
    void withKafkaUnreachableTheRunFetchesNothingAndSaysWhy() {
        Pages pages = new Pages(10, 10);
        IngestionRunner runner = new IngestionRunner(pages, KAFKA_ACKNOWLEDGES,
                () -> Uni.createFrom().failure(new KafkaReachability.KafkaUnreachableException(
                        "Kafka at broker:9092 did not answer within 5 s.", new NetworkException("refused"))),
                settings(64, Duration.ofSeconds(5)), registry);

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.KAFKA_UNREACHABLE);
        assertThat(pages.fetches).as("the source is not asked").hasValue(0);
        assertThat(runner.lastError().message()).startsWith("Kafka at broker:9092 did not answer within 5 s.")
                .endsWith("Run 1 fetched nothing; the next run tries again.");
    }

    @Test
    void aSourceThatAnswersNoProfilesEndsTheRunEmptyRatherThanSucceededAndSaysSo() {
        ProfileSource answersAnEmptyList = new Pages(0, 10) {
            @Override
            public Multi<List<RandomUserProfile>> fetch(int count) {
                return Multi.createFrom().item(new ArrayList<>());
            }
        };
        IngestionRunner runner = runner(answersAnEmptyList, KAFKA_ACKNOWLEDGES, settings(64, Duration.ofSeconds(5)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.EMPTY);
        assertThat(run.fetched()).isZero();
        assertThat(runner.lastError().message()).isEqualTo("the fake source answered no profiles at all for the 1000"
                + " run 1 asked for (an empty results list, as randomuser.me answers during an outage); nothing was"
                + " published. The next run asks again.");
        assertThat(runner.run(run.id()).orElseThrow()).extracting(IngestionRun::outcome, IngestionRun::error)
                .containsExactly("empty", runner.lastError().message());
        assertThat(registry.get("ingestion.runs").tag("outcome", "empty").counter().count()).isEqualTo(1);
        assertThat(registry.get("ingestion.runs").tag("outcome", "succeeded").counter().count())
                .as("registered before any run, at 0, as every outcome").isZero();
    }

    @Test
    void aRunHasAnIdFromItsStartAndTheHistoryFollowsItToItsOutcome() {
        CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
        IngestionRunner runner = runner(new Pages(3, 10), event -> Uni.createFrom().completionStage(acknowledgement),
                settings(64, Duration.ofSeconds(5)));

        IngestionRunner.StartedRun started = runner.tryStart(new IngestionRunner.RunPlan(3, Optional.of(500)),
                StartedBy.OPERATOR).orElseThrow();
        CompletableFuture<IngestionStatus.RunSummary> completion = started.completion().subscribeAsCompletionStage();

        assertThat(started.id()).matches("[0-9a-z]{16}");
        assertThat(runner.currentRunId()).isEqualTo(started.id());
        IngestionRun running = runner.run(started.id()).orElseThrow();
        assertThat(running.outcome()).isEqualTo(IngestionRun.RUNNING);
        assertThat(running.finishedAt()).isNull();
        assertThat(running.startedBy()).isEqualTo(StartedBy.OPERATOR);
        assertThat(running.plan()).isEqualTo(new IngestionRun.Plan(3, 500));
        assertThat(running.number()).isEqualTo(1);

        acknowledgement.complete(null);
        assertThat(completion).succeedsWithin(WAIT).extracting(IngestionStatus.RunSummary::id).isEqualTo(started.id());
        IngestionRun finished = runner.run(started.id()).orElseThrow();
        assertThat(finished.outcome()).isEqualTo("succeeded");
        assertThat(finished.finishedAt()).isAfterOrEqualTo(finished.startedAt());
        assertThat(finished.durationMs()).isEqualTo(Duration.between(finished.startedAt(), finished.finishedAt()).toMillis());
        assertThat(finished.counts()).isEqualTo(new IngestionRun.Counts(3, 3, 0, 0, 0));
        assertThat(finished.error()).isNull();
        assertThat(runner.currentRunId()).isNull();
    }

    @Test
    void theHistoryKeepsTheLastRunsNewestFirst() {
        IngestionRunner runner = new IngestionRunner(new Pages(2, 10), KAFKA_ACKNOWLEDGES, KAFKA_UP,
                new IngestionRunner.Settings(1000, Optional.empty(), 64, Duration.ofSeconds(5), Duration.ofMillis(50),
                        Duration.ofMillis(100), 3),
                registry);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(runOnce(runner).id());
        }

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(runner.historySize()).isEqualTo(3);
        assertThat(runner.runs()).extracting(IngestionRun::id).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(runner.runs()).extracting(IngestionRun::number).containsExactly(5L, 4L, 3L);
        assertThat(runner.runs()).extracting(IngestionRun::startedBy).containsOnly(StartedBy.SCHEDULE);
        assertThat(runner.run(ids.get(1))).as("pushed out by newer runs").isEmpty();
        assertThat(runner.run(ids.get(2))).isPresent();
    }

    @Test
    void aRunThatStopsUnexpectedlyIsNotLeftRunningInTheHistory() {
        IngestionRunner runner = new IngestionRunner(new Pages(2, 10), KAFKA_ACKNOWLEDGES,
                () -> Uni.createFrom().failure(new IllegalStateException("a bug")), settings(64, Duration.ofSeconds(5)),
                registry);
        IngestionRunner.StartedRun started = runner.tryStart().orElseThrow();

        assertThat(started.completion().subscribeAsCompletionStage()).failsWithin(WAIT);

        IngestionRun run = runner.run(started.id()).orElseThrow();
        assertThat(run.outcome()).isEqualTo("failed");
        assertThat(run.finishedAt()).isNotNull();
        assertThat(run.error()).startsWith("the run stopped unexpectedly").contains("a bug");
        assertThat(runner.isRunning()).isFalse();
        assertThat(runner.currentRunId()).isNull();
    }

    @Test
    void anEventKafkaFailsForAWhileIsSentAgainUntilAcknowledged() {
        ConcurrentHashMap<Object, AtomicInteger> attempts = new ConcurrentHashMap<>();
        IngestionRunner runner = runner(new Pages(3, 10), event -> {
            int attempt = attempts.computeIfAbsent(event.eventId(), id -> new AtomicInteger()).incrementAndGet();
            return attempt == 1 ? Uni.createFrom().failure(new NetworkException("broker restarting"))
                    : Uni.createFrom().voidItem();
        }, settings(64, Duration.ofSeconds(30)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(attempts.values()).extracting(AtomicInteger::get).containsOnly(2);
    }

    @Test
    void anEventKafkaCannotTakeAsItIsIsNotSentAgain() {
        AtomicInteger attempts = new AtomicInteger();
        IngestionRunner runner = runner(new Pages(2, 10),
                refusing(attempts, new RecordTooLargeException("The message is 2000000 bytes")),
                settings(64, Duration.ofSeconds(30)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(attempts).hasValue(2);
        assertThat(runner.lastError().message()).startsWith("Kafka did not acknowledge event ")
                .contains("RecordTooLargeException");
        assertThat(registry.get("ingestion.records.failed").tag("reason", "publish").counter().count()).isEqualTo(2);
    }

    @Test
    void anEventStillRefusedAfterPublishRetryForIsCountedFailed() {
        AtomicInteger attempts = new AtomicInteger();
        IngestionRunner runner = runner(new Pages(1, 10), refusing(attempts, new NetworkException("broker away")),
                settings(64, Duration.ofSeconds(1)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.outcome()).as("given up once the time was up").isEqualTo(RunOutcome.FAILED);
        assertThat(attempts.get()).as("sent again and again meanwhile").isGreaterThanOrEqualTo(3);
        assertThat(run.durationMillis()).as("the retry window, less at most one back-off").isGreaterThanOrEqualTo(800);
    }

    @Test
    void noMoreThanMaxInFlightEventsAwaitKafkasAcknowledgement() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        IngestionRunner runner = runner(new Pages(40, 10), event -> Uni.createFrom().deferred(() -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(2))
                    .eventually(inFlight::decrementAndGet);
        }), settings(4, Duration.ofSeconds(5)));

        IngestionStatus.RunSummary run = runOnce(runner);

        assertThat(run.published()).isEqualTo(40);
        assertThat(mostInFlight).as("unacknowledged at once: the bound, reached and never passed").hasValue(4);
    }

    @Test
    void runsNeverOverlap() {
        CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
        IngestionRunner runner = runner(new Pages(1, 10), event -> Uni.createFrom().completionStage(acknowledgement),
                settings(64, Duration.ofSeconds(5)));

        CompletableFuture<IngestionStatus.RunSummary> first = runner.tryStart().orElseThrow().completion()
                .subscribeAsCompletionStage();

        assertThat(runner.tryStart()).as("while the first runs").isEmpty();
        acknowledgement.complete(null);
        assertThat(first).succeedsWithin(WAIT);
        assertThat(runner.isRunning()).isFalse();
        assertThat(runOnce(runner).number()).isEqualTo(2);
    }

    private IngestionRunner runner(ProfileSource source, Function<UserEvent, Uni<Void>> kafka,
            IngestionRunner.Settings settings) {
        return new IngestionRunner(source, kafka, KAFKA_UP, settings, registry);
    }

    /** Kafka refusing every event with {@code failure}, counting the attempts. */
    private static Function<UserEvent, Uni<Void>> refusing(AtomicInteger attempts, Throwable failure) {
        return event -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(failure);
        };
    }

    /** Back-off of 50 ms doubling to 100 ms, so that retries take no longer than the test needs. */
    private static IngestionRunner.Settings settings(int maxInFlight, Duration publishRetryFor) {
        return new IngestionRunner.Settings(1000, Optional.empty(), maxInFlight, publishRetryFor, Duration.ofMillis(50),
                Duration.ofMillis(100), 20);
    }

    private static IngestionStatus.RunSummary runOnce(IngestionRunner runner) {
        return runner.tryStart().orElseThrow().completion().await().atMost(WAIT);
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private static RandomUserProfile withoutIdentity(long index) {
        RandomUserProfile profile = new RandomUserGenerator(1).profile(index);
        return new RandomUserProfile(profile.gender(), profile.name(), profile.location(), profile.email(),
                new RandomUserProfile.Login(null, profile.login().username()), profile.dob(), profile.registered(),
                profile.phone(), profile.cell(), profile.id(), profile.picture(), profile.nat());
    }

    /** {@code total} generator profiles in pages of {@code pageSize}, some replaced, whatever count is asked. */
    private static class Pages implements ProfileSource {
        final AtomicInteger fetches = new AtomicInteger();
        private final List<RandomUserProfile> profiles;
        private final int pageSize;

        Pages(int total, int pageSize) {
            this.profiles = new ArrayList<>(new RandomUserGenerator(1).profiles(0, total));
            this.pageSize = pageSize;
        }

        Pages replacing(int index, RandomUserProfile profile) {
            profiles.set(index, profile);
            return this;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Multi<List<RandomUserProfile>> fetch(int count) {
            fetches.incrementAndGet();
            List<List<RandomUserProfile>> pages = new ArrayList<>();
            int end = Math.min(count, profiles.size());
            for (int from = 0; from < end; from += pageSize) {
                pages.add(new ArrayList<>(profiles.subList(from, Math.min(from + pageSize, end))));
            }
            return Multi.createFrom().iterable(pages);
        }
    }
}
