package io.userpipeline.processor.consume;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.ServerControl;
import io.userpipeline.servers.TestTiers;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * PostgreSQL goes away mid-stream and comes back: consumption pauses and the pipeline's health group and gauge say
 * so, while the pod stays ready and serves users from Cassandra; nothing is lost.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class StoreOutageTest {

    @Inject
    Pool postgresClient;

    @Inject
    CassandraUserStore cassandra;

    @Test
    void aPostgresOutagePausesTheConsumerAndEveryRecordIsStoredOnceAfterwards() {
        List<UserEvent> beforeOutage = IntStream.range(0, 100).mapToObj(TestUsers::event).toList();
        List<UserEvent> duringOutage = IntStream.range(100, 300).mapToObj(TestUsers::event).toList();
        produce(beforeOutage);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(beforeOutage) == 100);

        ServerControl.stop("postgres");
        try {
            produce(duringOutage);
            JsonPath pipeline = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/q/health/group/pipeline").then().extract().jsonPath(),
                            health -> "DOWN".equals(checkStatus(health, "store writes")));
            assertThat(pipeline.getString("status")).isEqualTo("DOWN");
            assertThat(pipeline.getString("checks.find { it.name == 'store writes' }.data.'postgresql <- user-profiles'"))
                    .contains("Connection refused");
            assertThat(checkStatus(pipeline, "postgresql")).isEqualTo("DOWN");
            assertThat(metric("processor_pipeline_paused")).as("processor_pipeline_paused").isEqualTo(1.0);
            assertThat(given().get("/status/summary").then().statusCode(200).extract().jsonPath()
                    .getMap("pipelineWaitingFor")).as("the status page's data").containsKey("postgresql <- user-profiles");

            // The query API stays: this pod is ready, alive, and serves users from Cassandra.
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/users/" + beforeOutage.get(0).userId()).then().statusCode(200);
            given().get("/analytics").then().statusCode(503)
                    .body("error", containsString("PostgreSQL, which holds the analytics, does not answer"));
        } finally {
            ServerControl.start("postgres");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> rows(duringOutage) == 200);
        assertThat(rows(beforeOutage)).isEqualTo(100);
        for (UserEvent event : duringOutage) {
            assertThat(cassandra.findById(event.userId()).await().indefinitely()).isPresent();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/group/pipeline").statusCode() == 200);
        assertThat(metric("processor_pipeline_paused")).isEqualTo(0.0);
    }

    static String checkStatus(JsonPath health, String check) {
        return health.getString("checks.find { it.name == '" + check + "' }.status");
    }

    /** A metric without tags, as scraped. */
    static double metric(String name) {
        return MetricsScrape.parse(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .value(name, Map.of());
    }

    private static void produce(List<UserEvent> events) {
        TestKafka.produce(TestKafka.USER_TOPIC, events.stream()
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList());
    }

    private long rows(List<UserEvent> events) {
        try {
            return postgresClient.preparedQuery("SELECT count(*) FROM users WHERE user_id = ANY($1)")
                    .execute(Tuple.tuple().addArrayOfUUID(events.stream().map(UserEvent::userId).toArray(UUID[]::new)))
                    .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        } catch (RuntimeException e) {
            return -1;
        }
    }

}
