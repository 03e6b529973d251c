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

/** The Grafana dashboard and the PrometheusRule: sound, shipped by the chart, and using only exported metrics. */
class MonitoringTest {

    private static final Path DASHBOARD = Repo.CHART.resolve("dashboards/user-pipeline.json");
    private static final Path MONITORING_VALUES = Repo.CHART.resolve("ci/monitoring-values.yaml");
    private static final Path BAD = Repo.BAD.resolve("monitoring");
    private static final Set<String> EXPORTED = Monitoring.exportedMetrics(Monitoring.EXPORTED_METRICS_LISTS);

    @Test
    void dashboardIsSoundAndUsesOnlyExportedMetrics() {
        assertEquals(List.of(), Monitoring.dashboardErrors(Monitoring.readJson(DASHBOARD), EXPORTED));
    }

    /** The operator's questions, one panel each. */
    @Test
    void dashboardAnswersTheOperatorsQuestions() {
        assertEquals(List.of("Ingest rate", "Publish failures", "Runs by outcome", "Run duration", "Consume rate",
                        "Dead-letter rate by reason", "Store write latency", "Store write errors", "Stores failing",
                        "Event-to-stored latency", "Consumer lag per partition", "Batch sizes"),
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
                + " exported-metrics.txt"), errors);
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
            "rule-unexported-metric.yaml | PrometheusRule/unexported alert UserPipelineLagging: metric kafka_consumergroup_lag is not in",
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
    }

    // ---------------------------------------------------------------- the PromQL parser

    @Test
    void parserExtractsMetricNamesAndNothingElse() {
        assertEquals(Set.of("a_bucket", "b_total", "c"), PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, store) (rate(a_bucket{store=~\"cass.*\", le!=\"+Inf\"}[5m])))"
                        + " / ignoring (store) group_left sum without (pod) (increase(b_total[1h] offset 5m))"
                        + " and on (namespace) deriv(max(c)[15m:1m]) > bool 1e3 or vector(0) unless {__name__=\"c\"}"));
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
