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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;
import io.userpipeline.testsupport.StoredUsers;

/**
 * The whole pipeline as it runs in production, on one machine: the packaged ingestor and processor as their own
 * processes, real Kafka, Cassandra and PostgreSQL. Ten thousand generated profiles and a handful of invalid
 * records go in; every profile must come out in both stores, identically, and every invalid record in the
 * dead-letter topic.
 */
class PipelineEndToEndIT {

    static final int PROFILES = 10_000;
    static final ObjectMapper JSON = new ObjectMapper();

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
                        "ingestion.generator.seed", "20261121"));
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
    }

    @Test
    void everyValidProfileReachesBothStoresIdenticallyAndEveryInvalidOneTheDeadLetterTopic() throws Exception {
        assertThat(post(ingestor.url() + "/ingestion/trigger").statusCode()).isEqualTo(202);
        JsonNode status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> JSON.readTree(get(ingestor.url() + "/ingestion/status")),
                        s -> !s.get("running").asBoolean() && s.path("lastRun").path("number").asInt() == 1);
        assertThat(status.at("/lastRun/outcome").asText()).isEqualTo("succeeded");
        assertThat(status.at("/lastRun/published").asInt()).isEqualTo(PROFILES);

        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("e2e-not-json", "{this is not json");
        invalid.put("e2e-bad-uuid", validJson().replaceFirst("\"userId\":\"[^\"]+\"", "\"userId\":\"42\""));
        invalid.put("e2e-bad-email", validJson().replaceFirst("\"email\":\"[^\"]+\"", "\"email\":\"nobody\""));
        invalid.put("e2e-future-birth", validJson().replaceFirst("\"dateOfBirth\":\"[^\"]+\"", "\"dateOfBirth\":\"2999-01-01\""));
        invalid.put("e2e-empty", "");
        Map<String, String> expectedReasons = Map.of("e2e-not-json", "malformed-json", "e2e-bad-uuid", "invalid-uuid",
                "e2e-bad-email", "invalid-email", "e2e-future-birth", "date-not-in-past", "e2e-empty", "empty-payload");
        produce("user-profiles", invalid);

        Map<UUID, UserEvent> published = readPublishedEvents();
        assertThat(published).hasSize(PROFILES);

        try (CqlSession cassandra = cassandra(); Connection postgres = postgres()) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> count(postgres, "SELECT count(*) FROM users") >= PROFILES
                            && cassandra.execute("SELECT count(*) FROM user_pipeline.users_by_id").one().getLong(0) >= PROFILES);

            Map<UUID, Map<String, String>> inPostgres = StoredUsers.inPostgres(postgres);
            Map<UUID, Map<String, String>> inCassandra = StoredUsers.inCassandra(cassandra, "user_pipeline");
            assertThat(inPostgres.keySet()).containsExactlyInAnyOrderElementsOf(published.keySet());
            assertThat(inCassandra.keySet()).containsExactlyInAnyOrderElementsOf(published.keySet());
            for (UUID id : published.keySet()) {
                assertThat(inCassandra.get(id)).as("user %s: Cassandra and PostgreSQL", id).isEqualTo(inPostgres.get(id));
                assertThat(inPostgres.get(id).get("email")).isEqualTo(published.get(id).email().toLowerCase());
                assertThat(inPostgres.get(id).get("event_id")).isEqualTo(published.get(id).eventId().toString());
            }
            assertThat(count(cassandra, "SELECT count(*) FROM user_pipeline.users_by_country")).isEqualTo(PROFILES);

            JsonNode analytics = JSON.readTree(post(processor.url() + "/analytics/refresh").body());
            assertThat(analytics.get("users").asLong()).isEqualTo(PROFILES);
            Map<String, Long> byCountry = new HashMap<>();
            analytics.get("byCountry").fields().forEachRemaining(e -> byCountry.put(e.getKey(), e.getValue().asLong()));
            assertThat(byCountry).isEqualTo(countsBy(postgres, "country"));
            assertThat(byCountry.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(PROFILES);
        }

        Map<String, String> deadLetterReasons = readDeadLetterReasons(expectedReasons.keySet());
        assertThat(deadLetterReasons).isEqualTo(expectedReasons);
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
                    if ("generator".equals(event.source())) {
                        events.put(event.userId(), event);
                    }
                } catch (IOException notAnEvent) {
                    // One of the invalid records this test wrote.
                }
            }
        }
        return events;
    }

    private static Map<String, String> readDeadLetterReasons(Set<String> keys) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readUntil("user-profiles-dlq", all -> all.size() >= keys.size())) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            reasons.put(key, new String(record.headers().lastHeader("dlq-reason").value(), StandardCharsets.UTF_8));
        }
        return reasons;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("kafka.bootstrap.servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
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

    private static long count(CqlSession cassandra, String cql) {
        return cassandra.execute(cql).one().getLong(0);
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
