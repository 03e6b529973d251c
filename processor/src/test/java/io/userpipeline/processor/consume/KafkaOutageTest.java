package io.userpipeline.processor.consume;

import static io.restassured.RestAssured.given;
import static io.userpipeline.processor.consume.StoreOutageTest.checkStatus;
import static io.userpipeline.processor.consume.StoreOutageTest.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.servers.ServerControl;
import io.userpipeline.servers.TestTiers;

/** Kafka goes away and comes back: the pipeline waits and says so; the pod stays ready and serves users throughout. */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class KafkaOutageTest {

    @Test
    void aKafkaOutagePausesThePipelineButNotTheQueryApi() {
        UserEvent before = TestUsers.event(400);
        produce(before);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/users/" + before.userId()).statusCode() == 200);

        ServerControl.stop("kafka");
        try {
            JsonPath pipeline = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/q/health/group/pipeline").then().extract().jsonPath(),
                            health -> "DOWN".equals(checkStatus(health, "kafka")));
            assertThat(pipeline.getMap("checks.find { it.name == 'kafka' }.data")).containsKey("user-profiles");
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("processor_pipeline_paused") == 1.0);

            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/users/" + before.userId()).then().statusCode(200);
        } finally {
            ServerControl.start("kafka");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> given().get("/q/health/group/pipeline").statusCode() == 200);
        UserEvent after = TestUsers.event(401);
        produce(after);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/users/" + after.userId()).statusCode() == 200);
    }

    private static void produce(UserEvent event) {
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(TestKafka.record(event.userId().toString(), UserEventJson.write(event))));
    }
}
