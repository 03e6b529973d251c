package io.userpipeline.ingestor.publish;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.ServerControl;
import io.userpipeline.servers.TestTiers;

/**
 * Kafka goes away: a run fails at once and clearly, fetching nothing, health and metrics say so, and the next
 * run after Kafka is back succeeds.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.ShortKafkaTimeouts.class)
@Tag(TestTiers.SERVERS)
class KafkaOutageTest {

    public static class ShortKafkaTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.user-profiles.topic", "kafka-outage-test",
                    "mp.messaging.outgoing.user-profiles.delivery.timeout.ms", "6000",
                    "mp.messaging.outgoing.user-profiles.request.timeout.ms", "2000",
                    "mp.messaging.outgoing.user-profiles.max.block.ms", "2000");
        }
    }

    @Test
    void anUnreachableKafkaFailsTheRunClearlyAndTheNextRunSucceedsOnceItIsBack() {
        JsonPath healthy = run();
        assertThat(healthy.getString("lastRun.outcome")).isEqualTo("succeeded");

        ServerControl.stop("kafka");
        try {
            JsonPath failed = run();
            assertThat(failed.getString("lastRun.outcome")).isEqualTo("kafka-unreachable");
            assertThat(failed.getLong("lastRun.fetched")).isZero();
            assertThat(failed.getLong("lastRun.published")).isZero();
            assertThat(failed.getString("lastError.message"))
                    .contains("Kafka at 127.0.0.1:", "did not answer within 5 s", "fetched nothing");
            assertThat(runsWithOutcome("kafka-unreachable")).isEqualTo(1.0);
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            ServerControl.start("kafka");
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertThat(run().getString("lastRun.outcome")).isEqualTo("succeeded");
    }

    private static JsonPath run() {
        long before = given().get("/ingestion/status").then().extract().jsonPath().getLong("totals.runs");
        given().post("/ingestion/trigger").then().statusCode(202);
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/ingestion/status").then().extract().jsonPath(),
                        status -> !status.getBoolean("running") && status.getLong("totals.runs") > before);
    }

    private static double runsWithOutcome(String outcome) {
        return MetricsScrape.parse(given().get("/q/metrics").asString())
                .sum("ingestion_runs_total", Map.of("outcome", outcome));
    }
}
