package io.userpipeline.ingestor;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.userpipeline.servers.TestTiers;

/**
 * The packaged ingestor (the runnable jar, or the native executable when built with -Pnative) as its own process,
 * against the test run's real Kafka: it is ready, and a triggered run publishes every profile.
 */
@QuarkusIntegrationTest
@WithTestResource(IngestorIT.LocalServerAddresses.class)
@Tag(TestTiers.SERVERS)
class IngestorIT {

    static final int BATCH = 100;

    /**
     * Hands the launched application the addresses the local-servers launcher put in this JVM's system properties;
     * Quarkus passes the returned map to the application's process as configuration.
     */
    public static class LocalServerAddresses implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            for (String key : List.of("kafka.bootstrap.servers")) {
                String value = System.getProperty(key);
                if (value == null) {
                    throw new IllegalStateException(key + " is not set: run with -Dlocal-servers=kafka (failsafe does)");
                }
                config.put(key, value);
            }
            config.put("ingestion.interval", "off");
            config.put("ingestion.batch-size", String.valueOf(BATCH));
            config.put("mp.messaging.outgoing.user-profiles.topic", "ingestor-it");
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void isReadyWithKafkaReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void triggeredRunPublishesEveryProfileAndStatusSaysSo() {
        given().get("/ingestion/status").then().statusCode(200)
                .body("source", equalTo("generator"))
                .body("running", equalTo(false));

        given().post("/ingestion/trigger").then().statusCode(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            var status = given().get("/ingestion/status").then().statusCode(200).extract().jsonPath();
            return !status.getBoolean("running") && "succeeded".equals(status.getString("lastRun.outcome"));
        });
        given().get("/ingestion/status").then()
                .body("lastRun.fetched", equalTo(BATCH))
                .body("lastRun.published", equalTo(BATCH))
                .body("lastRun.failed", equalTo(0));
    }
}
