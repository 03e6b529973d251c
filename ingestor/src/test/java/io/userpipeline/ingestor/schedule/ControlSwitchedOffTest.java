package io.userpipeline.ingestor.schedule;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.userpipeline.servers.TestTiers;

/** With {@code ingestion.control.enabled=false}, the control calls are refused and the reads still answer. */
@QuarkusTest
@TestProfile(ControlSwitchedOffTest.ControlOff.class)
@Tag(TestTiers.SERVERS)
class ControlSwitchedOffTest {

    static final String SWITCHED_OFF = "Control is switched off by ingestion.control.enabled=false (the chart's"
            + " operations.enabled): POST /ingestion/trigger, /ingestion/pause and /ingestion/resume are refused. The"
            + " schedule goes on as configured, and GET /ingestion/status and /ingestion/runs answer.";

    public static class ControlOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.control.enabled", "false",
                    // A schedule to pause, never due during the test.
                    "ingestion.interval", "1h",
                    "ingestion.start-paused", "true",
                    "mp.messaging.outgoing.user-profiles.topic", "control-switched-off-test");
        }
    }

    @Test
    void triggerPauseAndResumeAreRefusedSayingWhichSettingSwitchedThemOff() {
        given().post("/ingestion/trigger").then().statusCode(403).body("error", equalTo(SWITCHED_OFF));
        given().queryParam("profiles", 0).post("/ingestion/trigger").then().statusCode(403)
                .body("error", equalTo(SWITCHED_OFF));
        given().post("/ingestion/resume").then().statusCode(403).body("error", equalTo(SWITCHED_OFF));
        given().post("/ingestion/pause").then().statusCode(403).body("error", equalTo(SWITCHED_OFF));

        given().get("/ingestion/status").then().statusCode(200)
                .body("paused", equalTo(true))
                .body("running", equalTo(false))
                .body("totals.runs", equalTo(0));
        given().get("/ingestion/runs").then().statusCode(200).body("runs", hasSize(0));
    }
}
