package io.userpipeline.ingestor.schedule;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.userpipeline.servers.TestTiers;

/**
 * Run ids and the run history over HTTP, against the real Kafka: a trigger answers its run's id and address, which
 * follows the run to its outcome; the history keeps the last {@code ingestion.history-size} runs.
 */
@QuarkusTest
@TestProfile(RunHistoryApiTest.HistoryOfThree.class)
@Tag(TestTiers.SERVERS)
class RunHistoryApiTest {

    public static class HistoryOfThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.history-size", "3",
                    "mp.messaging.outgoing.user-profiles.topic", "run-history-api-test");
        }
    }

    @Test
    void aTriggerAnswersItsRunsIdAndAddressWhichFollowTheRunToItsOutcome() {
        // 40 profiles at 40 per second: about a second, long enough to see the run going on.
        Response triggered = given().queryParam("profiles", 40).queryParam("max-rate", 40).post("/ingestion/trigger");

        assertThat(triggered.statusCode()).isEqualTo(202);
        String id = triggered.jsonPath().getString("runId");
        assertThat(id).matches("[0-9a-z]{16}");
        assertThat(triggered.jsonPath().getInt("plan.profiles")).isEqualTo(40);
        assertThat(triggered.jsonPath().getInt("plan.maxRate")).isEqualTo(40);
        assertThat(triggered.header("Location")).as("relative, as sent").isEqualTo("/ingestion/runs/" + id);

        JsonPath running = given().get(triggered.header("Location")).then().statusCode(200).extract().jsonPath();
        assertThat(running.getString("id")).isEqualTo(id);
        assertThat(running.getString("outcome")).isEqualTo("running");
        assertThat(running.getString("finishedAt")).isNull();
        assertThat(running.getString("startedBy")).isEqualTo("operator");
        assertThat(given().get("/ingestion/status").then().extract().jsonPath().getString("currentRunId"))
                .isEqualTo(id);

        JsonPath finished = awaitFinished(id);
        assertThat(finished.getString("outcome")).isEqualTo("succeeded");
        assertThat(finished.getMap("counts")).containsExactlyInAnyOrderEntriesOf(Map.of("fetched", 40, "published", 40,
                "failed", 0, "unmappable", 0, "publishFailed", 0));
        assertThat(finished.getString("finishedAt")).isNotNull();
        assertThat(finished.getLong("durationMs")).as("paced at 40 per second").isGreaterThanOrEqualTo(900);
        assertThat(finished.getString("error")).isNull();
        JsonPath status = given().get("/ingestion/status").then().extract().jsonPath();
        assertThat(status.getString("lastRun.id")).isEqualTo(id);
        assertThat(status.getString("currentRunId")).isNull();
    }

    @Test
    void theHistoryKeepsTheLastRunsNewestFirstAndSaysWhenItHasForgottenOne() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = given().queryParam("profiles", 5).post("/ingestion/trigger").then().statusCode(202)
                    .extract().jsonPath().getString("runId");
            awaitFinished(id);
            ids.add(id);
        }

        JsonPath history = given().get("/ingestion/runs").then().statusCode(200).extract().jsonPath();
        assertThat(history.getInt("historySize")).isEqualTo(3);
        assertThat(history.getList("runs.id", String.class)).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(history.getList("runs.outcome", String.class)).containsOnly("succeeded");
        assertThat(history.getList("runs.counts.published", Integer.class)).containsOnly(5);

        String forgotten = given().get("/ingestion/runs/" + ids.get(0)).then().statusCode(404).extract().jsonPath()
                .getString("error");
        assertThat(forgotten).isEqualTo("No run " + ids.get(0) + " in the history: it keeps the last 3 runs"
                + " (ingestion.history-size), older runs are forgotten, and a restart forgets them all. GET"
                + " /ingestion/runs lists the runs kept.");
        given().get("/ingestion/runs/no-such-run").then().statusCode(404);
    }

    private static JsonPath awaitFinished(String id) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/ingestion/runs/" + id).then().statusCode(200).extract().jsonPath(),
                        run -> !"running".equals(run.getString("outcome")));
    }
}
