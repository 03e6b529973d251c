package io.userpipeline.ingestor.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.userpipeline.servers.TestTiers;

/** Trigger, pause, resume and status over HTTP, as an operator would use them. */
@QuarkusTest
@TestProfile(ScheduleControlTest.EverySecondStartingPaused.class)
@Tag(TestTiers.SERVERS)
class ScheduleControlTest {

    public static class EverySecondStartingPaused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.interval", "1s",
                    "ingestion.start-paused", "true",
                    "ingestion.batch-size", "50",
                    "mp.messaging.outgoing.user-profiles.topic", "schedule-control-test");
        }
    }

    @Test
    void pausedScheduleRunsOnlyWhenTriggeredAndResumesWhenAsked() throws InterruptedException {
        given().get("/ingestion/status").then().statusCode(200)
                .body("schedule", equalTo("every 1s"))
                .body("paused", equalTo(true))
                .body("source", equalTo("generator"));

        Thread.sleep(2500);
        assertThat(runs()).as("no scheduled run while paused").isZero();

        given().post("/ingestion/trigger").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> runs() == 1 && !running());
        assertThat(runs()).isEqualTo(1);

        given().post("/ingestion/resume").then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> runs() >= 3);

        given().post("/ingestion/pause").then().statusCode(200).body("paused", equalTo(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> !running());
        long runsWhenPaused = runs();
        Thread.sleep(2500);
        assertThat(runs()).as("no scheduled run after pausing").isEqualTo(runsWhenPaused);

        given().get("/ingestion/status").then()
                .body("lastRun.outcome", equalTo("succeeded"))
                .body("totals.published", equalTo((int) (runsWhenPaused * 50)));
        given().get("/ingestion/runs").then().statusCode(200)
                .body("runs.startedBy", hasItems("schedule", "operator"));
    }

    @Test
    void statusIsDocumentedInOpenApi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/ingestion/trigger"))
                .body(containsString("/ingestion/status"));
    }

    private static long runs() {
        return given().get("/ingestion/status").then().extract().jsonPath().getLong("totals.runs");
    }

    private static boolean running() {
        return given().get("/ingestion/status").then().extract().jsonPath().getBoolean("running");
    }
}
