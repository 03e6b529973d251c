package io.userpipeline.deploymentchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Checks of the Grafana dashboard and the Prometheus alerts that no schema can express: every query is
 * PromQL and selects only metrics the services are proven (by their own tests) to export, or metrics of Strimzi's
 * Kafka Exporter, with the labels it gives them.
 */
final class Monitoring {

    static final List<Path> EXPORTED_METRICS_LISTS = List.of(
            Repo.ROOT.resolve("ingestor/src/test/resources/exported-metrics.txt"),
            Repo.ROOT.resolve("processor/src/test/resources/exported-metrics.txt"));

    /** The Kafka Exporter's metrics with their labels; its header says where they come from. */
    static final Path KAFKA_EXPORTER_METRICS = Path.of("src/test/resources/kafka-exporter-metrics.txt").toAbsolutePath();

    /**
     * Labels the Prometheus Operator's relabelling adds to every series a PodMonitor scrapes, besides the metric's own:
     * the pod's namespace, the pod, the container, the endpoint (port name), job and instance.
     */
    static final Set<String> POD_MONITOR_TARGET_LABELS = new TreeSet<>(Set.of("namespace", "pod", "container", "endpoint",
            "job", "instance"));

    /**
     * What the dashboard and the alerts may select: the metric names, and the labels of those whose labels are known
     * (the Kafka Exporter's; the services' lists name metrics only).
     */
    record Exported(Set<String> names, Map<String, Set<String>> labels) {
    }

    /** The services' lists and the Kafka Exporter's, together. */
    static Exported exported(List<Path> serviceLists, Path kafkaExporterList) {
        Map<String, Set<String>> labels = labelledMetrics(kafkaExporterList);
        Set<String> names = new TreeSet<>(exportedMetrics(serviceLists));
        names.addAll(labels.keySet());
        return new Exported(names, labels);
    }

    /** A list of metrics with their labels: one metric a line, its name, a space, its labels comma-separated. */
    static Map<String, Set<String>> labelledMetrics(Path list) {
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException(list + " is missing: the dashboard's and alerts' metrics cannot be checked");
        }
        Map<String, Set<String>> metrics = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(list)) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                String[] parts = entry.split("\\s+");
                Set<String> labels = new TreeSet<>();
                if (parts.length > 1) {
                    labels.addAll(List.of(parts[1].split(",")));
                }
                metrics.put(parts[0], labels);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }

    /** Panel types the dashboard may use; a typo would make Grafana show an empty "unknown panel". */
    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "state-timeline", "gauge",
            "bargauge", "table", "text");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    /** Prometheus' duration syntax, as the PrometheusRule CRD's pattern for `for`. */
    private static final Pattern DURATION = Pattern.compile("0|([0-9]+(ms|s|m|h|d|w|y))+");
    /** Grafana's interval variables stand where PromQL wants a duration. */
    private static final Pattern INTERVAL_VARIABLE = Pattern.compile("\\$__(rate_interval|interval|range)\\b");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)");
    /** The dashboard's data source variable: panels follow the one the user picks. */
    private static final String DATASOURCE = "${datasource}";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    private Monitoring() {
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not valid JSON", e);
        }
    }

    static JsonNode parseJson(String text, String origin) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(origin + ": not valid JSON", e);
        }
    }

    /** The union of the services' lists: one metric name per line, # comments. */
    static Set<String> exportedMetrics(List<Path> lists) {
        Set<String> names = new TreeSet<>();
        for (Path list : lists) {
            if (!Files.isRegularFile(list)) {
                throw new IllegalStateException(list + " is missing: the dashboard's and alerts' metrics cannot be checked");
            }
            try {
                Files.readAllLines(list).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no metric names in " + lists);
        }
        return names;
    }

    // ---------------------------------------------------------------- dashboard

    /** @return one message per problem; empty when the dashboard is sound */
    static List<String> dashboardErrors(JsonNode dashboard, Exported exported) {
        List<String> errors = new ArrayList<>();
        for (String field : List.of("uid", "title")) {
            if (dashboard.path(field).asText().isBlank()) {
                errors.add("dashboard: no " + field);
            }
        }
        if (!dashboard.path("schemaVersion").isInt()) {
            errors.add("dashboard: schemaVersion is not a number");
        }
        Set<String> variables = new HashSet<>();
        boolean datasourceVariable = false;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            variables.add(name);
            switch (variable.path("type").asText()) {
                case "datasource" -> datasourceVariable |= name.equals("datasource")
                        && variable.path("query").asText().equals("prometheus");
                case "query" -> {
                    String query = variable.path("query").isObject()
                            ? variable.path("query").path("query").asText() : variable.path("query").asText();
                    Matcher labelValues = LABEL_VALUES.matcher(query);
                    if (!labelValues.matches()) {
                        errors.add("variable " + name + ": query is not label_values(<selector>, <label>): " + query);
                    } else {
                        errors.addAll(queryErrors("variable " + name, labelValues.group(1), variables, exported));
                    }
                }
                default -> errors.add("variable " + name + ": unexpected type " + variable.path("type"));
            }
        }
        if (!datasourceVariable) {
            errors.add("dashboard: no Prometheus data source variable named 'datasource'");
        }
        JsonNode panels = dashboard.path("panels");
        if (!panels.isArray() || panels.isEmpty()) {
            errors.add("dashboard: no panels");
        }
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String where = "panel '" + panel.path("title").asText() + "'";
            if (panel.path("title").asText().isBlank()) {
                errors.add("a panel without title: " + panel.path("id"));
            }
            if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
                errors.add(where + ": id " + panel.path("id") + " missing or not unique");
            }
            if (!PANEL_TYPES.contains(panel.path("type").asText())) {
                errors.add(where + ": unknown panel type " + panel.path("type"));
            }
            JsonNode grid = panel.path("gridPos");
            if (!(grid.path("h").isInt() && grid.path("w").isInt() && grid.path("x").isInt() && grid.path("y").isInt())
                    || grid.path("w").asInt() < 1 || grid.path("x").asInt() < 0
                    || grid.path("x").asInt() + grid.path("w").asInt() > 24) {
                errors.add(where + ": gridPos " + grid + " is not within Grafana's 24 columns");
            }
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            if (!panel.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                errors.add(where + ": datasource is not " + DATASOURCE);
            }
            JsonNode targets = panel.path("targets");
            if (targets.isEmpty()) {
                errors.add(where + ": no queries");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : targets) {
                String refId = target.path("refId").asText();
                if (refId.isBlank() || !refIds.add(refId)) {
                    errors.add(where + ": refId '" + refId + "' missing or not unique");
                }
                errors.addAll(queryErrors(where + " query " + refId, target.path("expr").asText(), variables, exported));
            }
        }
        return errors;
    }

    /** Panel titles, rows excluded. */
    static List<String> panelTitles(JsonNode dashboard) {
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                titles.add(panel.path("title").asText());
            }
        }
        return titles;
    }

    /** Every PromQL query of the dashboard, variables as Grafana leaves them. */
    static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        return queries;
    }

    /**
     * A dashboard query after Grafana's substitution: interval variables become a duration, the dashboard's
     * own variables (used in label values) a placeholder; an undefined variable is an error.
     */
    private static List<String> queryErrors(String where, String query, Set<String> variables, Exported exported) {
        String substituted = INTERVAL_VARIABLE.matcher(query).replaceAll("5m");
        Matcher variable = VARIABLE.matcher(substituted);
        StringBuilder promql = new StringBuilder();
        while (variable.find()) {
            if (!variables.contains(variable.group(1))) {
                return List.of(where + ": undefined variable $" + variable.group(1));
            }
            variable.appendReplacement(promql, "placeholder");
        }
        variable.appendTail(promql);
        return expressionErrors(where, promql.toString(), exported);
    }

    // ---------------------------------------------------------------- alerts

    /** @return one message per problem of the PrometheusRule's alerts; empty when they are sound */
    static List<String> ruleErrors(JsonNode prometheusRule, Exported exported) {
        List<String> errors = new ArrayList<>();
        String id = Yaml.id(prometheusRule);
        JsonNode groups = prometheusRule.path("spec").path("groups");
        if (groups.isEmpty()) {
            errors.add(id + ": no rule groups");
        }
        for (JsonNode group : groups) {
            Set<String> names = new HashSet<>();
            if (group.path("rules").isEmpty()) {
                errors.add(id + " group " + group.path("name").asText() + ": no rules");
            }
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                String where = id + " alert " + alert;
                if (alert.isBlank()) {
                    errors.add(id + ": a rule that is not an alert (this chart ships no recording rules): " + rule);
                    continue;
                }
                if (!names.add(alert)) {
                    errors.add(where + ": defined twice in its group");
                }
                if (!DURATION.matcher(rule.path("for").asText()).matches()) {
                    errors.add(where + ": 'for' '" + rule.path("for").asText() + "' is not a Prometheus duration; without one a"
                            + " single bad evaluation pages");
                }
                if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
                    errors.add(where + ": label severity '" + rule.path("labels").path("severity").asText() + "' is not one of "
                            + SEVERITIES);
                }
                for (String annotation : List.of("summary", "description")) {
                    if (rule.path("annotations").path(annotation).asText().isBlank()) {
                        errors.add(where + ": no " + annotation + " annotation to tell the operator what to do");
                    }
                }
                errors.addAll(expressionErrors(where, rule.path("expr").asText(), exported));
            }
        }
        return errors;
    }

    static List<String> alertNames(JsonNode prometheusRule) {
        List<String> names = new ArrayList<>();
        prometheusRule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
        return names;
    }

    /**
     * The expression parses, selects only exported metrics and, of those whose labels are known, only by labels they
     * have or their scrape adds: a matcher on a label a metric lacks selects nothing, and the alert stays silent.
     */
    private static List<String> expressionErrors(String where, String expression, Exported exported) {
        if (expression.isBlank()) {
            return List.of(where + ": no expression");
        }
        Set<String> used;
        List<PromQl.Selector> selectors;
        try {
            used = PromQl.metricNames(expression);
            selectors = PromQl.selectors(expression);
        } catch (IllegalArgumentException e) {
            return List.of(where + ": " + e.getMessage());
        }
        List<String> errors = new ArrayList<>();
        if (used.isEmpty()) {
            errors.add(where + ": selects no metric");
        }
        for (String metric : used) {
            if (!exported.names().contains(metric)) {
                errors.add(where + ": metric " + metric + " is not in the services' exported-metrics.txt nor among the"
                        + " Kafka Exporter's metrics");
            }
        }
        Set<String> reported = new HashSet<>();
        for (PromQl.Selector selector : selectors) {
            Set<String> labels = exported.labels().get(selector.metric());
            if (labels == null) {
                continue;
            }
            for (PromQl.LabelMatcher matcher : selector.matchers()) {
                if (!labels.contains(matcher.label()) && !POD_MONITOR_TARGET_LABELS.contains(matcher.label())
                        && reported.add(selector.metric() + "/" + matcher.label())) {
                    errors.add(where + ": metric " + selector.metric() + " has no label " + matcher.label() + " (its labels: "
                            + labels + "; the scrape adds " + POD_MONITOR_TARGET_LABELS + ")");
                }
            }
        }
        return errors;
    }
}
