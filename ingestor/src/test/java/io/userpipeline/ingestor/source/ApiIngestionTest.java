package io.userpipeline.ingestor.source;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.testsupport.KafkaTopics;

/** The API source against a real HTTP server and a real Kafka: good answers arrive, bad ones are reported. */
@QuarkusTest
@TestProfile(ApiIngestionTest.ApiSource.class)
@QuarkusTestResource(value = FakeRandomUserApi.class, restrictToAnnotatedClass = true)
@Tag(TestTiers.SERVERS)
class ApiIngestionTest {

    static final String TOPIC = "api-ingestion-test";

    public static class ApiSource implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.source", "api",
                    "ingestion.batch-size", "3",
                    "mp.messaging.outgoing.user-profiles.topic", TOPIC);
        }
    }

    @AfterEach
    void answerNormallyAgain() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.VARIED_PROFILES);
    }

    @Test
    void publishesVariedProfilesWithNumericAndTextPostcodesAndReportsTheUnmappableOne() throws Exception {
        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("partly-failed");
        assertThat(run.getLong("lastRun.fetched")).isEqualTo(3);
        assertThat(run.getLong("lastRun.published")).isEqualTo(2);
        assertThat(run.getLong("lastRun.failed")).isEqualTo(1);
        assertThat(run.getString("lastError.message")).contains("profile 2", "login.uuid is missing");
        Map<String, String> unmappableFromTheApi = Map.of("reason", "unmappable", "source", "randomuser-api");
        MetricsScrape metrics = MetricsScrape.parse(given().get("/q/metrics").asString());
        assertThat(metrics.sum("ingestion_records_failed_total", unmappableFromTheApi)).isPositive();
        assertThat(metrics.sum("http_client_requests_seconds_count", Map.of("method", "GET", "status", "200")))
                .as("the API's calls, measured by the REST client").isPositive();

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTopics.readUntil(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class), TOPIC, Duration.ofSeconds(20),
                read -> read.size() >= 2);
        assertThat(records).extracting(KafkaTopics::key).containsOnly(
                "7a0eed16-9430-4d68-901f-c0d4c1c3bf00", "3f9d5a2e-4b8c-4e1f-9a7d-2c6b8e0f1a34");
        UserEvent jennie = event(records, "7a0eed16-9430-4d68-901f-c0d4c1c3bf00");
        assertThat(jennie.postcode()).isEqualTo("63104");
        assertThat(jennie.street()).isEqualTo("8929 Valwood Pkwy");
        assertThat(jennie.dateOfBirth()).hasToString("1992-03-08");
        assertThat(jennie.source()).isEqualTo("randomuser-api");
        assertThat(jennie.pictureUrl()).isEqualTo("https://randomuser.me/api/portraits/men/75.jpg");
        UserEvent oliver = event(records, "3f9d5a2e-4b8c-4e1f-9a7d-2c6b8e0f1a34");
        assertThat(oliver.postcode()).isEqualTo("V7 6DJ");
        assertThat(oliver.state()).isNull();
        assertThat(oliver.cell()).isNull();
        assertThat(oliver.pictureUrl()).isNull();
    }

    @Test
    void reportsAServerErrorWithTheRequestAndTheStatus() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.SERVER_ERROR);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getLong("lastRun.published")).isZero();
        assertThat(run.getString("lastError.message"))
                .contains("GET http://127.0.0.1:", "results=3", "HTTP 500", "Internal Server Error");
        assertStillServing();
    }

    @Test
    void reportsATimeoutWithoutStallingTheService() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.SLOW);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message")).containsIgnoringCase("timeout").contains("results=3");
        assertThat(run.getLong("lastRun.durationMillis")).isLessThan(15_000);
        assertStillServing();
    }

    @Test
    void reportsAMalformedBodyWithAnExcerptOfIt() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.MALFORMED_BODY);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message"))
                .contains("not a randomuser response", "{\"results\":[{\"gender\":\"female\"");
        assertStillServing();
    }

    @Test
    void reportsTheApisOwnErrorMessage() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.API_ERROR);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message")).contains("without results", "Uh oh, something has gone wrong");
    }

    @Test
    void aRefusedRequestIsNotRetriedAndNamesTheSettingToCheck() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.NOT_FOUND);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message")).contains("refused with HTTP 404", "check ingestion.api.base-url");
        assertThat(apiCalls()).as("a 4xx is not retried").isEqualTo(1);
    }

    @Test
    void reportsAnUnavailableApiWithTheStatusAndThePage() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.UNAVAILABLE);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message"))
                .contains("GET http://127.0.0.1:", "results=3", "HTTP 503", "503 Service Unavailable");
    }

    @Test
    void reportsAConnectionCutInTheMiddleOfAnAnswer() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.CUT_CONNECTION);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message")).contains("GET http://127.0.0.1:", "results=3", "failed: ")
                .containsIgnoringCase("closed");
        assertStillServing();
    }

    @Test
    void reportsAnAnswerThatStallsAfterItsHeadersWithTheRequest() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.STALLED_BODY);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("source-failed");
        assertThat(run.getString("lastError.message")).contains("GET http://127.0.0.1:", "results=3",
                "did not finish within the call's time-out", "fetchPage timed out");
        assertStillServing();
    }

    /** What randomuser.me answered during an outage: not a success with nothing in it, an outcome of its own. */
    @Test
    void anEmptyResultsListEndsTheRunEmptyForTheStatusTheHistoryAndTheMetric() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.EMPTY_RESULTS);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("empty");
        assertThat(run.getLong("lastRun.fetched")).isZero();
        assertThat(run.getString("lastError.message")).contains("randomuser-api source answered no profiles at all",
                "an empty results list");
        JsonPath inHistory = given().get("/ingestion/runs/" + run.getString("lastRun.id")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(inHistory.getString("outcome")).isEqualTo("empty");
        assertThat(inHistory.getString("error")).isEqualTo(run.getString("lastError.message"));
        MetricsScrape metrics = MetricsScrape.parse(given().get("/q/metrics").asString());
        assertThat(metrics.value("ingestion_runs_total", Map.of("outcome", "empty", "source", "randomuser-api")))
                .isEqualTo(1);
    }

    @Test
    void aMovedApiIsFollowedAsTheWebClientDid() throws Exception {
        FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.MOVED);

        JsonPath run = triggerAndAwaitRun();

        assertThat(run.getString("lastRun.outcome")).isEqualTo("partly-failed");
        assertThat(run.getLong("lastRun.published")).isEqualTo(2);
    }

    private static int apiCalls() throws IOException, InterruptedException {
        String control = ConfigProvider.getConfig().getValue(FakeRandomUserApi.CONTROL_URL, String.class);
        return Integer.parseInt(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(control)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body().strip());
    }

    private static JsonPath triggerAndAwaitRun() {
        long before = given().get("/ingestion/status").then().statusCode(200).extract().jsonPath().getLong("totals.runs");
        given().post("/ingestion/trigger").then().statusCode(202);
        return await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/ingestion/status").then().extract().jsonPath(),
                        status -> !status.getBoolean("running") && status.getLong("totals.runs") > before);
    }

    private static void assertStillServing() {
        given().get("/q/health/live").then().statusCode(200);
        setModeQuietly();
        assertThat(triggerAndAwaitRun().getLong("lastRun.published")).isEqualTo(2);
    }

    private static void setModeQuietly() {
        try {
            FakeRandomUserApi.switchTo(FakeRandomUserApi.Mode.VARIED_PROFILES);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }


    private static UserEvent event(List<ConsumerRecord<byte[], byte[]>> records, String key) throws IOException {
        ConsumerRecord<byte[], byte[]> record = records.stream().filter(r -> key.equals(KafkaTopics.key(r))).findFirst().orElseThrow();
        return UserEventJson.read(record.value());
    }

}
