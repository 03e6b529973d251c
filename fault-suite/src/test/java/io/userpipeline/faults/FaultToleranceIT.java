package io.userpipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.servers.CassandraServer;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;
import io.userpipeline.servers.TestTiers;

/**
 * The pipeline under crashes, outages and hostile input, with the packaged services as their own processes and
 * real Kafka, Cassandra and PostgreSQL. Every scenario ends with the same audit ({@link DeliveryAudit}): every
 * valid event's user in both stores once with the newest content, every bad record in the dead-letter topic;
 * nothing lost, nothing duplicated. The report goes to the console and to target/fault-report/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag(TestTiers.SERVERS)
class FaultToleranceIT {

    static final SuiteSize SIZE = SuiteSize.fromSystemProperty();
    static final ObjectMapper JSON = new ObjectMapper();
    static FaultReport report;

    @BeforeAll
    static void report() {
        report = new FaultReport(SIZE, Path.of(System.getProperty("faults.report", "target/fault-report")));
    }

    @AfterAll
    static void printReport() {
        report.print();
    }

    @Test
    @Order(1)
    void processorKilledThreeTimesWhileEventsStream() throws Exception {
        long started = System.nanoTime();
        try (Scenario scenario = new Scenario("processor-kill"); BadRecordProducer bad = new BadRecordProducer(scenario)) {
            QuarkusService processor = scenario.processor();
            processor.start();
            QuarkusService ingestor = scenario.ingestor(SIZE.runEvents(), "off");
            ingestor.start();
            DeliveryAudit audit = new DeliveryAudit();
            IngestionStream stream = IngestionStream.start(ingestor, SIZE.killEvents(), SIZE.runPause());
            // Dead letters in flight when the processor dies must not be lost either.
            bad.trickle(audit, Duration.ofMillis(100));
            StringBuilder kills = new StringBuilder();
            for (int kill = 1; kill <= 3; kill++) {
                long threshold = (long) SIZE.killEvents() * kill / 4;
                awaitStoredUsers(scenario, threshold, Duration.ofMinutes(5));
                processor.kill();
                long down = System.nanoTime();
                processor.start();
                kills.append(kills.isEmpty() ? "" : ", ").append(String.format("%.1f s", (System.nanoTime() - down) / 1e9));
            }
            stream.await(Duration.ofMinutes(10));
            bad.stopTrickle();
            DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(10));

            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "processor killed", "kill -9 of the processor 3 times while "
                    + String.format("%,d", SIZE.killEvents()) + " events and a bad record every 100 ms stream",
                    seconds(started), "back to ready after each kill in " + kills);
            assertClean(findings);
        }
    }

    /**
     * Processors scale out and in through their consumer group while users' events stream, several versions each:
     * every rebalance and the kill hand partitions over with batches in flight, and still every user's newest
     * version is in both stores, once. The killed processor is not restarted: the survivor must take over its
     * partitions, uncommitted batch included, by itself.
     */
    @Test
    @Order(2)
    void processorsScaleOutAndInWithinOneConsumerGroup() throws Exception {
        long started = System.nanoTime();
        VersionedUserStream stream = VersionedUserStream.plan(Scenario.GENERATOR_SEED + 1, SIZE.scaleOutEvents());
        int events = stream.events();
        try (Scenario scenario = new Scenario("several-processors", SCALE_OUT_PARTITIONS); stream) {
            Map<String, String> configuration = scenario.processorConfiguration();
            // The group coordinator's lines ("Successfully joined group with generation ...") count the rebalances.
            configuration.put("quarkus.log.category.\"org.apache.kafka.clients.consumer.internals\".level", "INFO");
            List<QuarkusService> processors = new ArrayList<>();
            for (int instance = 0; instance < 3; instance++) {
                processors.add(scenario.service("processor", configuration, QuarkusService.StartedWhen.READY));
            }
            QuarkusService first = processors.get(0);
            QuarkusService second = processors.get(1);
            QuarkusService third = processors.get(2);
            Map<QuarkusService, Long> logStarts = new HashMap<>();
            for (QuarkusService processor : processors) {
                logStarts.put(processor, Files.exists(processor.logFile()) ? Files.size(processor.logFile()) : 0);
            }
            DeliveryAudit audit = new DeliveryAudit();
            // Each hold keeps events coming after the step it waits for, however long that step takes. The stream
            // starts with the first processor, so that it starts on a backlog: full batches from the outset.
            stream.holdAt(events / 10);
            stream.start(scenario.inputTopic, SIZE.scaleOutStream());
            first.start();

            stream.awaitSent(events / 10, Duration.ofMinutes(2));
            stream.holdAt(events * 25 / 100);
            int scaledOutAt = stream.sent();
            long scaleOut = System.nanoTime();
            try (ExecutorService starting = Executors.newFixedThreadPool(2)) {
                CompletableFuture.allOf(CompletableFuture.runAsync(second::start, starting),
                        CompletableFuture.runAsync(third::start, starting)).join();
            }
            double scaleOutSeconds = seconds(scaleOut);

            stream.holdAt(events * 55 / 100);
            stream.awaitSent(events * 35 / 100, Duration.ofMinutes(2));
            // The first to leave is the one that was there from the start, as in a rolling restart; both leave just
            // after taking a batch, so that the rebalance finds records consumed but not yet stored.
            long consumedByFirst = awaitBatchTaken(first);
            int scaledInAt = stream.sent();
            long scaleIn = System.nanoTime();
            first.stop();
            double scaleInSeconds = seconds(scaleIn);

            stream.holdAt(events * 80 / 100);
            stream.awaitSent(events * 60 / 100, Duration.ofMinutes(2));
            long consumedBySecond = awaitBatchTaken(second);
            int killedAt = stream.sent();
            second.kill();

            stream.release();
            stream.await(Duration.ofMinutes(5));
            DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(5));
            long consumedByThird = recordsConsumedBy(third);
            Set<Integer> generations = groupGenerations(processors, logStarts);
            long consumedAgain = consumedByFirst + consumedBySecond + consumedByThird - recordsIn(scenario);

            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "several processors", String.format("1 → 3 → 2 processors in one consumer group on"
                    + " %d partitions (the first stopped), then one of the 2 killed (kill -9), while %,d events stream:"
                    + " %,d users, 2 to 4 versions each", SCALE_OUT_PARTITIONS, events, stream.users()), seconds(started),
                    String.format("2 processors joined after %,d events were sent (both ready in %.1f s), the first"
                            + " stopped (SIGTERM) after %,d (its stop took %.1f s), one killed after %,d; %d generations of"
                            + " the group (one per rebalance); consumed by each: %,d (the first, stopped), %,d (killed),"
                            + " %,d (the survivor, which drained the rest); at least %,d records consumed twice", scaledOutAt,
                            scaleOutSeconds, scaledInAt, scaleInSeconds, killedAt, generations.size(), consumedByFirst,
                            consumedBySecond, consumedByThird, consumedAgain));
            assertClean(findings);
            assertThat(List.of(consumedByFirst, consumedBySecond, consumedByThird))
                    .as("records consumed by each processor: the group shared the partitions among them")
                    .allMatch(consumed -> consumed > 0);
            assertThat(generations).as("generations of the consumer group, from the processors' logs: at least the"
                    + " first assignment, the scale-out, the scale-in and the kill").hasSizeGreaterThanOrEqualTo(4);
            assertThat(consumedAgain).as("records consumed twice: without any, no rebalance or kill caught a batch"
                    + " in flight and the scenario proved less than it says").isPositive();
        }
    }

    /** Twice the most processors at once: each of the three has partitions to lose in every rebalance. */
    static final int SCALE_OUT_PARTITIONS = 6;

    private static final Pattern JOINED_GENERATION = Pattern.compile(
            "Successfully joined group with generation Generation\\{generationId=(\\d+)");

    /**
     * The generations of the consumer group that the processors joined, from what they logged since
     * {@code logStarts} (a service's log keeps earlier runs): one generation per rebalance.
     */
    private static Set<Integer> groupGenerations(List<QuarkusService> processors, Map<QuarkusService, Long> logStarts)
            throws IOException {
        Set<Integer> generations = new TreeSet<>();
        for (QuarkusService processor : processors) {
            byte[] log = Files.readAllBytes(processor.logFile());
            int start = logStarts.get(processor).intValue();
            String sinceStart = new String(log, start, log.length - start, StandardCharsets.UTF_8);
            Matcher joined = JOINED_GENERATION.matcher(sinceStart);
            while (joined.find()) {
                generations.add(Integer.parseInt(joined.group(1)));
            }
        }
        return generations;
    }

    /**
     * Waits until the processor takes a batch and returns what it has consumed then: stopped or killed at once, it
     * leaves records consumed but neither stored nor committed (the consumed count grows before the batch is written).
     */
    private static long awaitBatchTaken(QuarkusService processor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long consumed = recordsConsumedBy(processor);
        while (System.nanoTime() < deadline) {
            IngestionStream.sleep(Duration.ofMillis(50));
            long now = recordsConsumedBy(processor);
            if (now > consumed) {
                return now;
            }
            consumed = now;
        }
        throw new AssertionError("The processor at " + processor.url() + " took no batch for 30 s: it holds no"
                + " partition with records");
    }

    private static long recordsConsumedBy(QuarkusService processor) {
        return ServiceWatch.recordsConsumedBy(processor).orElseThrow(() -> new AssertionError(
                "The processor at " + processor.url() + " did not answer for its metrics"));
    }

    @Test
    @Order(3)
    void storeOutagesPauseTheProcessorWhichResumesByItself() throws Exception {
        long started = System.nanoTime();
        try (Scenario scenario = new Scenario("store-outages")) {
            QuarkusService processor = scenario.processor();
            processor.start();
            long processorPid = processor.process().orElseThrow().pid();
            QuarkusService ingestor = scenario.ingestor(SIZE.runEvents(), "off");
            ingestor.start();
            DeliveryAudit audit = new DeliveryAudit();
            IngestionStream stream = IngestionStream.start(ingestor, SIZE.outageEvents(), SIZE.outageRunPause());
            StringBuilder observed = new StringBuilder();
            try (ServiceWatch watch = new ServiceWatch(processor, ServiceWatch.PROCESSOR_PIPELINE)) {
                awaitStoredUsers(scenario, SIZE.outageEvents() / 5, Duration.ofMinutes(5));
                observed.append(outage("cassandra", "Cassandra", watch));
                awaitStoredUsers(scenario, SIZE.outageEvents() * 3 / 5, Duration.ofMinutes(5));
                observed.append("; ").append(outage("postgres", "PostgreSQL", watch));
                stream.await(Duration.ofMinutes(10));
                DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(10));
                observed.append(String.format("; processor heap at most %d MiB, RSS at most %d MiB (-Xmx512m)",
                        watch.maxHeapMiB(), watch.maxRssMiB()));
                assertThat(processor.process().map(ProcessHandle::pid))
                        .as("the processor resumed by itself, without a restart").hasValue(processorPid);
                assertThat(watch.maxRssMiB()).as("the processor's resident memory through both outages").isLessThan(1024);
                assertThat(watch.consumed()).as("records consumed, from the processor's metrics").isPositive();
            }
            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "store outages", "Cassandra stopped " + SIZE.outage().toSeconds()
                    + " s mid-stream, later PostgreSQL " + SIZE.outage().toSeconds() + " s", seconds(started),
                    observed.toString());
            assertClean(findings);
        }
    }

    /**
     * Stops a store for the suite's outage while events keep coming, and checks that the processor says so, stops
     * consuming (so memory stays flat, however long the outage), and is ready again by itself after the store is.
     */
    private String outage(String server, String storeName, ServiceWatch watch) {
        Servers.stop(server);
        long stopped = System.nanoTime();
        watch.awaitNotReady(Duration.ofSeconds(60));
        String notReadyAnswer = watch.lastNotReadyAnswer();
        long consumedWhenPaused = watch.consumed();
        IngestionStream.sleep(SIZE.outage().minus(Duration.ofNanos(System.nanoTime() - stopped)));
        long consumedDuringOutage = watch.consumed() - consumedWhenPaused;
        Servers.start(server);
        double down = seconds(stopped);
        long restored = System.nanoTime();
        watch.awaitReady(Duration.ofMinutes(3));
        assertThat(notReadyAnswer).as("the processor's readiness while %s is down", storeName)
                .contains("DOWN").containsIgnoringCase(storeName.equals("PostgreSQL") ? "postgres" : "cassandra");
        // One batch per input topic may be in the consumer's hands when the store goes; nothing beyond it.
        assertThat(consumedDuringOutage).as("records consumed while %s was down and the processor paused", storeName)
                .isLessThanOrEqualTo(2_000);
        return String.format("%s down %.0f s: not ready within the outage, consumed %d records while paused, ready"
                + " again %.1f s after %s was back", storeName, down, consumedDuringOutage, seconds(restored), storeName);
    }

    @Test
    @Order(4)
    void kafkaKilledMidRunAndRestarted() throws Exception {
        long started = System.nanoTime();
        try (Scenario scenario = new Scenario("kafka-restart")) {
            QuarkusService processor = scenario.processor();
            processor.start();
            QuarkusService ingestor = scenario.ingestor(SIZE.runEvents(), "off");
            ingestor.start();
            DeliveryAudit audit = new DeliveryAudit();
            IngestionStream stream = IngestionStream.start(ingestor, SIZE.outageEvents(), SIZE.outageRunPause());
            String observed;
            try (ServiceWatch processorWatch = new ServiceWatch(processor, ServiceWatch.PROCESSOR_PIPELINE); ServiceWatch ingestorWatch = new ServiceWatch(ingestor, ServiceWatch.READINESS)) {
                awaitStoredUsers(scenario, SIZE.outageEvents() / 4, Duration.ofMinutes(5));
                // Killed, not stopped, and while a run publishes: the worst moment for the ingestor's producer.
                long runAtKill = awaitStatus(ingestor, status -> status.get("running").asBoolean(), Duration.ofMinutes(2))
                        .path("totals").path("runs").asLong();
                Servers.kill("kafka");
                long killed = System.nanoTime();
                ingestorWatch.awaitNotReady(Duration.ofSeconds(60));
                processorWatch.awaitNotReady(Duration.ofSeconds(60));
                IngestionStream.sleep(SIZE.outage().minus(Duration.ofNanos(System.nanoTime() - killed)));
                Servers.start("kafka");
                double down = seconds(killed);
                long restored = System.nanoTime();
                ingestorWatch.awaitReady(Duration.ofMinutes(3));
                double ingestorBack = seconds(restored);
                processorWatch.awaitReady(Duration.ofMinutes(3));
                double processorBack = seconds(restored);
                stream.await(Duration.ofMinutes(10));
                DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(10));
                List<IngestionStream.Run> runs = stream.runs();
                IngestionStream.Run inFlight = runs.stream().filter(run -> run.number() == runAtKill).findFirst().orElseThrow();
                List<IngestionStream.Run> failedAfter = runs.stream()
                        .filter(run -> run.number() > runAtKill && !run.outcome().equals("succeeded")).toList();
                observed = String.format("Kafka killed (SIGKILL) during run %d and started again %.0f s later; that run:"
                        + " %s, %,d published, %,d failed, in %.1f s; %d later runs failed while Kafka was away (%s);"
                        + " ingestor ready again %.1f s after Kafka was back, processor %.1f s",
                        runAtKill, down, inFlight.outcome(), inFlight.published(), inFlight.failed(),
                        inFlight.durationMillis() / 1000.0, failedAfter.size(),
                        failedAfter.stream().map(IngestionStream.Run::outcome).distinct().toList(), ingestorBack,
                        processorBack);
                assertThat(runs.get(runs.size() - 1).outcome()).as("the last run, after Kafka came back").isEqualTo("succeeded");
                assertThat(inFlight.failed()).as("profiles of the run Kafka died in that were never published").isZero();
            }
            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "Kafka killed and restarted", "kill -9 of Kafka during an ingestor run, down "
                    + SIZE.outage().toSeconds() + " s, started again; the ingestor and processor keep running",
                    seconds(started), observed);
            assertClean(findings);
        }
    }

    @Test
    @Order(5)
    void ingestorKilledMidRunRepublishesNoProfileUnderANewId() throws Exception {
        long started = System.nanoTime();
        try (Scenario scenario = new Scenario("ingestor-kill")) {
            QuarkusService processor = scenario.processor();
            processor.start();
            // On a schedule, not triggered: after the restart the schedule alone must resume publishing.
            QuarkusService ingestor = scenario.ingestor(SIZE.ingestorBatch(), "2s");
            ingestor.start();
            awaitStatus(ingestor, status -> status.get("running").asBoolean(), Duration.ofSeconds(60));
            // A run's first page can take a while to reach Kafka on a busy machine: kill once some of it has.
            awaitFirstRecordsIn(scenario, Duration.ofSeconds(60));
            ingestor.kill();
            long publishedBeforeKill = recordsIn(scenario);
            assertThat(publishedBeforeKill).as("events published before the kill: the kill must hit a run midway")
                    .isPositive().isLessThan(SIZE.ingestorBatch());

            ingestor.start();
            awaitStatus(ingestor, s -> s.path("totals").path("runs").asLong() >= 1, Duration.ofMinutes(5));
            Http.post(ingestor.url() + "/ingestion/pause");
            JsonNode status = awaitStatus(ingestor, s -> s.get("paused").asBoolean() && !s.get("running").asBoolean(),
                    Duration.ofMinutes(2));
            long runsAfterRestart = status.path("totals").path("runs").asLong();
            assertThat(status.path("lastRun").path("outcome").asText()).isEqualTo("succeeded");

            DeliveryAudit audit = new DeliveryAudit();
            audit.allowOnly(generatorUserIds(runsAfterRestart * SIZE.ingestorBatch()));
            DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(10));
            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "ingestor killed", "kill -9 of the ingestor during a scheduled run of "
                    + String.format("%,d", SIZE.ingestorBatch()) + " profiles, then restarted", seconds(started),
                    String.format("killed after %,d of the run's %,d were published; after the restart the schedule ran"
                            + " %d run(s) by itself, every user id one of the generator's", publishedBeforeKill,
                            SIZE.ingestorBatch(), runsAfterRestart));
            assertClean(findings);
        }
    }

    @Test
    @Order(6)
    void hostileInputIsDeadLetteredAndHarmsNothing() throws Exception {
        long started = System.nanoTime();
        try (Scenario scenario = new Scenario("hostile-input"); BadRecordProducer producer = new BadRecordProducer(scenario)) {
            QuarkusService processor = scenario.processor();
            processor.start();
            DeliveryAudit audit = new DeliveryAudit();
            List<HostileCorpus.Hostile> corpus = HostileCorpus.badRecords();
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
            for (HostileCorpus.Hostile bad : corpus) {
                producer.sendValid(HostileCorpus.validEvent());
                audit.expectBad(producer.send("hostile-" + bad.label(), bad.value()), bad.label(), bad.expectedReason());
            }
            List<UserEvent> hostileLooking = new ArrayList<>();
            for (int copy = 0; copy < SIZE.hostileValidCopies(); copy++) {
                for (UserEvent event : HostileCorpus.hostileLookingValidEvents()) {
                    producer.sendValid(event);
                    hostileLooking.add(event);
                }
            }
            DeliveryAudit.awaitDrained(scenario, Duration.ofMinutes(5));

            DeliveryAudit.Findings findings = audit.audit(scenario);
            report.add(findings, "hostile input", corpus.size() + " bad records (malformed JSON, wrong types, missing"
                    + " fields, bad UUIDs, dates, ~1 MB, binary, control characters, injection, broken Unicode)"
                    + " interleaved with valid events", seconds(started),
                    hostileLooking.size() + " valid events with injection strings and rare Unicode stored verbatim;"
                            + " every bad record dead-lettered with its expected reason");
            assertClean(findings);
            for (UserEvent event : hostileLooking) {
                Map<String, String> row = findings.postgresRows().get(event.userId());
                assertThat(List.of(row.get("first_name"), row.get("last_name"), row.get("street"), row.get("city"),
                        row.get("username"))).as("user %s stored verbatim", event.userId())
                        .containsExactly(event.firstName(), event.lastName(), event.street(), event.city(), event.username());
            }
        }
    }

    @Test
    @Order(7)
    void badConfigurationIsReportedClearly() throws Exception {
        long started = System.nanoTime();
        List<FaultReport.ConfigurationRow> rows = new ArrayList<>();
        try (Scenario scenario = new Scenario("bad-configuration")) {
            checkBadConfigurations(scenario, rows);
        } finally {
            rows.forEach(report::add);
        }
        System.out.printf("bad configuration cases took %.0f s%n", seconds(started));
        assertThat(rows).as("misconfigured services that did not say clearly what is wrong")
                .filteredOn(row -> !row.clear()).isEmpty();
    }

    private static void checkBadConfigurations(Scenario scenario, List<FaultReport.ConfigurationRow> rows) throws Exception {
        String nowhere = "127.0.0.1:" + FreePorts.next();
        Map<String, String> processorWrongBroker = scenario.processorConfiguration();
        processorWrongBroker.put("kafka.bootstrap.servers", nowhere);
        rows.add(BadConfiguration.check(scenario, "processor", "kafka.bootstrap.servers=" + nowhere
                + " (no broker there)", processorWrongBroker, nowhere));

        Map<String, String> ingestorWrongBroker = scenario.ingestorConfiguration(100, "off");
        ingestorWrongBroker.put("kafka.bootstrap.servers", nowhere);
        rows.add(BadConfiguration.check(scenario, "ingestor", "kafka.bootstrap.servers=" + nowhere
                + " (no broker there)", ingestorWrongBroker, nowhere));

        preparePostgresRoles();
        Map<String, String> wrongPassword = scenario.processorConfiguration();
        wrongPassword.put("quarkus.datasource.username", PASSWORD_USER);
        wrongPassword.put("quarkus.datasource.password", "a-wrong-password");
        rows.add(BadConfiguration.check(scenario, "processor", "PostgreSQL password wrong", wrongPassword,
                "password authentication failed"));

        Map<String, String> noCreate = scenario.processorConfiguration();
        noCreate.put("quarkus.datasource.username", NO_CREATE_USER);
        noCreate.put("quarkus.datasource.password", "unused");
        rows.add(BadConfiguration.check(scenario, "processor", "PostgreSQL user without CREATE on schema public",
                noCreate, "permission denied"));

        CassandraServer secured = new CassandraServer(scenario.work().resolve("cassandra-with-auth"), FreePorts.next(),
                FreePorts.next(), "384m", true);
        secured.start();
        try {
            createCassandraRoleWithoutPermissions(secured);
            Map<String, String> cassandraWrongPassword = scenario.processorConfiguration();
            cassandraWrongPassword.put("quarkus.cassandra.contact-points", secured.contactPoint());
            cassandraWrongPassword.put("quarkus.cassandra.auth.username", CassandraServer.DEFAULT_SUPERUSER);
            cassandraWrongPassword.put("quarkus.cassandra.auth.password", "a-wrong-password");
            rows.add(BadConfiguration.check(scenario, "processor", "Cassandra password wrong",
                    cassandraWrongPassword, "incorrect"));

            Map<String, String> noKeyspacePermission = scenario.processorConfiguration();
            noKeyspacePermission.put("quarkus.cassandra.contact-points", secured.contactPoint());
            noKeyspacePermission.put("quarkus.cassandra.auth.username", CASSANDRA_ROLE);
            noKeyspacePermission.put("quarkus.cassandra.auth.password", CASSANDRA_ROLE_PASSWORD);
            rows.add(BadConfiguration.check(scenario, "processor", "Cassandra role without permission on the keyspace",
                    noKeyspacePermission, "permission"));
        } finally {
            secured.stop();
        }
    }

    static final String PASSWORD_USER = "fault_password_user";
    static final String NO_CREATE_USER = "fault_no_create";
    static final String CASSANDRA_ROLE = "fault_processor";
    static final String CASSANDRA_ROLE_PASSWORD = "the-right-password";

    /**
     * The embedded PostgreSQL trusts every local connection; a password matters only where pg_hba.conf asks for one.
     * This asks for one from a role of the suite's own, so the other scenarios' connections are untouched.
     */
    private static void preparePostgresRoles() throws SQLException, IOException {
        try (Connection postgres = Servers.postgres("postgres")) {
            Path hba;
            try (ResultSet file = postgres.createStatement().executeQuery("SHOW hba_file")) {
                file.next();
                hba = Path.of(file.getString(1));
            }
            Files.writeString(hba, "host all " + PASSWORD_USER + " 127.0.0.1/32 scram-sha-256\n"
                    + Files.readString(hba));
            postgres.createStatement().execute("CREATE ROLE " + PASSWORD_USER + " LOGIN PASSWORD 'the-right-password'");
            // Since PostgreSQL 15 only the database owner may create in schema public: this role may connect, no more.
            postgres.createStatement().execute("CREATE ROLE " + NO_CREATE_USER + " LOGIN");
            postgres.createStatement().execute("SELECT pg_reload_conf()");
        }
    }

    /** A role that may log in and nothing else: it cannot create the pipeline's keyspace or write to one. */
    private static void createCassandraRoleWithoutPermissions(CassandraServer secured) {
        String[] contact = secured.contactPoint().split(":");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (CqlSession admin = CqlSession.builder()
                    .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
                    .withLocalDatacenter(CassandraServer.DATACENTER)
                    .withAuthCredentials(CassandraServer.DEFAULT_SUPERUSER, CassandraServer.DEFAULT_SUPERUSER).build()) {
                admin.execute("CREATE ROLE IF NOT EXISTS " + CASSANDRA_ROLE + " WITH PASSWORD = '" + CASSANDRA_ROLE_PASSWORD
                        + "' AND LOGIN = true");
                return;
            } catch (RuntimeException superuserNotYetCreated) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not log in to the Cassandra node with authentication as "
                            + CassandraServer.DEFAULT_SUPERUSER, superuserNotYetCreated);
                }
                IngestionStream.sleep(Duration.ofSeconds(1));
            }
        }
    }

    private static void assertClean(DeliveryAudit.Findings findings) {
        assertThat(findings.problems()).as("problems found by the audit").isEmpty();
        assertThat(findings.lost()).as("lost").isZero();
        assertThat(findings.duplicated()).as("duplicated").isZero();
        assertThat(findings.stored()).as("users stored").isEqualTo(findings.users());
    }

    /** The user ids of the ingestor generator's first {@code profiles} profiles with the suite's seed. */
    private static Set<UUID> generatorUserIds(long profiles) {
        RandomUserGenerator generator = new RandomUserGenerator(Scenario.GENERATOR_SEED);
        Set<UUID> ids = new HashSet<>();
        for (long index = 0; index < profiles; index++) {
            ids.add(UUID.fromString(generator.profile(index).login().uuid()));
        }
        return ids;
    }

    private static void awaitStoredUsers(Scenario scenario, long users, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stored = 0;
        while (System.nanoTime() < deadline) {
            try (Connection postgres = Servers.postgres(scenario.database);
                    ResultSet count = postgres.createStatement().executeQuery("SELECT count(*) FROM users")) {
                count.next();
                stored = count.getLong(1);
                if (stored >= users) {
                    return;
                }
            } catch (SQLException notYet) {
                // PostgreSQL away, or the table not yet created: keep waiting.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Scenario " + scenario.name + ": only " + stored + " of " + users
                + " users reached PostgreSQL within " + timeout.toSeconds() + " s");
    }

    private static JsonNode awaitStatus(QuarkusService ingestor, Predicate<JsonNode> condition,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            var answer = Http.get(ingestor.url() + "/ingestion/status");
            if (answer.isPresent() && answer.get().status() == 200) {
                status = JSON.readTree(answer.get().body());
                if (condition.test(status)) {
                    return status;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The ingestor's status did not reach the expected state within " + timeout.toSeconds()
                + " s; last status: " + status);
    }

    private static long recordsIn(Scenario scenario) throws ExecutionException, InterruptedException {
        try (Admin admin = Servers.kafkaAdmin()) {
            return recordsIn(scenario, admin);
        }
    }

    private static long recordsIn(Scenario scenario, Admin admin) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < scenario.inputPartitions; partition++) {
            latest.put(new TopicPartition(scenario.inputTopic, partition), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    private static void awaitFirstRecordsIn(Scenario scenario, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Servers.kafkaAdmin()) {
            while (recordsIn(scenario, admin) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Scenario " + scenario.name + ": the ingestor's run published nothing to "
                            + scenario.inputTopic + " within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** A plain Kafka producer, as a hostile or careless client would use, that remembers where each record landed. */
    static final class BadRecordProducer implements AutoCloseable {

        private final Scenario scenario;
        private final KafkaProducer<byte[], byte[]> producer;
        private final AtomicBoolean trickling = new AtomicBoolean();
        private Thread trickle;

        BadRecordProducer(Scenario scenario) {
            this.scenario = scenario;
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafka(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576), new ByteArraySerializer(), new ByteArraySerializer());
        }

        SourceOffset send(String key, byte[] value) throws ExecutionException, InterruptedException {
            RecordMetadata landed = producer.send(new ProducerRecord<>(scenario.inputTopic,
                    key.getBytes(StandardCharsets.UTF_8), value)).get();
            return new SourceOffset(landed.topic(), landed.partition(), landed.offset());
        }

        void sendValid(UserEvent event) throws ExecutionException, InterruptedException {
            send(event.userId().toString(), UserEventJson.write(event));
        }

        /** Produces the hostile corpus's bad records, one every {@code interval}, round and round, until stopped. */
        void trickle(DeliveryAudit audit, Duration interval) {
            List<HostileCorpus.Hostile> corpus = HostileCorpus.badRecords();
            trickling.set(true);
            trickle = Thread.ofPlatform().daemon().name("bad-record-trickle").start(() -> {
                for (int sent = 0; trickling.get(); sent++) {
                    HostileCorpus.Hostile bad = corpus.get(sent % corpus.size());
                    try {
                        audit.expectBad(send("trickle-" + sent + "-" + bad.label(), bad.value()), bad.label(),
                                bad.expectedReason());
                    } catch (ExecutionException | InterruptedException e) {
                        throw new IllegalStateException("Could not produce bad record " + bad.label(), e);
                    }
                    IngestionStream.sleep(interval);
                }
            });
        }

        void stopTrickle() throws InterruptedException {
            trickling.set(false);
            trickle.join();
        }

        @Override
        public void close() {
            trickling.set(false);
            producer.close(Duration.ofSeconds(10));
        }
    }
}
