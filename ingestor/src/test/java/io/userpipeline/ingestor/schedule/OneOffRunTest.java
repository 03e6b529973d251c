package io.userpipeline.ingestor.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.userpipeline.servers.TestTiers;

/** A run triggered with its own size and rate (a backfill), and what the trigger answers to nonsense. */
@QuarkusTest
@TestProfile(OneOffRunTest.OwnTopic.class)
@Tag(TestTiers.SERVERS)
class OneOffRunTest {

    public static class OwnTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.batch-size", "500",
                    "mp.messaging.outgoing.user-profiles.topic", "one-off-run-test");
        }
    }

    @Test
    void aTriggeredRunFetchesTheProfilesAskedForNoFasterThanTheRateAskedFor() {
        given().queryParam("profiles", 40).queryParam("max-rate", 80).post("/ingestion/trigger").then().statusCode(202);
        JsonPath status = await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/ingestion/status").then().extract().jsonPath(),
                        s -> !s.getBoolean("running") && s.getLong("totals.runs") == 1);

        assertThat(status.getString("lastRun.outcome")).isEqualTo("succeeded");
        assertThat(status.getLong("lastRun.fetched")).as("the run's size, not ingestion.batch-size").isEqualTo(40);
        assertThat(status.getLong("lastRun.published")).isEqualTo(40);
        // 80 per second lets the 40th profile through 39/80 s after the first; unpaced, 40 take a few milliseconds.
        assertThat(status.getLong("lastRun.durationMillis")).isGreaterThanOrEqualTo(450);
    }

    @Test
    void nonsenseIsRefusedWithWhatIsWrongAndNoRunStarts() {
        long runsBefore = given().get("/ingestion/status").then().extract().jsonPath().getLong("totals.runs");

        given().queryParam("profiles", 0).post("/ingestion/trigger").then().statusCode(400)
                .body("error", equalTo("profiles must be a whole number from 1 to 10000000, not '0'; leave it out to use"
                        + " the configured value."));
        given().queryParam("max-rate", "fast").post("/ingestion/trigger").then().statusCode(400)
                .body("error", equalTo("max-rate must be a whole number from 1 to 1000000, not 'fast'; leave it out to"
                        + " use the configured value."));
        given().queryParam("profiles", "20000000").post("/ingestion/trigger").then().statusCode(400);

        assertThat(given().get("/ingestion/status").then().extract().jsonPath().getLong("totals.runs"))
                .isEqualTo(runsBefore);
    }
}
