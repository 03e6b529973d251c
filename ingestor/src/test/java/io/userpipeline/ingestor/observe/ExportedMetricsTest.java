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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.userpipeline.servers.MetricsScrape;
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

        MetricsScrape metrics = MetricsScrape.parse(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
        Set<String> scraped = metrics.names();
        assertThat(listed.stream().filter(name -> !scraped.contains(name)).toList())
                .as("names in exported-metrics.txt missing from /q/metrics").isEmpty();
        assertThat(metrics.value("ingestion_records_fetched_total", Map.of())).isEqualTo(20);
        assertThat(metrics.value("ingestion_records_published_total", Map.of())).isEqualTo(20);
        assertThat(metrics.value("ingestion_runs_total", Map.of("outcome", "succeeded"))).isEqualTo(1);
        assertThat(metrics.value("ingestion_run_duration_seconds_count", Map.of())).isEqualTo(1);
        assertThat(metrics.value("ingestion_run_duration_seconds_sum", Map.of())).isPositive();
    }

    private static List<String> exportedMetrics() throws IOException {
        try (InputStream in = ExportedMetricsTest.class.getResourceAsStream("/exported-metrics.txt")) {
            assertThat(in).as("exported-metrics.txt on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }
    }
}
