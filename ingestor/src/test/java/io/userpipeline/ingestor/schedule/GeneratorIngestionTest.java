package io.userpipeline.ingestor.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.ingestor.source.ProfileGenerator;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.testsupport.KafkaTopics;

/** The default, offline path: generated profiles reach the real Kafka, keyed by user id, in the shared format. */
@QuarkusTest
@TestProfile(GeneratorIngestionTest.OwnTopicAndSeed.class)
@Tag(TestTiers.SERVERS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratorIngestionTest {

    static final String TOPIC = "generator-ingestion-test";
    static final long SEED = 2026;

    public static class OwnTopicAndSeed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.generator.seed", Long.toString(SEED),
                    "ingestion.batch-size", "500",
                    "mp.messaging.outgoing.user-profiles.topic", TOPIC);
        }
    }

    @Test
    @Order(1)
    void aTriggeredRunPublishesEveryGeneratedProfileToKafka() throws IOException {
        Instant before = Instant.now();
        given().post("/ingestion/trigger").then().statusCode(202);
        JsonPath status = await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/ingestion/status").then().extract().jsonPath(),
                        s -> !s.getBoolean("running") && s.getLong("totals.runs") == 1);

        assertThat(status.getString("lastRun.outcome")).isEqualTo("succeeded");
        assertThat(status.getLong("lastRun.fetched")).isEqualTo(500);
        assertThat(status.getLong("lastRun.published")).isEqualTo(500);
        assertThat(status.getString("lastError")).isNull();

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTopics.readUntil(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), TOPIC, Duration.ofSeconds(20),
                read -> read.size() >= 500);
        ProfileGenerator sameSeed = new ProfileGenerator(SEED);
        Set<String> expectedIds = LongStream.range(0, 500).mapToObj(i -> sameSeed.profile(i).login().uuid())
                .collect(Collectors.toSet());
        assertThat(records).hasSize(500);
        assertThat(records).extracting(KafkaTopics::key).containsExactlyInAnyOrderElementsOf(expectedIds);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            UserEvent event = UserEventJson.read(record.value());
            assertThat(event.userId()).hasToString(KafkaTopics.key(record));
            assertThat(event.schemaVersion()).isEqualTo(UserEvent.CURRENT_SCHEMA_VERSION);
            assertThat(event.source()).isEqualTo("generator");
            assertThat(event.ingestedAt()).isAfterOrEqualTo(before.minusSeconds(1));
        }
        assertThat(records).extracting(r -> UserEventJson.read(r.value()).eventId()).doesNotHaveDuplicates();
    }

    /** After the triggered run (ordered first): the metrics count what the status accounts for. */
    @Test
    @Order(2)
    void metricsCountWhatWasPublished() {
        JsonPath status = given().get("/ingestion/status").then().statusCode(200).extract().jsonPath();
        MetricsScrape metrics = MetricsScrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
        Map<String, String> generator = Map.of("source", "generator");

        assertThat(status.getLong("totals.published")).as("published by the run before").isEqualTo(500);
        assertThat(metrics.value("ingestion_records_fetched_total", generator))
                .isEqualTo(status.getLong("totals.fetched"));
        assertThat(metrics.value("ingestion_records_published_total", generator))
                .isEqualTo(status.getLong("totals.published"));
        assertThat(metrics.value("ingestion_run_duration_seconds_count", generator))
                .isEqualTo(status.getLong("totals.runs"));
    }
}
