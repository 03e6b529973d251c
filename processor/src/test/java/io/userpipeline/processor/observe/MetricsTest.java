package io.userpipeline.processor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.TestTiers;

/** What an operator scrapes: after records flow, each metric the dashboards and alerts use exists and moved. */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class MetricsTest {

    @Test
    void everyPipelineMetricExistsAndMovesWhenRecordsFlow() {
        List<UserEvent> events = IntStream.range(0, 20).mapToObj(TestUsers::event).toList();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.stream()
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList());
        records.add(TestKafka.record("metrics-bad", "not json"));
        TestKafka.produce(TestKafka.USER_TOPIC, records);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            MetricsScrape metrics = MetricsScrape.parse(
                    given().get("/q/metrics").then().statusCode(200).extract().asString());
            Map<String, String> cassandra = Map.of("store", "cassandra");
            Map<String, String> postgresql = Map.of("store", "postgresql");
            assertThat(metrics.sum("processor_records_consumed_total", Map.of("topic", "user-profiles")))
                    .isGreaterThanOrEqualTo(21);
            assertThat(metrics.sum("processor_records_stored_total", cassandra)).isGreaterThanOrEqualTo(20);
            assertThat(metrics.sum("processor_records_stored_total", postgresql)).isGreaterThanOrEqualTo(20);
            assertThat(metrics.sum("processor_records_dead_lettered_total", Map.of("reason", "malformed-json")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.sum("processor_batch_size_records_count")).isPositive();
            assertThat(metrics.sum("processor_store_write_duration_seconds_count", cassandra)).isPositive();
            assertThat(metrics.sum("processor_store_write_duration_seconds_count", postgresql)).isPositive();
            assertThat(metrics.sum("processor_event_to_stored_latency_seconds_count")).isGreaterThanOrEqualTo(20);
            assertThat(metrics.names()).contains("processor_event_to_stored_latency_seconds_bucket",
                    "processor_store_write_errors_total");
            assertThat(metrics.samples()).as("processor_store_failing{store=cassandra}").anyMatch(sample ->
                    sample.name().equals("processor_store_failing")
                            && sample.labels().entrySet().containsAll(cassandra.entrySet()));
        });
    }

    /**
     * exported-metrics.txt is what deployment-checks lets the dashboard and alerts use; this proves the list true.
     * The Kafka client binder adds per-partition lag only on its refresh (every 60 s), hence the long wait.
     */
    @Test
    void everyNameOfTheExportedListIsScrapedOnceRecordsFlow() throws IOException {
        List<String> listed = exportedMetrics();
        assertThat(listed).isNotEmpty();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(IntStream.range(100, 110).mapToObj(TestUsers::event)
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList());
        records.add(TestKafka.record("exported-bad", "not json"));
        TestKafka.produce(TestKafka.USER_TOPIC, records);

        await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Set<String> scraped = MetricsScrape.parse(
                    given().get("/q/metrics").then().statusCode(200).extract().asString()).names();
            assertThat(listed.stream().filter(name -> !scraped.contains(name)).toList())
                    .as("names in exported-metrics.txt missing from /q/metrics").isEmpty();
        });
    }

    private static List<String> exportedMetrics() throws IOException {
        try (InputStream in = MetricsTest.class.getResourceAsStream("/exported-metrics.txt")) {
            assertThat(in).as("exported-metrics.txt on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }
}
