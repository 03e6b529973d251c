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
import org.junit.jupiter.params.provider.ValueSource;

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
