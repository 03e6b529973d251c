package io.userpipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserProfile;
import io.userpipeline.randomuser.TutorialRecords;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.testsupport.KafkaTopics;
import io.userpipeline.testsupport.RandomUserApiServer;
import io.userpipeline.testsupport.StoredUsers;

/**
 * The whole pipeline as it runs in production, on one machine: the packaged ingestor and processor as their own
 * processes, real Kafka, Cassandra and PostgreSQL, and real-format data on both inputs. The ingestor fetches
 * 100,000 profiles of all 21 nationalities over HTTP from a randomuser.me-compatible API serving the API's own
 * formats; 10,000 records in the tutorial producer's bytes go to {@code users_created}; a handful of invalid
 * records go in too. Every profile and record must come out in both stores, identically, and nothing but the
 * invalid records in the dead-letter topic.
 */
@Tag(TestTiers.SERVERS)
class PipelineEndToEndIT {

    static final int PROFILES = 100_000;
    static final int TUTORIAL_RECORDS = 10_000;
    static final String API_SEED = "20261202";
    static final ObjectMapper JSON = new ObjectMapper();

    static RandomUserApiServer api;
    static QuarkusService processor;
    static QuarkusService ingestor;

    @BeforeAll
    static void startServices() {
        Map<String, String> servers = new HashMap<>();
        for (String key : List.of("kafka.bootstrap.servers", "quarkus.cassandra.contact-points",
                "quarkus.cassandra.local-datacenter", "quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username", "quarkus.datasource.password")) {
            servers.put(key, System.getProperty(key));
        }
        api = new RandomUserApiServer();
        Path work = Path.of(System.getProperty("e2e.work"));
        Map<String, String> processorConfig = new HashMap<>(servers);
        processorConfig.put("pipeline.analytics.refresh-interval", "1h");
        processor = new QuarkusService("processor", Path.of(System.getProperty("e2e.processor")),
                work.resolve("processor"), FreePorts.next(), processorConfig);
        ingestor = new QuarkusService("ingestor", Path.of(System.getProperty("e2e.ingestor")),
                work.resolve("ingestor"), FreePorts.next(), Map.of(
                        "kafka.bootstrap.servers", servers.get("kafka.bootstrap.servers"),
                        "ingestion.interval", "off",
                        "ingestion.batch-size", Integer.toString(PROFILES),
                        "ingestion.source", "api",
                        "ingestion.api.base-url", api.baseUrl(),
                        "ingestion.api.results-per-call", Integer.toString(RandomUserApiServer.MOST_RESULTS),
                        "ingestion.api.seed", API_SEED));
        processor.start();
        ingestor.start();
    }

    @AfterAll
    static void stopServices() {
        if (ingestor != null) {
            ingestor.stop();
        }
        if (processor != null) {
            processor.stop();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void everyRealFormatProfileAndTutorialRecordReachesBothStoresIdenticallyAndOnlyInvalidOnesTheDeadLetterTopic()
            throws Exception {
        assertThat(post(ingestor.url() + "/ingestion/trigger").statusCode()).isEqualTo(202);
        Map<UUID, RandomUserProfile> tutorial = produceTutorialRecords();
        JsonNode status = await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get(ingestor.url() + "/ingestion/status")),
                        s -> !s.get("running").asBoolean() && s.path("lastRun").path("number").asInt() == 1);
        assertThat(status.at("/lastRun/outcome").asText()).isEqualTo("succeeded");
        assertThat(status.at("/lastRun/published").asInt()).isEqualTo(PROFILES);
        assertThat(api.profilesServed()).isEqualTo(PROFILES);

        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("e2e-not-json", "{this is not json");
        invalid.put("e2e-bad-uuid", validJson().replaceFirst("\"userId\":\"[^\"]+\"", "\"userId\":\"42\""));
        invalid.put("e2e-bad-email", validJson().replaceFirst("\"email\":\"[^\"]+\"", "\"email\":\"nobody\""));
        invalid.put("e2e-future-birth", validJson().replaceFirst("\"dateOfBirth\":\"[^\"]+\"", "\"dateOfBirth\":\"2999-01-01\""));
        invalid.put("e2e-empty", "");
        Map<String, String> expectedReasons = Map.of(
                "e2e-not-json", RejectionReason.MALFORMED_JSON.wireName(),
                "e2e-bad-uuid", RejectionReason.INVALID_UUID.wireName(),
                "e2e-bad-email", RejectionReason.INVALID_EMAIL.wireName(),
                "e2e-future-birth", RejectionReason.DATE_NOT_IN_PAST.wireName(),
                "e2e-empty", RejectionReason.EMPTY_PAYLOAD.wireName());
        produce("user-profiles", invalid);

        Map<UUID, UserEvent> published = readPublishedEvents();
        assertThat(published).hasSize(PROFILES);
        assertThat(published.values().stream().map(UserEvent::nationality).distinct()).as("nationalities").hasSize(21);
        long users = PROFILES + TUTORIAL_RECORDS;

        try (CqlSession cassandra = cassandra(); Connection postgres = postgres()) {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> count(postgres, "SELECT count(*) FROM users") >= users
                            && count(cassandra, "SELECT count(*) FROM user_pipeline.users_by_id") >= users);

            Map<UUID, Map<String, String>> inPostgres = StoredUsers.inPostgres(postgres);
            Map<UUID, Map<String, String>> inCassandra = StoredUsers.inCassandra(cassandra, "user_pipeline");
            Set<UUID> expectedIds = new HashSet<>(published.keySet());
            expectedIds.addAll(tutorial.keySet());
            assertThat(inPostgres.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds);
            assertThat(inCassandra.keySet()).containsExactlyInAnyOrderElementsOf(expectedIds);
            for (UUID id : expectedIds) {
                assertThat(inCassandra.get(id)).as("user %s: Cassandra and PostgreSQL", id).isEqualTo(inPostgres.get(id));
            }
            Map<UUID, RandomUserProfile> served = new HashMap<>();
            RandomUserApiServer.generator(API_SEED).profiles(0, PROFILES)
                    .forEach(profile -> served.put(UUID.fromString(profile.login().uuid()), profile));
            assertThat(served.keySet()).as("the people the API served").isEqualTo(published.keySet());
            for (UserEvent event : published.values()) {
                Map<String, String> row = inPostgres.get(event.userId());
                assertThat(row.get("event_id")).isEqualTo(event.eventId().toString());
                RandomUserProfile profile = served.get(event.userId());
                RandomUserProfile.Location location = profile.location();
                assertThat(List.of(row.get("title"), row.get("first_name"), row.get("last_name"), row.get("email"),
                        row.get("phone"), row.get("cell"), row.get("street"), row.get("city"), row.get("state"),
                        row.get("country"), row.get("postcode"), row.get("username"), row.get("date_of_birth"),
                        row.get("nationality")))
                        .as("the profile as the API served it, surrounding white space aside: %s", event.userId())
                        .isEqualTo(List.of(profile.name().title(), profile.name().first().strip(),
                                profile.name().last().strip(), profile.email(), profile.phone(), profile.cell(),
                                (RandomUserProfile.text(location.street().number()) + " " + location.street().name()).strip(),
                                location.city().strip(), location.state().strip(), location.country(),
                                RandomUserProfile.text(location.postcode()), profile.login().username(),
                                profile.dob().date().substring(0, 10), profile.nat()));
            }
            for (Map.Entry<UUID, RandomUserProfile> record : tutorial.entrySet()) {
                RandomUserProfile profile = record.getValue();
                RandomUserProfile.Location location = profile.location();
                Map<String, String> row = inPostgres.get(record.getKey());
                assertThat(List.of(row.get("first_name"), row.get("last_name"), row.get("email"), row.get("phone"),
                        row.get("postcode"), row.get("date_of_birth"), row.get("state"), row.get("country"), row.get("source")))
                        .as("tutorial record %s", record.getKey())
                        .isEqualTo(List.of(profile.name().first().strip(), profile.name().last().strip(), profile.email(),
                                profile.phone(), RandomUserProfile.text(location.postcode()),
                                profile.dob().date().substring(0, 10), location.state().strip(), location.country(), "tutorial"));
                // The address is split at its last three commas: a comma inside a city moves the city's first part
                // to the street, and nothing is lost.
                String street = (RandomUserProfile.text(location.street().number()) + " " + location.street().name()).strip();
                if (location.city().contains(",")) {
                    assertThat(row.get("street") + ", " + row.get("city")).as("tutorial record %s", record.getKey())
                            .isEqualTo(street + ", " + location.city().strip());
                } else {
                    assertThat(List.of(row.get("street"), row.get("city"))).as("tutorial record %s", record.getKey())
                            .isEqualTo(List.of(street, location.city().strip()));
                }
            }
            assertThat(StoredUsers.countryIndexDisagreements(cassandra, "user_pipeline", inCassandra)).isEmpty();

            JsonNode analytics = JSON.readTree(post(processor.url() + "/analytics/refresh").body());
            assertThat(analytics.get("users").asLong()).isEqualTo(users);
            Map<String, Long> byCountry = new HashMap<>();
            analytics.get("byCountry").fields().forEachRemaining(e -> byCountry.put(e.getKey(), e.getValue().asLong()));
            assertThat(byCountry).isEqualTo(countsBy(postgres, "country"));
            assertThat(byCountry.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(users);
        }

        assertThat(readDeadLetterReasons(expectedReasons.keySet())).isEqualTo(expectedReasons);
    }

    /**
     * Records as the tutorial's producer writes them, one per profile of another seed, without a key; its own
     * {@code uuid4()} is the user id.
     */
    private static Map<UUID, RandomUserProfile> produceTutorialRecords() throws Exception {
        Map<UUID, RandomUserProfile> records = new HashMap<>();
        Random ids = new Random(20261202);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap.servers")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (RandomUserProfile profile : new RandomUserGenerator(7).profiles(0, TUTORIAL_RECORDS)) {
                UUID id = new UUID(ids.nextLong(), ids.nextLong());
                records.put(id, profile);
                producer.send(new ProducerRecord<>("users_created", TutorialRecords.json(profile, id)));
            }
            producer.flush();
        }
        return records;
    }

    private static String validJson() {
        UserEvent event = new UserEvent(1, UUID.randomUUID(), "e2e", Instant.now(), UUID.randomUUID(), null, "Eve", "Tester",
                "female", "eve@example.com", "+44 20 7946 0000", null, LocalDate.of(1990, 1, 1), "1 Test St",
                "London", null, "United Kingdom", "N1 9GU", "evetester", Instant.parse("2020-01-01T00:00:00Z"), null, "GB");
        return new String(UserEventJson.write(event), StandardCharsets.UTF_8);
    }

    private static Map<UUID, UserEvent> readPublishedEvents() throws IOException {
        Map<UUID, UserEvent> events = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readUntil("user-profiles", all -> all.size() >= PROFILES + 5)) {
            if (record.value() != null && record.value().length > 0 && record.value()[0] == '{') {
                try {
                    UserEvent event = UserEventJson.read(record.value());
                    if ("randomuser-api".equals(event.source())) {
                        events.put(event.userId(), event);
                    }
                } catch (IOException notAnEvent) {
                    // One of the invalid records this test wrote.
                }
            }
        }
        return events;
    }

    /**
     * Every dead letter's reason by its record's key, once the expected ones are in: a real record refused would
     * show here with its source and message.
     */
    private static Map<String, String> readDeadLetterReasons(Set<String> expectedKeys) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readUntil("user-profiles-dlq",
                all -> all.stream().map(PipelineEndToEndIT::key).filter(expectedKeys::contains).count() >= expectedKeys.size())) {
            String reason = KafkaTopics.header(record, DeadLetterHeaders.REASON);
            reasons.put(key(record), expectedKeys.contains(key(record)) ? reason
                    : reason + ": " + KafkaTopics.header(record, DeadLetterHeaders.MESSAGE));
        }
        return reasons;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() != null ? KafkaTopics.key(record)
                : KafkaTopics.header(record, DeadLetterHeaders.SOURCE_TOPIC) + "@"
                        + KafkaTopics.header(record, DeadLetterHeaders.SOURCE_OFFSET);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        return KafkaTopics.readUntil(System.getProperty("kafka.bootstrap.servers"), topic, Duration.ofSeconds(120), done);
    }

    private static void produce(String topic, Map<String, String> records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap.servers")),
                new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> record : records.entrySet()) {
                producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get();
            }
        }
    }

    private static CqlSession cassandra() {
        String[] contact = System.getProperty("quarkus.cassandra.contact-points").split(":");
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
                .withLocalDatacenter(System.getProperty("quarkus.cassandra.local-datacenter"))
                .build();
    }

    private static Connection postgres() throws SQLException {
        return DriverManager.getConnection(System.getProperty("quarkus.datasource.jdbc.url"),
                System.getProperty("quarkus.datasource.username"), System.getProperty("quarkus.datasource.password"));
    }

    private static long count(Connection postgres, String sql) throws SQLException {
        try (ResultSet result = postgres.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** A count is a scan of the whole table: on two busy cores it takes longer than the driver's 2 s default. */
    private static long count(CqlSession cassandra, String cql) {
        return cassandra.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60))).one().getLong(0);
    }

    private static Map<String, Long> countsBy(Connection postgres, String column) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (ResultSet result = postgres.createStatement().executeQuery(
                "SELECT " + column + ", count(*) FROM users GROUP BY " + column)) {
            while (result.next()) {
                counts.put(result.getString(1), result.getLong(2));
            }
        }
        return counts;
    }

    private static HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
