package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ConsistencyTest {

    private static final Path CONTRACT = Path.of("src/test/resources/contract");

    /** What `kubectl apply -k k8s/<variant>` plus `helm install` with default values puts in the namespace. */
    private static List<ObjectNode> deployed(String variant) {
        List<ObjectNode> objects = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve(variant)));
        objects.addAll(Repo.renderChart());
        return objects;
    }

    @Test
    void chartSelectsTheStoresAndKafkaOfTheDevVariant() {
        assertEquals(List.of(), Consistency.selectorErrors(deployed("dev")));
    }

    @Test
    void chartSelectsNoPodOfKafkaOrTheStores() {
        for (String variant : List.of("dev", "prod")) {
            assertEquals(List.of(), Consistency.foreignSelectionErrors(Repo.renderChart(), new Kustomize().render(Repo.K8S.resolve(variant))));
        }
    }

    @Test
    void policySelectingStrimziPodsIsReported() {
        List<String> errors = Consistency.foreignSelectionErrors(
                Yaml.parseAll(Repo.BAD.resolve("consistency/networkpolicy-selects-kafka.yaml")), new Kustomize().render(Repo.K8S.resolve("dev")));
        assertEquals(List.of(
                "NetworkPolicy/user-pipeline-default-deny: selector {app.kubernetes.io/instance=user-pipeline} also selects the Strimzi entity operator of Kafka/user-pipeline",
                "NetworkPolicy/user-pipeline-default-deny: selector {app.kubernetes.io/instance=user-pipeline} also selects the Strimzi Kafka Exporter of Kafka/user-pipeline",
                "NetworkPolicy/user-pipeline-default-deny: selector {app.kubernetes.io/instance=user-pipeline} also selects the Strimzi pods of KafkaNodePool/dual-role"),
                errors);
    }

    @Test
    void testPodOutlivesTheTestSoItsLogsCanBeRead() {
        List<ObjectNode> rendered = Repo.renderChart();
        assertTrue(rendered.stream().anyMatch(o -> o.path("metadata").path("annotations").has(Repo.HOOK_ANNOTATIONS + "hook")));
        assertEquals(List.of(), Consistency.testHookErrors(rendered, Repo.HOOK_ANNOTATIONS));
    }

    @Test
    void testPodDeletedOnSuccessIsReported() {
        List<String> errors = Consistency.testHookErrors(
                Yaml.parseAll(Repo.BAD.resolve("consistency/test-pod-deleted-on-success.yaml")), "helm.sh/");
        assertEquals(List.of("Pod/user-pipeline-test: test hook delete policy [before-hook-creation, hook-succeeded] must be"
                + " before-hook-creation alone, or `helm test --logs` finds the pod gone"), errors);
    }

    @Test
    void chartValuesFitTheCassandraOfEachVariant() {
        List<ObjectNode> dev = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve("dev")));
        dev.addAll(Repo.renderChart());
        assertEquals(List.of(), Consistency.cassandraErrors(dev));
        List<ObjectNode> prod = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve("prod")));
        prod.addAll(Repo.renderChart(Repo.PRODUCTION_VALUES));
        assertEquals(List.of(), Consistency.cassandraErrors(prod));
    }

    @Test
    void defaultValuesWithTheProductionStoresAreReported() {
        assertEquals(List.of(
                "processor: keyspace replication factor 1 with 3 Cassandra nodes in StatefulSet/cassandra (expected 3)",
                "processor: Cassandra contact points [cassandra-0.cassandra] leave out [cassandra-1.cassandra, cassandra-2.cassandra]"),
                Consistency.cassandraErrors(deployed("prod")));
    }

    @Test
    void cassandraRolesComeFromAJobThatWaitsForEveryNode() {
        for (String variant : List.of("dev", "prod")) {
            List<ObjectNode> objects = new Kustomize().render(Repo.K8S.resolve(variant));
            assertTrue(objects.stream().anyMatch(o -> Yaml.id(o).equals("Job/cassandra-roles")), variant);
            assertEquals(List.of(), Consistency.cassandraRoleErrors(objects), variant);
        }
    }

    /** The former start script (roles written by the first node while it is alone), with a Job that does not fit. */
    @Test
    void rolesWrittenAtStartAndAJobThatDoesNotFitAreReported() {
        List<ObjectNode> objects = Yaml.parseAll(Repo.BAD.resolve("consistency/cassandra-roles-at-start.yaml"));
        assertEquals(List.of(
                "StatefulSet/cassandra: LOCAL_JMX=no without --add-exports java.management/com.sun.jmx.remote.security=ALL-UNNAMED"
                        + " in JVM_EXTRA_OPTS: Cassandra 5.0 on Java 17 fails at start-up reading the JMX password file",
                "StatefulSet/cassandra: start-cassandra.sh of ConfigMap cassandra-scripts writes system_auth ('ALTER KEYSPACE system_auth')"
                        + " while the node may be alone; role writes need a quorum of its replicas",
                "Job/cassandra-roles: waits for CASSANDRA_NODES=1 nodes of StatefulSet/cassandra, which has 3",
                "Job/cassandra-roles: system_auth replication factor 1 with 3 nodes (expected 3)",
                "Job/cassandra-roles: backoffLimit 0, so a failed attempt is never retried",
                "Job/cassandra-roles: CASSANDRA_SUPERUSER_PASSWORD from Secret cassandra-credentials key password,"
                        + " the nodes' from Secret cassandra-credentials key superuser-password"),
                Consistency.cassandraRoleErrors(objects));
        List<ObjectNode> withoutJob = objects.stream().filter(o -> !o.path("kind").asText().equals("Job")).toList();
        assertTrue(Consistency.cassandraRoleErrors(withoutJob)
                .contains("StatefulSet/cassandra: no Job with CASSANDRA_STATEFULSET=cassandra creates its roles"));
    }

    /** kube-prometheus-stack's Prometheus, installed in the namespace monitoring (the chart's default). */
    private static final Map<String, String> PROMETHEUS_PODS = Map.of("app.kubernetes.io/name", "prometheus");

    @Test
    void prometheusMayScrapeWhatTheServiceMonitorsName() {
        for (String values : List.of("ci/monitoring-values.yaml", "ci/native-digest-values.yaml")) {
            List<ObjectNode> objects = Repo.renderChart(Repo.CHART.resolve(values));
            assertTrue(objects.stream().anyMatch(o -> o.path("kind").asText().equals("ServiceMonitor")), values);
            assertTrue(objects.stream().anyMatch(o -> o.path("kind").asText().equals("NetworkPolicy")), values);
            assertEquals(List.of(), Consistency.scrapeErrors(objects, Repo.NAMESPACE, "monitoring", PROMETHEUS_PODS), values);
        }
    }

    /**
     * The chart's PodMonitor (monitoring values) selects the Kafka Exporter pod Strimzi runs for each variant's Kafka,
     * by the labels Strimzi 1.2 puts on it, on a port that pod has, and nothing shuts Prometheus out of it.
     */
    @Test
    void prometheusScrapesTheKafkaExporterOfEachVariant() {
        for (String variant : List.of("dev", "prod")) {
            List<ObjectNode> objects = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve(variant)));
            objects.addAll(Repo.renderChart(Repo.CHART.resolve("ci/monitoring-values.yaml")));
            List<ObjectNode> monitors = objects.stream().filter(o -> o.path("kind").asText().equals("PodMonitor")).toList();
            assertEquals(List.of("PodMonitor/user-pipeline-kafka-exporter"), monitors.stream().map(Yaml::id).toList(), variant);
            assertEquals("{\"strimzi.io/cluster\":\"user-pipeline\",\"strimzi.io/kind\":\"Kafka\",\"strimzi.io/name\":"
                    + "\"user-pipeline-kafka-exporter\"}", monitors.getFirst().path("spec").path("selector").path("matchLabels").toString());
            assertEquals(List.of(), Consistency.selectorErrors(objects), variant);
            assertEquals(List.of(), Consistency.scrapeErrors(objects, Repo.NAMESPACE, "monitoring", PROMETHEUS_PODS), variant);
        }
        assertTrue(Repo.renderChartWith("serviceMonitor:\n  enabled: true\n  kafkaExporter: false\n").stream()
                .noneMatch(o -> o.path("kind").asText().equals("PodMonitor")));
    }

    @Test
    void podMonitorsThatFindNoExporterTargetAreReported() {
        List<ObjectNode> objects = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve("dev")));
        objects.addAll(Yaml.parseAll(Repo.BAD.resolve("consistency/podmonitor-kafka-exporter.yaml")));
        List<String> errors = Consistency.selectorErrors(objects);
        assertEquals(2, errors.size(), String.join("\n", errors));
        assertEquals("PodMonitor/exporter-wrong-port: endpoint port 'metrics' is not a container port of the Strimzi Kafka Exporter"
                + " of Kafka/user-pipeline [tcp-prometheus]", errors.get(0));
        assertTrue(errors.get(1).startsWith("PodMonitor/exporter-part-of: selector {") && errors.get(1).endsWith("} matches no pod"),
                errors.get(1));
    }

    @Test
    void everyVariantsKafkaExporterMeasuresTheProcessorsLag() {
        Properties processor = Consistency.readProperties(Repo.ROOT.resolve("processor/src/main/resources/application.properties"));
        for (String variant : List.of("dev", "prod")) {
            assertEquals(List.of(), Consistency.kafkaExporterErrors(new Kustomize().render(Repo.K8S.resolve(variant)), processor), variant);
        }
    }

    @Test
    void kafkaExportersBlindToTheProcessorAreReported() {
        assertEquals(List.of(
                        "Kafka/no-exporter: no spec.kafkaExporter: consumer lag is then only the processor's own client metric,"
                                + " which vanishes while no processor runs",
                        "Kafka/blind: kafkaExporter.groupRegex '^processor$' leaves out the processor's group 'user-processor'",
                        "Kafka/blind: kafkaExporter.topicRegex '^user-profiles' leaves out topic 'users_created'",
                        "Kafka/blind: kafkaExporter.topicExcludeRegex 'dlq$' excludes topic 'user-profiles-dlq'",
                        "Kafka/blind: kafkaExporter.showAllOffsets is false: lag is reported only while a member of the group"
                                + " is connected, so none while the processor is down",
                        "Kafka/blind: kafkaExporter.resources needs cpu and memory requests and a memory limit, has none"),
                Consistency.kafkaExporterErrors(Yaml.parseAll(Repo.BAD.resolve("consistency/kafka-exporter-blind.yaml")),
                        Consistency.readProperties(CONTRACT.resolve("processor.properties"))));
    }

    /** The processor's console calls the ingestor's API: the address it is given leads there, and the policies let it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.userpipeline.deploymentchecks.HelmChartTest#valueSets")
    void theProcessorReachesTheIngestorsApi(String name, List<Path> valuesFiles) {
        List<ObjectNode> objects = Repo.renderChart(valuesFiles.toArray(Path[]::new));
        assertEquals(List.of(), Consistency.callErrors(objects, Repo.NAMESPACE, "processor", INGESTOR_URL, "ingestor"));
    }

    private static final String INGESTOR_URL = "PIPELINE_OPERATIONS_INGESTOR_URL";

    @Test
    void aProcessorShutOutOfTheIngestorIsReported() {
        // the processor's policy without its egress rule to the ingestor
        List<ObjectNode> objects = Repo.renderChart();
        for (ObjectNode policy : objects) {
            if (Yaml.id(policy).equals("NetworkPolicy/user-pipeline-processor")) {
                ArrayNode egress = (ArrayNode) policy.path("spec").path("egress");
                for (int i = egress.size() - 1; i >= 0; i--) {
                    if (egress.path(i).toString().contains("\"app.kubernetes.io/component\":\"ingestor\"")) {
                        egress.remove(i);
                    }
                }
            }
        }
        assertEquals(List.of("processor: PIPELINE_OPERATIONS_INGESTOR_URL=http://user-pipeline-ingestor:8080: no NetworkPolicy lets"
                        + " the pods of Deployment/user-pipeline-processor out to port 8080/http of the pods of Deployment/user-pipeline-ingestor"),
                Consistency.callErrors(objects, Repo.NAMESPACE, "processor", INGESTOR_URL, "ingestor"));
        // the ingestor's policy without the processor among the peers of its API
        objects = Repo.renderChart();
        for (ObjectNode policy : objects) {
            if (Yaml.id(policy).equals("NetworkPolicy/user-pipeline-ingestor")) {
                ArrayNode from = (ArrayNode) policy.path("spec").path("ingress").path(0).path("from");
                for (int i = from.size() - 1; i >= 0; i--) {
                    if (from.path(i).toString().contains("\"app.kubernetes.io/component\":\"processor\"")) {
                        from.remove(i);
                    }
                }
            }
        }
        assertEquals(List.of("processor: PIPELINE_OPERATIONS_INGESTOR_URL=http://user-pipeline-ingestor:8080: no NetworkPolicy lets"
                        + " the pods of Deployment/user-pipeline-ingestor take port 8080/http from the pods of Deployment/user-pipeline-processor"),
                Consistency.callErrors(objects, Repo.NAMESPACE, "processor", INGESTOR_URL, "ingestor"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            http://user-pipeline-ingestor:8081           | : port 8081 is not a port of Service/user-pipeline-ingestor
            http://user-pipeline-processor:8080          | : Service/user-pipeline-processor does not select the pods of Deployment/user-pipeline-ingestor
            http://ingestor:8080                         | : no Service ingestor
            http://user-pipeline-ingestor.other.svc:8080 | : the host is outside namespace user-pipeline, where the ingestor runs
            """)
    void anIngestorAddressThatLeadsElsewhereIsReported(String url, String expected) {
        List<ObjectNode> objects = Repo.renderChart();
        objects.stream().filter(o -> Yaml.id(o).equals("ConfigMap/user-pipeline-processor"))
                .forEach(o -> ((ObjectNode) o.path("data")).put(INGESTOR_URL, url));
        assertEquals(List.of("processor: " + INGESTOR_URL + "=" + url + expected),
                Consistency.callErrors(objects, Repo.NAMESPACE, "processor", INGESTOR_URL, "ingestor"));
    }

    @Test
    void serviceMonitorWhosePrometheusIsShutOutIsReported() {
        List<String> errors = Consistency.scrapeErrors(Yaml.parseAll(Repo.BAD.resolve("consistency/servicemonitor-shut-out.yaml")),
                Repo.NAMESPACE, "monitoring", PROMETHEUS_PODS);
        assertEquals(List.of("ServiceMonitor/api: no NetworkPolicy admits Prometheus (namespace monitoring, pods"
                + " {app.kubernetes.io/name=prometheus}) to port http of the pods of Deployment/api"), errors);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://randomuser.me/api/", "http://randomuser.me/api/", "http://api.example.com:8080/users",
            "http://randomuser:3000/api/", "http://randomuser.tools.svc:3000/api/", "https://randomuser.tools.svc.cluster.local/api/",
            "http://10.20.30.40:8080/api/"})
    void ingestorMayReachTheApiItIsGiven(String url) {
        List<ObjectNode> objects = Repo.renderChartWith("ingestor:\n  ingestion:\n    source: api\n    apiBaseUrl: " + url + "\n");
        assertEquals(List.of(), Consistency.egressErrors(objects, "ingestor", URI.create(url)));
    }

    /**
     * Opening an internet API must not open what only looks like the internet from a pod: a cloud's instance
     * metadata service (link-local, on port 80 like a plain-http API) and the carrier-grade NAT range some
     * clusters give their pods.
     */
    @ParameterizedTest
    @ValueSource(strings = { "http://169.254.169.254/latest/meta-data/", "http://100.64.0.10/" })
    void anInternetApiOpensNeitherMetadataNorPodRanges(String url) {
        List<ObjectNode> objects = Repo.renderChartWith("ingestor:\n  ingestion:\n    source: api\n    apiBaseUrl: http://randomuser.me/api/\n");
        assertEquals(List.of(), Consistency.egressErrors(objects, "ingestor", URI.create("http://randomuser.me/api/")));
        assertFalse(Consistency.egressErrors(objects, "ingestor", URI.create(url)).isEmpty(), url + " is reachable");
    }

    @Test
    void apiEgressOpenOnlyToPublicHttpsIsReported() {
        List<ObjectNode> policy = Yaml.parseAll(Repo.BAD.resolve("consistency/api-egress-https-only.yaml"));
        assertEquals(List.of(), Consistency.egressErrors(policy, "ingestor", URI.create("https://randomuser.me/api/")));
        assertEquals(List.of("ingestor: no egress rule of [NetworkPolicy/user-pipeline-ingestor] lets it reach"
                + " http://randomuser.me/api/ (port 80, address 203.0.113.10)"),
                Consistency.egressErrors(policy, "ingestor", URI.create("http://randomuser.me/api/")));
        assertEquals(List.of("ingestor: no egress rule of [NetworkPolicy/user-pipeline-ingestor] lets it reach"
                + " https://randomuser.tools.svc/api/ (port 443, inside the cluster)"),
                Consistency.egressErrors(policy, "ingestor", URI.create("https://randomuser.tools.svc/api/")));
    }

    @Test
    void servicesKafkaNamesMatchTopicsUsersAndChart() {
        Properties ingestor = Consistency.readProperties(Repo.ROOT.resolve("ingestor/src/main/resources/application.properties"));
        Properties processor = Consistency.readProperties(Repo.ROOT.resolve("processor/src/main/resources/application.properties"));
        assertEquals(List.of(), Consistency.kafkaErrors(deployed("dev"), ingestor, processor));
        assertEquals(List.of(), Consistency.kafkaErrors(deployed("prod"), ingestor, processor));
        // k8s/ cannot know the chart's operations.enabled: its users must serve a release that turns it on
        for (String variant : List.of("dev", "prod")) {
            List<ObjectNode> objects = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve(variant)));
            objects.addAll(Repo.renderChartWith("operations:\n  enabled: true\n"));
            assertEquals(List.of(), Consistency.kafkaErrors(objects, ingestor, processor), variant);
        }
    }

    /**
     * With operations on, the chart-owned KafkaUser lets a replay write the input topics; off, it does not, and nothing
     * asks for it.
     */
    @Test
    void chartOwnedUsersGrantWhatTheProcessorDoes() {
        Properties ingestor = Consistency.readProperties(Repo.ROOT.resolve("ingestor/src/main/resources/application.properties"));
        Properties processor = Consistency.readProperties(Repo.ROOT.resolve("processor/src/main/resources/application.properties"));
        Path chartOwned = Repo.CHART.resolve("ci/chart-owns-kafka-values.yaml");
        assertEquals(List.of(), Consistency.kafkaErrors(Repo.renderChart(chartOwned), ingestor, processor));
        List<ObjectNode> operationsOff = Repo.renderChartWith("kafka:\n  createTopics: true\n  createUsers: true\n");
        assertEquals(List.of(), Consistency.kafkaErrors(operationsOff, ingestor, processor));
        assertFalse(operationsOff.stream().filter(o -> Yaml.id(o).equals("KafkaUser/processor")).findFirst().orElseThrow()
                .path("spec").path("authorization").path("acls").path(0).path("operations").toString().contains("Write"));
    }

    @Test
    void aProcessorUserThatCannotReplayIsReported() {
        List<ObjectNode> objects = new ArrayList<>(new Kustomize().render(Repo.K8S.resolve("dev")).stream()
                .filter(o -> !Yaml.id(o).equals("KafkaUser/processor")).toList());
        objects.addAll(Yaml.parseAll(Repo.BAD.resolve("consistency/processor-user-before-replay.yaml")));
        objects.addAll(Repo.renderChartWith("operations:\n  enabled: true\n"));
        assertEquals(List.of(
                        "processor: KafkaUser 'processor' lacks Read on topic 'user-profiles-dlq'",
                        "processor: KafkaUser 'processor' lacks Write on topic 'user-profiles'",
                        "processor: KafkaUser 'processor' lacks Write on topic 'users_created'"),
                Consistency.kafkaErrors(objects, Consistency.readProperties(CONTRACT.resolve("ingestor.properties")),
                        Consistency.readProperties(CONTRACT.resolve("processor.properties"))));
    }

    @Test
    void devVariantAndChartNeedNoSecretsFromOutside() {
        assertEquals(List.of(), Consistency.secretErrors(deployed("dev"), Set.of()));
    }

    @Test
    void prodSecretsAreDocumentedPrerequisites() {
        Set<String> documented = Consistency.documentedSecrets(Repo.K8S.resolve("prod/README.md"));
        assertEquals(List.of(), Consistency.secretErrors(deployed("prod"), documented));
        // the list is what makes prod pass: without it the store credentials are reported
        assertTrue(Consistency.secretErrors(deployed("prod"), Set.of()).stream()
                .anyMatch(e -> e.contains("Secret 'cassandra-credentials'")));
    }

    @Test
    void serviceSelectingNoPodIsReported() {
        List<String> errors = Consistency.selectorErrors(Yaml.parseAll(Repo.BAD.resolve("consistency/service-selector-mismatch.yaml")));
        assertEquals(List.of("Service/api selector {app.kubernetes.io/name=apí} matches no pod"), errors);
    }

    @Test
    void undocumentedSecretIsReported() {
        List<String> errors = Consistency.secretErrors(
                Yaml.parseAll(Repo.BAD.resolve("consistency/undocumented-secret.yaml")), Set.of("some-other-secret"));
        assertEquals(List.of("Pod/needs-secret: Secret 'mystery-token' is neither created by the manifests nor a documented prerequisite"),
                errors);
    }

    @Test
    void consumerGroupWithoutAclIsReported() {
        List<String> errors = Consistency.kafkaErrors(deployed("dev"),
                Consistency.readProperties(CONTRACT.resolve("ingestor.properties")),
                Consistency.readProperties(Repo.BAD.resolve("consistency/processor-other-group.properties")));
        assertEquals(List.of(
                "processor: deployed MP_MESSAGING_INCOMING_USER_PROFILES_GROUP_ID=user-processor but application.properties says user-processor-v2",
                "processor: KafkaUser 'processor' lacks Read on group 'user-processor-v2'"), errors);
    }

    @Test
    void missingTopicKeyIsReported() {
        List<String> errors = Consistency.kafkaErrors(deployed("dev"),
                Consistency.readProperties(Repo.BAD.resolve("consistency/ingestor-no-topic.properties")),
                Consistency.readProperties(CONTRACT.resolve("processor.properties")));
        assertEquals(List.of("ingestor: application.properties has no mp.messaging.outgoing.user-profiles.topic"), errors);
    }

    @Test
    void missingPropertiesFileIsReported() {
        Exception e = assertThrows(IllegalStateException.class,
                () -> Consistency.readProperties(Repo.BAD.resolve("consistency/no-such-application.properties")));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }

    @Test
    void contractCopiesPassSoBadCasesFailForTheirOwnReason() {
        assertEquals(List.of(), Consistency.kafkaErrors(deployed("dev"),
                Consistency.readProperties(CONTRACT.resolve("ingestor.properties")),
                Consistency.readProperties(CONTRACT.resolve("processor.properties"))));
    }
}
