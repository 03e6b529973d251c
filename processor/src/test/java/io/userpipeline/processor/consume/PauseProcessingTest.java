package io.userpipeline.processor.consume;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.TestTiers;

/**
 * Pausing a channel over HTTP: nothing is consumed (its group's lag grows, nothing is stored) while the other
 * channel goes on, the state shows in /processing, health and metrics; resuming drains the backlog.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class PauseProcessingTest {

    @Inject
    PostgresUserStore postgres;

    /** Before too: a run that crashed while paused must not leave every later test waiting. */
    @BeforeEach
    @AfterEach
    void resumeEverything() {
        given().contentType(ContentType.JSON).post("/processing/user-profiles/resume").then().statusCode(200);
        given().contentType(ContentType.JSON).post("/processing/tutorial-users/resume").then().statusCode(200);
    }

    @Test
    void aPausedChannelConsumesNothingUntilItIsResumed() {
        given().contentType(ContentType.JSON).post("/processing/user-profiles/pause").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/processing").jsonPath()
                .getBoolean("channels.find { it.channel == 'user-profiles' }.pausedHere"));
        long endBefore = end();
        List<UserEvent> events = IntStream.range(0, 20).mapToObj(TestUsers::event).toList();
        TestKafka.produce(TestKafka.USER_TOPIC, events.stream()
                .map(event -> TestKafka.record(event.userId().toString(), UserEventJson.write(event))).toList());
        UUID tutorialUser = UUID.randomUUID();
        TestKafka.produce(TestKafka.TUTORIAL_TOPIC, List.of(TestKafka.record(tutorialUser.toString(),
                TestUsers.tutorialJson(tutorialUser, 1))));

        await().atMost(Duration.ofSeconds(60)).until(() -> postgres.findById(tutorialUser).await().indefinitely().isPresent());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> events.stream()
                .noneMatch(event -> postgres.findById(event.userId()).await().indefinitely().isPresent()));
        assertThat(committed()).as("none of the new records committed while paused").isLessThanOrEqualTo(endBefore);
        assertThat(lag()).as("the paused channel's lag").isGreaterThanOrEqualTo(events.size());
        assertThat(given().get("/q/health/group/pipeline").jsonPath()
                .getString("checks.find { it.name == 'processing' }.data.'user-profiles'")).startsWith("paused by an operator");
        assertThat(MetricsScrape.parse(given().get("/q/metrics").asString())
                .value("processor_processing_paused", Map.of("channel", "user-profiles"))).isEqualTo(1.0);

        given().contentType(ContentType.JSON).post("/processing/user-profiles/resume").then().statusCode(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                .allMatch(event -> postgres.findById(event.userId()).await().indefinitely().isPresent()));
        await().atMost(Duration.ofSeconds(30)).until(() -> lag() == 0);
        assertThat(MetricsScrape.parse(given().get("/q/metrics").asString())
                .value("processor_processing_paused", Map.of("channel", "user-profiles"))).isEqualTo(0.0);
    }

    @Test
    void anUnknownChannelIsNotFound() {
        given().contentType(ContentType.JSON).post("/processing/users/pause").then().statusCode(404);
    }

    /** The group's lag on the topic: a partition it never committed on counts from the beginning. */
    private static long lag() {
        return end() - committed();
    }

    private static long end() {
        return TestKafka.endOffsets(TestKafka.USER_TOPIC);
    }

    private static long committed() {
        return TestKafka.committed(TestKafka.USER_TOPIC);
    }
}
