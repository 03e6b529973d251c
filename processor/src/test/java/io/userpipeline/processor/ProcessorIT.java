package io.userpipeline.processor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.testsupport.KafkaTopics;

/**
 * The packaged processor (the runnable jar, or the native executable when built with -Pnative) as its own process,
 * against the test run's real Kafka, Cassandra and PostgreSQL: it is ready, a user produced to Kafka is served by
 * the REST API, and a bad record reaches the dead-letter topic with its reason.
 */
@QuarkusIntegrationTest
@WithTestResource(ProcessorIT.LocalServerAddresses.class)
@Tag(TestTiers.SERVERS)
class ProcessorIT {

    /**
     * Hands the launched application the addresses the local-servers launcher put in this JVM's system properties;
     * Quarkus passes the returned map to the application's process as configuration.
     */
    public static class LocalServerAddresses implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>();
            for (String key : List.of("kafka.bootstrap.servers", "quarkus.cassandra.contact-points",
                    "quarkus.cassandra.local-datacenter", "quarkus.datasource.reactive.url",
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password")) {
                String value = System.getProperty(key);
                if (value == null) {
                    throw new IllegalStateException(
                            key + " is not set: run with -Dlocal-servers=kafka,cassandra,postgres (failsafe does)");
                }
                config.put(key, value);
            }
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void isReadyWithAllStoresReachable() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().body("status", equalTo("UP"));
    }

    @Test
    void userProducedToKafkaIsServedFromCassandra() {
        UserEvent user = TestUsers.event(7);
        TestKafka.produce(TestKafka.USER_TOPIC,
                List.of(TestKafka.record(user.userId().toString(), UserEventJson.write(user))));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/users/" + user.userId()).statusCode() == 200);
        given().get("/users/" + user.userId()).then()
                .body("userId", equalTo(user.userId().toString()))
                .body("firstName", equalTo("Ayşe"))
                .body("country", equalTo("Turkey"));
    }

    @Test
    void badRecordIsDeadLetteredWithItsReason() {
        String key = "it-bad-" + UUID.randomUUID();
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(TestKafka.record(key, "this is not JSON")));

        List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readUntil(TestKafka.bootstrap(), TestKafka.DEAD_LETTER_TOPIC,
                Duration.ofSeconds(90), records -> records.stream().anyMatch(r -> key.equals(KafkaTopics.key(r))));
        ConsumerRecord<byte[], byte[]> record = dead.stream().filter(r -> key.equals(KafkaTopics.key(r))).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter with key " + key));
        assertThat(KafkaTopics.header(record, DeadLetterHeaders.REASON)).isNotBlank();
        assertThat(KafkaTopics.header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TestKafka.USER_TOPIC);
    }
}
