package io.userpipeline.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Prometheus text as Quarkus' Micrometer registry writes it. No servers. */
class MetricsScrapeTest {

    private static final String EXPOSITION = """
            # HELP processor_records_stored_total Records written, by store
            # TYPE processor_records_stored_total counter
            processor_records_stored_total{store="cassandra"} 1250.0
            processor_records_stored_total{store="postgresql"} 1200.0

            processor_pipeline_paused 0.0
            processor_records_dead_lettered_total{reason="malformed-json",topic="user-profiles"} 3.0
            processor_records_dead_lettered_total{reason="invalid-email",topic="users_created"} 2.0
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2582912E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            latency_seconds_bucket{le="0.05",topic="a"} 2.0
            latency_seconds_bucket{le="+Inf",topic="a"} 4.0
            latency_seconds_bucket{le="0.05",topic="b"} 1.0
            latency_seconds_bucket{le="+Inf",topic="b"} 1.0
            latency_seconds_count{topic="a"} 4.0
            odd{path="/a\\"b\\\\c\\nd",empty=""} NaN 1700000000000
              indented{path="/a,b}c",x="y"}\t1.5
            """;

    private final MetricsScrape scrape = MetricsScrape.parse(EXPOSITION);

    @Test
    void sumsEverySeriesOrThoseWithTheGivenLabels() {
        assertThat(scrape.sum("processor_records_dead_lettered_total")).isEqualTo(5.0);
        assertThat(scrape.sum("processor_records_dead_lettered_total", Map.of("topic", "users_created")))
                .isEqualTo(2.0);
        assertThat(scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap"))).isEqualTo(12_582_912.0);
        assertThat(scrape.sum("processor_records_stored_total", Map.of("store", "postgresql"))).isEqualTo(1200.0);
        assertThat(scrape.sum("absent_total")).isZero();
    }

    @Test
    void aSeriesLookedForAndAbsentIsNamed() {
        assertThat(scrape.value("processor_pipeline_paused", Map.of())).isZero();
        assertThatThrownBy(() -> scrape.value("processor_records_stored_total", Map.of("store", "redis")))
                .hasMessageContaining("processor_records_stored_total{store=redis}")
                .hasMessageContaining("only processor_records_stored_total with other labels");
        assertThatThrownBy(() -> scrape.value("absent_total", Map.of())).hasMessageContaining("no absent_total");
    }

    @Test
    void namesAreWhatPrecedesTheLabelsOrTheValue() {
        assertThat(scrape.names()).containsExactly("indented", "jvm_memory_used_bytes", "latency_seconds_bucket",
                "latency_seconds_count", "odd", "processor_pipeline_paused", "processor_records_dead_lettered_total",
                "processor_records_stored_total");
        assertThat(scrape.has("latency_seconds_count")).isTrue();
        assertThat(scrape.has("latency_seconds")).isFalse();
    }

    @Test
    void aHistogramsBucketsAreSummedOverItsSeriesInOrderOfBound() {
        assertThat(scrape.buckets("latency_seconds")).containsExactly(Map.entry(0.05, 3.0),
                Map.entry(Double.POSITIVE_INFINITY, 5.0));
    }

    @Test
    void labelValuesAreUnescapedAndTimestampsIgnored() {
        MetricsScrape.Sample odd = scrape.samples().get(scrape.samples().size() - 2);
        assertThat(odd.labels()).containsExactly(Map.entry("path", "/a\"b\\c\nd"), Map.entry("empty", ""));
        assertThat(odd.value()).isNaN();
    }

    @Test
    void commasAndBracesInALabelValueAreTextAndLeadingSpaceAndTabsAreSpace() {
        assertThat(scrape.sum("indented", Map.of("path", "/a,b}c", "x", "y"))).isEqualTo(1.5);
    }

    @Test
    void aLineThatIsNoSampleIsRefusedNamingIt() {
        assertThatThrownBy(() -> MetricsScrape.parse("broken{store=\"cassandra\" 1.0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken{store=");
        assertThatThrownBy(() -> MetricsScrape.parse("no_value")).hasMessageContaining("no_value");
        assertThatThrownBy(() -> MetricsScrape.parse("wrong_value{a=\"b\"} many"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong_value{a=\"b\"} many");
    }
}
