package io.userpipeline.processor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.userpipeline.servers.TestTiers;

/** With pipeline.operations.enabled off (the chart's default), every change is refused with the setting named. */
@QuarkusTest
@TestProfile(OperationsSwitchedOffTest.SwitchedOff.class)
@Tag(TestTiers.SERVERS)
class OperationsSwitchedOffTest {

    public static class SwitchedOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pipeline.operations.enabled", "false");
        }
    }

    @Test
    void aChangeMustSayItSendsJsonAndNotComeFromAnotherSite() {
        given().post("/processing/user-profiles/pause").then().statusCode(415)
                .body("error", containsString("Content-Type: application/json"));
        given().contentType("text/plain").post("/dead-letters/replay").then().statusCode(415);
        given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "cross-site").post("/console/ingestor/trigger")
                .then().statusCode(403).body("error", containsString("another site"));
        given().get("/console.html").then().statusCode(200).header("X-Frame-Options", "DENY");
    }

    @Test
    void changesAreRefusedAndReadingStillWorks() {
        given().contentType(ContentType.JSON).post("/processing/user-profiles/pause").then().statusCode(403)
                .body("error", containsString("pipeline.operations.enabled"));
        given().contentType(ContentType.JSON).post("/processing/user-profiles/resume").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"all\": true}").post("/dead-letters/replay").then().statusCode(403);
        given().contentType(ContentType.JSON).post("/console/ingestor/trigger").then().statusCode(403);
        given().contentType(ContentType.JSON).post("/console/ingestor/pause").then().statusCode(403);
        given().get("/processing").then().statusCode(200).body("operationsEnabled", equalTo(false))
                .body("channels.paused", everyItem(equalTo(false)));
        given().get("/console/overview").then().statusCode(200).body("operationsEnabled", equalTo(false));
    }
}
