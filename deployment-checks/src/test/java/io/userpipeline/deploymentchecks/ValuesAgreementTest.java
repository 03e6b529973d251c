package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * values.schema.json against the rules of whoever reads the value: the ingestor's own configuration
 * validation for the ingestion interval, Kubernetes for resource quantities and PDB percentages. A schema
 * that refuses what the service takes blocks a documented setting; one that admits what the service refuses
 * turns a typo into a crash loop after `helm install` said yes.
 */
class ValuesAgreementTest {

    /** Sample intervals: the documented ones, and near misses a user might type. */
    private static final List<String> INTERVALS = List.of("10s", "5m", "1h", "off", "90s", "500ms", "0s", "10", "1d",
            "10S", "05s", "", "OFF", " 10s");

    /** The ingestor's rule, read from IngestionConfig.interval()'s @Pattern (Hibernate Validator matches it whole). */
    static Predicate<String> ingestorIntervalRule() throws IOException {
        String source = Files.readString(Repo.ROOT.resolve("ingestor/src/main/java/io/userpipeline/ingestor/IngestionConfig.java"));
        Matcher m = Pattern.compile("@Pattern\\(regexp = \"((?:[^\"\\\\]|\\\\.)*)\"[^)]*\\)\\s*String interval\\(\\)").matcher(source);
        assertTrue(m.find(), "IngestionConfig.interval() has no @Pattern: the ingestor's rule moved, update this check");
        Pattern rule = Pattern.compile(m.group(1).replace("\\\\", "\\").replace("\\\"", "\""));
        return value -> rule.matcher(value).matches();
    }

    /** A JSON-schema pattern as Helm applies it: a search, anchored only by the pattern's own ^ and $. */
    static Predicate<String> schemaPattern(String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        return value -> compiled.matcher(value).find();
    }

    static List<String> disagreements(List<String> samples, Predicate<String> schema, Predicate<String> service) {
        List<String> errors = new ArrayList<>();
        for (String sample : samples) {
            if (schema.test(sample) != service.test(sample)) {
                errors.add("'" + sample + "': the schema " + (schema.test(sample) ? "admits" : "refuses") + " it, the service "
                        + (service.test(sample) ? "takes" : "refuses") + " it");
            }
        }
        return errors;
    }

    private static String chartIntervalPattern() throws IOException {
        JsonNode schema = JsonMapper.builder().build().readTree(Repo.CHART.resolve("values.schema.json").toFile());
        return schema.at("/properties/ingestor/properties/ingestion/properties/interval/pattern").asText();
    }

    @Test
    void schemaAndIngestorAgreeOnTheIngestionInterval() throws IOException {
        Predicate<String> service = ingestorIntervalRule();
        assertTrue(service.test("off") && service.test("10s"), "the documented values must be valid");
        assertEquals(List.of(), disagreements(INTERVALS, schemaPattern(chartIntervalPattern()), service));
    }

    @Test
    void formerIntervalPatternIsReported() throws IOException {
        assertEquals(List.of(
                        "'off': the schema refuses it, the service takes it",
                        "'500ms': the schema admits it, the service refuses it",
                        "'0s': the schema admits it, the service refuses it",
                        "'05s': the schema admits it, the service refuses it"),
                disagreements(INTERVALS, schemaPattern("^[0-9]+(ms|s|m|h)$"), ingestorIntervalRule()));
    }

    /** The pattern read above is the one `helm template` applies. */
    @Test
    void helmAppliesTheIntervalRule() {
        assertFalse(Repo.renderChartWith("ingestor:\n  ingestion:\n    interval: \"off\"\n").isEmpty());
        Exception e = assertThrows(Exception.class, () -> Repo.renderChartWith("ingestor:\n  ingestion:\n    interval: 500ms\n"));
        assertTrue(e.getMessage().contains("interval"), e.getMessage());
    }

    /**
     * Quantities as Kubernetes parses them (resource.Quantity): numbers and strings, decimal and binary suffixes,
     * exponents; no units it does not know, no spaces, no negative requests. Rendered with `helm template`, and
     * what the schema admits must also pass the strict Kubernetes schema of the rendered Deployment. Values are
     * YAML as written in a values file: "2" is a string, 2 a number.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            cpu               | 2         | true
            cpu               | 0.5       | true
            cpu               | "2"       | true
            cpu               | 500m      | true
            cpu               | 1e3       | true
            memory            | 1Gi       | true
            memory            | 1.5Gi     | true
            memory            | 512M      | true
            ephemeral-storage | 2Gi       | true
            cpu               | 2 cores   | false
            memory            | 1GB       | false
            memory            | 1gi       | false
            cpu               | -1        | false
            gpu               | 1         | false
            """)
    void schemaTakesTheQuantitiesKubernetesTakes(String resource, String quantity, boolean valid) {
        String values = "processor:\n  resources:\n    requests:\n      " + resource + ": " + quantity + "\n";
        assertRenders(values, valid, resource);
    }

    @ParameterizedTest(name = "maxUnavailable: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            1      | true
            2      | true
            "25%"  | true
            "100%" | true
            0      | false
            "0%"   | false
            "150%" | false
            "1"    | false
            """)
    void schemaTakesThePdbBudgetsKubernetesTakes(String maxUnavailable, boolean valid) {
        assertRenders("processor:\n  podDisruptionBudget:\n    maxUnavailable: " + maxUnavailable + "\n", valid, "maxUnavailable");
    }

    /**
     * Bounds the services check at start-up, at their edges: a value past one passes `helm install` and then
     * crash-loops the pod. The ingestor's batch size is IngestionConfig's 1 to MOST_PROFILES_PER_RUN (10,000,000);
     * the keyspace and replication factor are ProcessorConfig.Cassandra's (an identifier of at most 48
     * characters, 1 to 9); the autoscaler's target is a share of the CPU request, which may exceed 100.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ingestor.ingestion.batchSize: 10000000                      | true  | batchSize
            ingestor.ingestion.batchSize: 10000001                      | false | batchSize
            processor.cassandra.replicationFactor: 9                    | true  | replicationFactor
            processor.cassandra.replicationFactor: 10                   | false | replicationFactor
            processor.cassandra.keyspace: k23456789012345678901234567890123456789012345678  | true  | keyspace
            processor.cassandra.keyspace: k234567890123456789012345678901234567890123456789 | false | keyspace
            processor.autoscaling.targetCPUUtilizationPercentage: 150   | true  | targetCPUUtilizationPercentage
            """)
    void schemaKeepsTheBoundsTheServicesCheck(String setting, boolean valid, String key) {
        String[] path = setting.substring(0, setting.indexOf(':')).split("\\.");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < path.length; i++) {
            values.append("  ".repeat(i)).append(path[i]).append(i == path.length - 1 ? setting.substring(setting.indexOf(':')) : ":").append('\n');
        }
        assertRenders(values.toString(), valid, key);
    }

    private static void assertRenders(String values, boolean valid, String key) {
        if (valid) {
            List<String> errors = new ArrayList<>();
            Repo.renderChartWith(values).forEach(o -> errors.addAll(Repo.schemas().validate(o)));
            assertEquals(List.of(), errors, values);
        } else {
            Exception e = assertThrows(Exception.class, () -> Repo.renderChartWith(values), values);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
