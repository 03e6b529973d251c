package io.userpipeline.ingestor.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.userpipeline.servers.TestTiers;

/**
 * exported-metrics.txt is what deployment-checks lets the chart's dashboard and alerts use; this proves every
 * name in it is scraped from /q/metrics once a run has published records.
 */
@QuarkusTest
@TestProfile(ExportedMetricsTest.OwnTopic.class)
@Tag(TestTiers.SERVERS)
class ExportedMetricsTest {

    public static class OwnTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingestion.batch-size", "20", "mp.messaging.outgoing.user-profiles.topic", "exported-metrics-test");
        }
    }

    @Test
    void everyNameOfTheExportedListIsScrapedAfterARun() throws IOException {
        List<String> listed = exportedMetrics();
        assertThat(listed).isNotEmpty();

        given().post("/ingestion/trigger").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/ingestion/status").then().extract().jsonPath(),
                        s -> !s.getBoolean("running") && s.getLong("totals.runs") == 1 && s.getLong("totals.published") == 20);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> scraped = sampleNames(metrics);
        assertThat(listed.stream().filter(name -> !scraped.contains(name)).toList())
                .as("names in exported-metrics.txt missing from /q/metrics").isEmpty();
        assertThat(value(metrics, "ingestion_records_fetched_total{")).isEqualTo(20);
        assertThat(value(metrics, "ingestion_records_published_total{")).isEqualTo(20);
        assertThat(value(metrics, "ingestion_runs_total{outcome=\"succeeded\"")).isEqualTo(1);
        assertThat(value(metrics, "ingestion_run_duration_seconds_count{")).isEqualTo(1);
        assertThat(value(metrics, "ingestion_run_duration_seconds_sum{")).isPositive();
    }

    private static List<String> exportedMetrics() throws IOException {
        try (InputStream in = ExportedMetricsTest.class.getResourceAsStream("/exported-metrics.txt")) {
            assertThat(in).as("exported-metrics.txt on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }

    /** The value of the first sample whose line starts with {@code prefix}. */
    private static double value(String metrics, String prefix) {
        return metrics.lines().filter(line -> line.startsWith(prefix)).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no sample " + prefix));
    }

    /** Names of the samples in the Prometheus text format: what precedes the labels or the value. */
    private static Set<String> sampleNames(String metrics) {
        return metrics.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    }
}
