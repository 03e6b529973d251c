package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

class HelmChartTest {

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(Repo.CHART).lint().strict().call();
        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    }

    /** Strimzi 1.2 supports Kubernetes 1.30+: the chart refuses older clusters, and the README says the same. */
    @Test
    void chartAndReadmeRequireTheKubernetesStrimziSupports() throws IOException {
        Exception e = assertThrows(Exception.class, () -> new Helm(Repo.CHART).template().withKubeVersion("1.29.9").call());
        assertTrue(e.getMessage().contains("kubeVersion"), e.getMessage());
        assertFalse(new Helm(Repo.CHART).template().withKubeVersion("1.30.0").call().isBlank());
        assertTrue(Files.readString(Repo.ROOT.resolve("README.md")).contains("(Kubernetes 1.30+)"), "README: Kubernetes 1.30+");
    }

    @Test
    void strictLintFailsOnABrokenChart() {
        LintResult result = new Helm(Repo.BAD.resolve("chart")).lint().strict().call();
        assertTrue(result.isFailed());
        assertTrue(result.getMessages().stream().anyMatch(m -> m.contains("nil pointer")), () -> String.join("\n", result.getMessages()));
    }

    /** The defaults, the production values plus every values file shipped in ci/. */
    static Stream<Arguments> valueSets() throws IOException {
        List<Arguments> sets = new ArrayList<>();
        sets.add(Arguments.of("defaults", List.of()));
        sets.add(Arguments.of(Repo.PRODUCTION_VALUES.getFileName().toString(), List.of(Repo.PRODUCTION_VALUES)));
        try (Stream<Path> files = Files.list(Repo.CHART.resolve("ci"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .forEach(f -> sets.add(Arguments.of(f.getFileName().toString(), List.of(f))));
        }
        return sets.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyValueSetRendersStrictlyValidConsistentObjects(String name, List<Path> valuesFiles) {
        List<ObjectNode> objects = Repo.renderChart(valuesFiles.toArray(Path[]::new));
        assertFalse(objects.isEmpty());
        List<String> errors = new ArrayList<>();
        objects.forEach(o -> errors.addAll(Repo.schemas().validate(o)));
        // The chart's selectors point at Kafka, Cassandra and PostgreSQL pods of k8s/: check them together.
        List<ObjectNode> stores = new Kustomize().render(Repo.K8S.resolve("dev"));
        List<ObjectNode> withStores = new ArrayList<>(objects);
        withStores.addAll(stores);
        errors.addAll(Consistency.selectorErrors(withStores));
        errors.addAll(Consistency.foreignSelectionErrors(objects, stores));
        errors.addAll(Consistency.secretErrors(objects, Consistency.documentedSecrets(Repo.CHART.resolve("README.md"))));
        assertEquals(List.of(), errors);
    }

    /**
     * The operators' switch reaches both services (their own defaults are on, for laptop runs), off unless the values
     * turn it on; the processor is given the ingestor's Service for its console.
     */
    @Test
    void operationsAreOffUnlessTurnedOn() {
        for (boolean enabled : List.of(false, true)) {
            List<ObjectNode> objects = enabled ? Repo.renderChartWith("operations:\n  enabled: true\n") : Repo.renderChart();
            Map<String, String> ingestor = Consistency.containerEnv(objects, Consistency.deployment(objects, "ingestor").orElseThrow());
            Map<String, String> processor = Consistency.containerEnv(objects, Consistency.deployment(objects, "processor").orElseThrow());
            assertEquals(String.valueOf(enabled), ingestor.get("INGESTION_CONTROL_ENABLED"));
            assertEquals(String.valueOf(enabled), processor.get("PIPELINE_OPERATIONS_ENABLED"));
            assertEquals("http://user-pipeline-ingestor:8080", processor.get("PIPELINE_OPERATIONS_INGESTOR_URL"));
        }
        Exception e = assertThrows(Exception.class, () -> Repo.renderChartWith("operations:\n  enabled: \"yes\"\n"));
        assertTrue(e.getMessage().contains("enabled"), e.getMessage());
    }

    @Test
    void schemaRejectsAWrongType() {
        Exception e = assertThrows(Exception.class, () -> Repo.renderChart(Repo.BAD.resolve("values/wrong-type.yaml")));
        assertTrue(e.getMessage().contains("replicaCount"), e.getMessage());
    }

    @Test
    void schemaRejectsAnUnknownKey() {
        Exception e = assertThrows(Exception.class, () -> Repo.renderChart(Repo.BAD.resolve("values/unknown-key.yaml")));
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
    }

    @Test
    void imagesFollowFlavourTagAndDigest() {
        assertEquals(List.of("ghcr.io/user-pipeline/ingestor:1.0.0-SNAPSHOT", "ghcr.io/user-pipeline/processor:1.0.0-SNAPSHOT"),
                images(Repo.renderChart()));
        // native flavour; the ingestor is pinned by digest, which wins over tag and flavour
        assertEquals(List.of(
                        "ghcr.io/user-pipeline/ingestor@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        "ghcr.io/user-pipeline/processor:1.0.0-SNAPSHOT-native"),
                images(Repo.renderChart(Repo.CHART.resolve("ci/native-digest-values.yaml"))));
    }

    /** Hardening the issue asks for, on every container of every Deployment of every value set. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void deploymentsAreHardenedAndProbed(String name, List<Path> valuesFiles) {
        List<ObjectNode> deployments = Repo.renderChart(valuesFiles.toArray(Path[]::new)).stream()
                .filter(o -> o.path("kind").asText().equals("Deployment")).toList();
        assertEquals(2, deployments.size());
        for (ObjectNode deployment : deployments) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), Yaml.id(deployment));
            assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText());
            for (JsonNode container : pod.path("containers")) {
                JsonNode sc = container.path("securityContext");
                assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(), Yaml.id(deployment));
                assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true), Yaml.id(deployment));
                assertEquals("[\"ALL\"]", sc.path("capabilities").path("drop").toString());
                assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
                assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
                assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
                assertTrue(container.path("resources").path("requests").has("memory"), Yaml.id(deployment));
            }
        }
    }

    /**
     * What a readiness answer may take, from the services' own code and configuration: the ingestor's Kafka
     * check (KafkaReachability.TIMEOUT_MILLIS); the processor's Cassandra check (the driver's request timeout),
     * plus, unless the processor excludes it (quarkus.datasource.health-exclude), Quarkus' PostgreSQL check
     * (ReactiveDatasourceHealthCheck waits a fixed 20 s, in the extension's code, not in configuration). The
     * processor's Kafka channels report readiness from client metrics, without waiting, and are moved to the
     * pipeline's health group anyway.
     */
    static Map<String, Integer> readinessBounds() throws IOException {
        Matcher kafka = Pattern.compile("TIMEOUT_MILLIS = (\\d+);").matcher(Files.readString(
                Repo.ROOT.resolve("ingestor/src/main/java/io/userpipeline/ingestor/publish/KafkaReachability.java")));
        assertTrue(kafka.find(), "KafkaReachability.TIMEOUT_MILLIS not found: the ingestor's Kafka check changed, update this check");
        Properties processor = Consistency.readProperties(Repo.ROOT.resolve("processor/src/main/resources/application.properties"));
        String cassandraTimeout = processor.getProperty("quarkus.cassandra.request.timeout");
        int postgresHealthCheckSeconds = Boolean.parseBoolean(processor.getProperty("quarkus.datasource.health-exclude")) ? 0 : 20;
        return Map.of("ingestor", (int) Math.ceil(Integer.parseInt(kafka.group(1)) / 1000.0),
                "processor", (int) Duration.parse("PT" + cassandraTimeout.toUpperCase()).toSeconds() + postgresHealthCheckSeconds);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void readinessProbesOutwaitTheHealthChecks(String name, List<Path> valuesFiles) throws IOException {
        assertEquals(List.of(), Consistency.probeErrors(Repo.renderChart(valuesFiles.toArray(Path[]::new)), readinessBounds()));
    }

    @Test
    void probeTimingOutBeforeTheHealthChecksIsReported() throws IOException {
        assertEquals(List.of("Deployment/user-pipeline-processor: readiness probe timeout 1 s, but its health checks may take 10 s:"
                        + " the probe fails while a slow dependency is still being checked"),
                Consistency.probeErrors(Yaml.parseAll(Repo.BAD.resolve("consistency/readiness-probe-default-timeout.yaml")), readinessBounds()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void noProbeReadsThePipelinesHealthGroup(String name, List<Path> valuesFiles) {
        assertEquals(List.of(), Consistency.pipelineProbeErrors(Repo.renderChart(valuesFiles.toArray(Path[]::new))));
    }

    @Test
    void aProbeOnThePipelinesHealthGroupIsReported() throws IOException {
        assertEquals(List.of("Deployment/user-pipeline-processor: readinessProbe reads /q/health/group/pipeline: a paused"
                        + " pipeline (Kafka or a store away) is the same on every replica; probing it unroutes every pod's"
                        + " API, or restarts pods that only wait"),
                Consistency.pipelineProbeErrors(Yaml.parseAll(Repo.BAD.resolve("consistency/readiness-probe-on-pipeline.yaml"))));
    }

    /** Room outside the heap: Quarkus' metaspace with the Kafka and Cassandra clients, threads, Netty's direct memory. */
    private static final long NON_HEAP_BYTES = 256L << 20;

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void heapLeavesRoomUnderTheMemoryLimit(String name, List<Path> valuesFiles) {
        List<ObjectNode> objects = Repo.renderChart(valuesFiles.toArray(Path[]::new));
        // Native executables have no JVM launcher; their heap is not sized by JAVA_MAX_MEM_RATIO.
        if (images(objects).stream().noneMatch(image -> image.endsWith("-native"))) {
            assertEquals(List.of(), Consistency.heapErrors(objects, NON_HEAP_BYTES));
        }
    }

    @Test
    void heapCrowdingTheLimitIsReported() {
        List<ObjectNode> objects = Repo.renderChartWith("processor:\n  resources:\n    limits:\n      memory: 384Mi\n");
        assertEquals(List.of("Deployment/user-pipeline-processor: heap 192Mi of a 384Mi limit leaves 192Mi outside the heap, less than 256Mi"),
                Consistency.heapErrors(objects, NON_HEAP_BYTES));
    }

    /** The clients closing and the consumers leaving the group after the drain, at worst (a store failing). */
    private static final long CLOSE_SECONDS = 15;

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theProcessorsStopFitsItsGracePeriod(String name, List<Path> valuesFiles) {
        assertEquals(List.of(), Consistency.stopBudgetErrors(Repo.renderChart(valuesFiles.toArray(Path[]::new)), CLOSE_SECONDS));
    }

    @Test
    void aDrainLongerThanTheGracePeriodAllowsIsReported() {
        List<ObjectNode> objects = Repo.renderChartWith("processor:\n  drainTimeoutSeconds: 30\n");
        assertEquals(List.of("Deployment/user-pipeline-processor: a stop may take the 30 s drain and 15 s to close, more"
                        + " than its terminationGracePeriodSeconds of 40 s: the pod is killed before its consumers leave the group"),
                Consistency.stopBudgetErrors(objects, CLOSE_SECONDS));
    }

    private static List<String> images(List<ObjectNode> objects) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                .map(o -> o.path("spec").path("template").path("spec").path("containers").path(0).path("image").asText())
                .sorted().toList();
    }
}
