package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void variantRendersStrictlyValidConsistentObjects(String variant) {
        List<ObjectNode> objects = new Kustomize().render(Repo.K8S.resolve(variant));
        List<String> errors = new ArrayList<>();
        objects.forEach(o -> errors.addAll(Repo.schemas().validate(o)));
        errors.addAll(Consistency.selectorErrors(objects));
        assertEquals(List.of(), errors);
        assertTrue(objects.stream().allMatch(o -> "user-pipeline".equals(o.path("metadata").path("namespace").asText())));
    }

    @Test
    void variantsDifferWhereTheyShould() {
        assertEquals(1, nodePoolReplicas(new Kustomize().render(Repo.K8S.resolve("dev"))));
        assertEquals(3, nodePoolReplicas(new Kustomize().render(Repo.K8S.resolve("prod"))));
    }

    private static int nodePoolReplicas(List<ObjectNode> objects) {
        return objects.stream().filter(o -> o.path("kind").asText().equals("KafkaNodePool"))
                .mapToInt(o -> o.path("spec").path("replicas").asInt()).sum();
    }

    /** A manifest that no variant includes would escape every check (and every deployment). */
    @Test
    void everyFileUnderK8sIsPartOfAVariant() throws IOException {
        Kustomize kustomize = new Kustomize();
        kustomize.render(Repo.K8S.resolve("dev"));
        kustomize.render(Repo.K8S.resolve("prod"));
        Set<Path> unread = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.K8S)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(".yamllint.yaml") && !f.toString().endsWith(".md"))
                    .map(Path::normalize)
                    .filter(f -> !kustomize.filesRead().contains(f))
                    .forEach(unread::add);
        }
        assertEquals(Set.of(), unread);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "deployment-unknown-field.yaml,     Unrecognized field \"replica\"",
            "service-port-as-string.yaml,       Cannot coerce String value (\"8080\")",
            "env-value-number.yaml,             Cannot coerce Integer value (10)",
            "kafka-zookeeper.yaml,              property 'zookeeper' is not defined in the schema",
            "kafka-v1beta2.yaml,                no schema for apiVersion/kind kafka.strimzi.io/v1beta2/Kafka",
            "kafkauser-bad-operation.yaml,      $.spec.authorization.acls[0].operations[0]",
            "kafkatopic-partitions-string.yaml, $.spec.partitions",
            "prometheusrule-unknown-field.yaml, Unrecognized field \"expression\"",
            "kafka-exporter-filter.yaml,        property 'groupFilter' is not defined in the schema",
            "podmonitor-endpoints.yaml,         Unrecognized field \"endpoints\"",
    })
    void strictSchemasRejectBadManifests(String file, String expected) {
        ObjectNode object = Yaml.parseOne(Repo.BAD.resolve("schema").resolve(file));
        List<String> errors = Repo.schemas().validate(object);
        assertFalse(errors.isEmpty(), file + " passed");
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), () -> String.join("\n", errors));
    }

    @Test
    void rendererRejectsKustomizeFeaturesItDoesNotImplement() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Kustomize().render(Repo.BAD.resolve("kustomize/unsupported-field")));
        assertTrue(e.getMessage().contains("unsupported kustomization field 'commonLabels'"), e.getMessage());
    }

    @Test
    void rendererRejectsAPatchWithoutTarget() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> new Kustomize().render(Repo.BAD.resolve("kustomize/patch-missing-target")));
        assertTrue(e.getMessage().contains("patch target v1 ConfigMap/setings not found"), e.getMessage());
    }

    @Test
    void patchesMergeListsByName() {
        List<ObjectNode> prod = new Kustomize().render(Repo.K8S.resolve("prod"));
        ObjectNode cassandra = prod.stream().filter(o -> Yaml.id(o).equals("StatefulSet/cassandra")).findFirst().orElseThrow();
        var container = cassandra.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, container.size());
        var env = container.path(0).path("env");
        // patched entries replaced in place, untouched entries (the Secret references) kept
        assertEquals(1, countEnv(env, "MAX_HEAP_SIZE"));
        assertEquals("4G", valueOf(env, "MAX_HEAP_SIZE"));
        assertEquals(1, countEnv(env, "CASSANDRA_SUPERUSER_PASSWORD"));
    }

    private static long countEnv(com.fasterxml.jackson.databind.JsonNode env, String name) {
        return Stream.iterate(0, i -> i < env.size(), i -> i + 1).filter(i -> env.path(i).path("name").asText().equals(name)).count();
    }

    private static String valueOf(com.fasterxml.jackson.databind.JsonNode env, String name) {
        for (var variable : env) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        return null;
    }
}
