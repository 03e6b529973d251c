package io.userpipeline.processor.consume;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.servers.ServerControl;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** PostgreSQL goes away mid-stream and comes back: consumption pauses, readiness says so, nothing is lost. */
@QuarkusTest
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
            JsonPath readiness = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/q/health/ready").then().extract().jsonPath(),
                            health -> "DOWN".equals(storeWritesStatus(health)));
            assertThat(readiness.getString("status")).isEqualTo("DOWN");
            assertThat(readiness.getString("checks.find { it.name == 'store writes' }.data.'postgresql <- user-profiles'"))
                    .contains("Connection refused");
        } finally {
            ServerControl.start("postgres");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> rows(duringOutage) == 200);
        assertThat(rows(beforeOutage)).isEqualTo(100);
        for (UserEvent event : duringOutage) {
            assertThat(cassandra.findById(event.userId()).await().indefinitely()).isPresent();
        }
        await().atMost(Duration.ofSeconds(30)).until(
                () -> "UP".equals(storeWritesStatus(given().get("/q/health/ready").then().extract().jsonPath())));
    }

    private static String storeWritesStatus(JsonPath health) {
        return health.getString("checks.find { it.name == 'store writes' }.status");
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
