package io.userpipeline.ingestor.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.userpipeline.servers.TestTiers;

/**
 * The API's circuit breaker switched on (the other tests switch it off), against a real HTTP server failing in the
 * ways real APIs fail: a run the open breaker stops says which failure opened it, since when and until when, rather
 * than only "fetchPage circuit breaker is open".
 */
@QuarkusTest
@TestProfile(ApiCircuitBreakerTest.BreakerOn.class)
@QuarkusTestResource(value = FakeRandomUserApi.class, restrictToAnnotatedClass = true)
@Tag(TestTiers.SERVERS)
class ApiCircuitBreakerTest {

    private static final String FETCH_PAGE = "quarkus.fault-tolerance.\"io.userpipeline.ingestor.source.RandomUserApiClient"
            + "/fetchPage\".circuit-breaker.";

    /** Opens after two failed calls out of two (one run: a call and its one retry) and stays open for a minute. */
    public static class BreakerOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.source", "api",
                    "ingestion.batch-size", "3",
                    "mp.messaging.outgoing.user-profiles.topic", "api-circuit-breaker-test",
                    FETCH_PAGE + "enabled", "true",
                    FETCH_PAGE + "request-volume-threshold", "2",
                    FETCH_PAGE + "delay", "60000");
        }
    }

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @AfterEach
    void closeTheBreaker() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.VARIED_PROFILES);
        circuitBreakers.reset(RandomUserApiClient.CIRCUIT_BREAKER);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(FakeRandomUserApi.Mode.UNAVAILABLE, List.of("answered HTTP 503", "503 Service Unavailable")),
                Arguments.of(FakeRandomUserApi.Mode.API_ERROR, List.of("answered without results",
                        "Uh oh, something has gone wrong")),
                Arguments.of(FakeRandomUserApi.Mode.SLOW, List.of("failed: ", "imeout")),
                Arguments.of(FakeRandomUserApi.Mode.CUT_CONNECTION, List.of("failed: ", "losed")),
                Arguments.of(FakeRandomUserApi.Mode.STALLED_BODY, List.of("did not finish within the call's time-out",
                        "fetchPage timed out")),
                Arguments.of(FakeRandomUserApi.Mode.SERVER_ERROR, List.of("answered HTTP 500",
                        "<html><body>Internal Server Error")));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aRunTheOpenBreakerStopsNamesTheFailureThatOpenedIt(FakeRandomUserApi.Mode mode, List<String> cause)
            throws Exception {
        FakeRandomUserApi.switchTo(mode);

        JsonPath opening = triggerAndAwaitRun();
        assertThat(opening.getString("outcome")).isEqualTo("source-failed");
        assertThat(opening.getString("error")).as("the run whose failures open the breaker names them itself")
                .contains(cause).doesNotContain("circuit breaker");

        JsonPath stopped = triggerAndAwaitRun();
        assertThat(stopped.getString("outcome")).isEqualTo("source-failed");
        String error = stopped.getString("error");
        assertThat(error).startsWith("the randomuser-api source failed after 0 profiles: circuit breaker randomuser-api"
                + " open since ").contains(" after: GET http://127.0.0.1:", "results=3").contains(cause)
                .doesNotContain("fetchPage circuit breaker is open");
        Matcher nextTry = Pattern.compile("; next try after \\S+Z \\(in (\\d+) s\\)$").matcher(error);
        assertThat(nextTry.find()).as("ends with the next try: %s", error).isTrue();
        assertThat(Integer.parseInt(nextTry.group(1))).as("the configured delay, 60 s, less the time since it opened")
                .isBetween(40, 60);
        assertThat(given().get("/ingestion/status").then().extract().jsonPath().getString("lastError.message"))
                .isEqualTo(error);
        JsonPath ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(ready.getString("checks.find { it.name == 'profile source' }.data.reason"))
                .as("readiness says the same").startsWith("recent calls to the API failed and calls are suspended:"
                        + " circuit breaker randomuser-api open since ").contains(cause);
    }

    private static JsonPath triggerAndAwaitRun() {
        String id = given().post("/ingestion/trigger").then().statusCode(202).extract().jsonPath().getString("runId");
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/ingestion/runs/" + id).then().statusCode(200).extract().jsonPath(),
                        run -> !"running".equals(run.getString("outcome")));
    }

}
