package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Grafana dashboard and the PrometheusRule: sound, shipped by the chart, and using only exported metrics: the
 * services' (proven by their tests) and the Kafka Exporter's (as Strimzi 1.2 runs it), with labels they have.
 */
class MonitoringTest {

    private static final Path DASHBOARD = Repo.CHART.resolve("dashboards/user-pipeline.json");
    private static final Path MONITORING_VALUES = Repo.CHART.resolve("ci/monitoring-values.yaml");
    private static final Path BAD = Repo.BAD.resolve("monitoring");
    private static final Monitoring.Exported EXPORTED = Monitoring.exported(Monitoring.EXPORTED_METRICS_LISTS,
            Monitoring.KAFKA_EXPORTER_METRICS);

    @Test
    void dashboardIsSoundAndUsesOnlyExportedMetrics() {
        assertEquals(List.of(), Monitoring.dashboardErrors(Monitoring.readJson(DASHBOARD), EXPORTED));
    }

    /** The operator's questions, one panel each. */
    @Test
    void dashboardAnswersTheOperatorsQuestions() {
        assertEquals(List.of("Ingest rate", "Publish failures", "Runs by outcome", "Run duration", "Consume rate",
                        "Dead-letter rate by reason", "Store write latency", "Store write errors", "Stores failing",
                        "Event-to-stored latency", "Consumer lag per partition", "Batch sizes",
                        "Fetch lag seen by the processor", "Consumer group members", "Cassandra requests",
                        "Cassandra errors and timeouts", "Cassandra p99 latency per node",
                        "Cassandra connections and in-flight requests"),
                Monitoring.panelTitles(Monitoring.readJson(DASHBOARD)));
    }

    @Test
    void latencyPanelsShowP50P95P99FromHistogramBuckets() {
        for (String metric : List.of("processor_store_write_duration_seconds_bucket", "processor_event_to_stored_latency_seconds_bucket")) {
            List<String> quantiles = Monitoring.dashboardQueries(Monitoring.readJson(DASHBOARD)).stream()
                    .filter(q -> q.contains(metric) && q.startsWith("histogram_quantile("))
                    .map(q -> q.substring("histogram_quantile(".length(), q.indexOf(','))).toList();
            assertEquals(List.of("0.5", "0.95", "0.99"), quantiles, metric);
        }
    }

    /**
     * Lag comes from the Kafka Exporter (committed offsets, also while no processor runs), for the group and the input
     * topics the chart configures; the processor's own view stays on the dashboard beside it.
     */
    @Test
    void lagIsMeasuredByTheKafkaExporterAndTheProcessorsViewKept() {
        JsonNode lagAlert = null;
        for (JsonNode alert : renderedRule().path("spec").path("groups").path(0).path("rules")) {
            if (alert.path("alert").asText().equals("UserPipelineConsumerLagGrowing")) {
                lagAlert = alert;
            }
        }
        assertTrue(lagAlert != null, "no UserPipelineConsumerLagGrowing");
        String expr = lagAlert.path("expr").asText();
        assertEquals(Set.of("kafka_consumergroup_lag"), PromQl.metricNames(expr));
        for (PromQl.Selector selector : PromQl.selectors(expr)) {
            assertEquals(List.of(new PromQl.LabelMatcher("namespace", "=", Repo.NAMESPACE),
                    new PromQl.LabelMatcher("consumergroup", "=", "user-processor"),
                    new PromQl.LabelMatcher("topic", "=~", "user-profiles|users_created")), selector.matchers(), expr);
        }
        List<String> queries = Monitoring.dashboardQueries(Monitoring.readJson(DASHBOARD));
        assertTrue(queries.stream().anyMatch(q -> q.contains("kafka_consumergroup_lag{")), "no exporter lag panel");
        assertTrue(queries.stream().anyMatch(q -> q.contains("kafka_consumer_fetch_manager_records_lag{")), "no processor-side lag panel");
    }

    /** Per node: request rate, errors, p99 from the driver's histogram buckets, requests in flight. */
    @Test
    void dashboardShowsHowCassandraAnswersPerNode() {
        List<String> queries = Monitoring.dashboardQueries(Monitoring.readJson(DASHBOARD));
        for (String metric : List.of("cassandra_nodes_cql_messages_seconds_count", "cassandra_nodes_errors_request_write_timeouts_total",
                "cassandra_nodes_pool_in_flight")) {
            assertTrue(queries.stream().anyMatch(q -> q.contains(metric + "{") && q.contains("by (node)")), metric);
        }
        assertTrue(queries.contains("histogram_quantile(0.99, sum by (le, node) (rate(cassandra_nodes_cql_messages_seconds_bucket"
                + "{namespace=\"$namespace\"}[$__rate_interval])))"), String.join("\n", queries));
    }

    @Test
    void monitoringIsOffByDefault() {
        List<ObjectNode> objects = Repo.renderChart();
        assertTrue(objects.stream().noneMatch(o -> o.path("kind").asText().equals("PrometheusRule")));
        assertTrue(objects.stream().noneMatch(o -> o.path("metadata").path("labels").has("grafana_dashboard")));
    }

    /** Strict schemas of the rendered objects (PrometheusRule included) run in HelmChartTest for every ci/ file. */
    @Test
    void chartShipsTheDashboardForTheGrafanaSidecar() {
        List<ObjectNode> configMaps = Repo.renderChart(MONITORING_VALUES).stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap"))
                .filter(o -> o.path("metadata").path("labels").path("grafana_dashboard").asText().equals("1"))
                .toList();
        assertEquals(1, configMaps.size());
        JsonNode data = configMaps.getFirst().path("data");
        assertEquals(1, data.size());
        assertEquals(Monitoring.readJson(DASHBOARD), Monitoring.parseJson(data.path("user-pipeline.json").asText(), "ConfigMap data"));
        assertEquals("User pipeline", configMaps.getFirst().path("metadata").path("annotations").path("grafana_folder").asText());
    }

    @Test
    void chartShipsSoundAlertsOnExportedMetrics() {
        ObjectNode rule = renderedRule();
        assertEquals(List.of(), Monitoring.ruleErrors(rule, EXPORTED));
        assertEquals(List.of("UserPipelineConsumerLagGrowing", "UserPipelineDeadLetterSpike", "UserPipelineStoreDown",
                "UserPipelinePaused", "UserPipelineIngestorFailing"), Monitoring.alertNames(rule));
        assertEquals("prometheus", rule.path("metadata").path("labels").path("release").asText());
    }

    @Test
    void alertsWatchTheReleaseNamespaceAndTakeThresholdsFromValues() {
        for (JsonNode alert : renderedRule().path("spec").path("groups").path(0).path("rules")) {
            assertTrue(alert.path("expr").asText().contains("namespace=\"" + Repo.NAMESPACE + "\""), alert.path("alert").asText());
        }
        String rules = renderedRule().toString();
        assertTrue(rules.contains("> 50000"), rules);
        assertTrue(rules.contains("> 0.02"), rules);
    }

    private static ObjectNode renderedRule() {
        List<ObjectNode> rules = Repo.renderChart(MONITORING_VALUES).stream()
                .filter(o -> o.path("kind").asText().equals("PrometheusRule")).toList();
        assertEquals(1, rules.size());
        return rules.getFirst();
    }

    // ---------------------------------------------------------------- the checks fail when they should

    @Test
    void aDashboardUsingAMetricNoServiceExportsFails() {
        List<String> errors = Monitoring.dashboardErrors(Monitoring.readJson(BAD.resolve("dashboard-unexported-metric.json")), EXPORTED);
        assertEquals(List.of("panel 'Stored' query A: metric processor_users_written_total is not in the services'"
                + " exported-metrics.txt nor among the Kafka Exporter's metrics"), errors);
    }

    @Test
    void aDashboardWithBrokenStructureFails() {
        List<String> errors = Monitoring.dashboardErrors(Monitoring.readJson(BAD.resolve("dashboard-broken-structure.json")), EXPORTED);
        assertEquals(List.of(
                "dashboard: no Prometheus data source variable named 'datasource'",
                "panel 'Consumed': gridPos {\"h\":8,\"w\":12,\"x\":18,\"y\":0} is not within Grafana's 24 columns",
                "panel 'Consumed': datasource is not ${datasource}",
                "panel 'Consumed' query A: undefined variable $namespace",
                "panel 'Consumed': refId 'A' missing or not unique"), errors);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "rule-broken-expression.yaml | PrometheusRule/broken alert UserPipelineStoreDown: 'max by (store) (processor_store_failing == 1' at 44: expected ')', found the end",
            "rule-missing-labels.yaml    | PrometheusRule/no-severity alert UserPipelineStoreDown: label severity '' is not one of",
            "rule-missing-labels.yaml    | PrometheusRule/no-severity alert UserPipelineStoreDown: no description annotation",
            "rule-missing-labels.yaml    | PrometheusRule/no-severity alert UserPipelineStoreDown: 'for' '' is not a Prometheus duration",
            "rule-unexported-metric.yaml | PrometheusRule/unexported alert UserPipelineLagging: metric kafka_consumergroup_group_lag is not in",
            "rule-exporter-label.yaml    | PrometheusRule/exporter-label alert UserPipelineLagging: metric kafka_consumergroup_lag has no label group",
    })
    void badAlertRulesFail(String file, String expected) {
        ObjectNode rule = Yaml.parseOne(BAD.resolve(file));
        assertEquals(List.of(), Repo.schemas().validate(rule), "the bad case must fail for its own reason, not its schema");
        List<String> errors = Monitoring.ruleErrors(rule, EXPORTED);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(expected.strip())), () -> String.join("\n", errors));
    }

    @Test
    void aMissingExportedMetricsListFails() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> Monitoring.exportedMetrics(List.of(BAD.resolve("no-such-exported-metrics.txt"))));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> Monitoring.labelledMetrics(BAD.resolve("no-such-exporter-metrics.txt")));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }

    @Test
    void theKafkaExportersListGivesLabels() {
        assertEquals(Set.of("consumergroup", "topic", "partition"), EXPORTED.labels().get("kafka_consumergroup_lag"));
        assertEquals(Set.of(), EXPORTED.labels().get("kafka_brokers"));
        assertTrue(EXPORTED.names().contains("processor_records_consumed_total"));
        assertTrue(EXPORTED.names().contains("kafka_consumergroup_lag"));
    }

    // ---------------------------------------------------------------- the PromQL parser

    @Test
    void parserExtractsMetricNamesAndNothingElse() {
        assertEquals(Set.of("a_bucket", "b_total", "c"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, store) (rate(a_bucket{store=~\"cass.*\", le!=\"+Inf\"}[5m])))"
                        + " / ignoring (store) group_left sum without (pod) (increase(b_total[1h] offset 5m))"
                        + " and on (namespace) deriv(max(c)[15m:1m]) > bool 1e3 or vector(0) unless {__name__=\"c\"}"));
    }

    @Test
    void parserGivesEachSelectorsLabelMatchers() {
        assertEquals(List.of(
                        new PromQl.Selector("a", List.of(new PromQl.LabelMatcher("topic", "=~", "x|y"),
                                new PromQl.LabelMatcher("group", "!=", ""))),
                        new PromQl.Selector("b", List.of()),
                        new PromQl.Selector("c", List.of(new PromQl.LabelMatcher("le", "=", "+Inf")))),
                PromQl.selectors("sum by (topic) (a{topic=~\"x|y\", group!=\"\"} >= 0) / on () group_left b"
                        + " or {__name__=\"c\", le=\"+Inf\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sum(rate(x_total[5m])",          // unbalanced
            "rate(x_total)",                  // a range function without a range
            "sum(x_total[5m])",               // an aggregation of a range
            "rat(x_total[5m])",               // unknown function
            "x_total{job=\"a\"",              // unterminated matchers
            "x_total{job=a}",                 // unquoted label value
            "x_total[5]",                     // a range without unit
            "sum by (le) x_total",            // aggregation without parentheses
            "x_total >",                      // dangling operator
            "histogram_quantile(x_bucket, 0.9)", // arguments swapped
            "(x_total)[5m]",                  // a range on a non-selector
            "x_total $__rate_interval",       // a variable outside a dashboard
    })
    void parserRejectsBrokenExpressions(String expression) {
        assertThrows(IllegalArgumentException.class, () -> PromQl.metricNames(expression));
    }
}
