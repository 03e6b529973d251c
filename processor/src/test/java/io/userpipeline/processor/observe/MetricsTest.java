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
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
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
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(value(metrics, "processor_records_consumed_total{topic=\"user-profiles\"")).isGreaterThanOrEqualTo(21);
            assertThat(value(metrics, "processor_records_stored_total{store=\"cassandra\"")).isGreaterThanOrEqualTo(20);
            assertThat(value(metrics, "processor_records_stored_total{store=\"postgresql\"")).isGreaterThanOrEqualTo(20);
            assertThat(value(metrics, "processor_records_dead_lettered_total{reason=\"malformed-json\"")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "processor_batch_size_records_count")).isPositive();
            assertThat(value(metrics, "processor_store_write_duration_seconds_count{store=\"cassandra\"")).isPositive();
            assertThat(value(metrics, "processor_store_write_duration_seconds_count{store=\"postgresql\"")).isPositive();
            assertThat(value(metrics, "processor_event_to_stored_latency_seconds_count")).isGreaterThanOrEqualTo(20);
            assertThat(metrics).contains("processor_event_to_stored_latency_seconds_bucket");
            assertThat(metrics).contains("processor_store_write_errors_total");
            assertThat(metrics).contains("processor_store_failing{store=\"cassandra\"");
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
            Set<String> scraped = sampleNames(given().get("/q/metrics").then().statusCode(200).extract().asString());
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

    /** Names of the samples in the Prometheus text format: what precedes the labels or the value. */
    private static Set<String> sampleNames(String metrics) {
        return metrics.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }

    /** The sample's value: the first line that starts with {@code prefix}. */
    private static double value(String metrics, String prefix) {
        return metrics.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no metric " + prefix));
    }
}
