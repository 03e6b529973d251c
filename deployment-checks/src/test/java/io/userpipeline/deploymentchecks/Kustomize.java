package io.userpipeline.deploymentchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization the way `kubectl apply -k` does, for the subset of kustomize this repository
 * uses: resources (files and directories), namespace, strategic-merge patches by path, and
 * configMapGenerator with files. Any other field is rejected, so a kustomization cannot silently use a
 * feature whose effect these checks would not see.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of(
            "apiVersion", "kind", "resources", "namespace", "patches", "configMapGenerator");

    /** Objects that are never namespaced among the kinds kustomize may set a namespace on here. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "StorageClass", "PersistentVolume");

    private final Set<Path> filesRead = new LinkedHashSet<>();

    /** Every file the last renders read, so a test can prove no manifest escapes the checks. */
    Set<Path> filesRead() {
        return filesRead;
    }

    List<ObjectNode> render(Path directory) {
        Path kustomizationFile = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(kustomizationFile)) {
            throw new IllegalArgumentException(directory + ": no kustomization.yaml");
        }
        filesRead.add(kustomizationFile.normalize());
        ObjectNode kustomization = Yaml.parseOne(kustomizationFile);
        for (Iterator<String> fields = kustomization.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(kustomizationFile + ": unsupported kustomization field '" + field + "'");
            }
        }
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                filesRead.add(path);
                objects.addAll(Yaml.parseAll(path));
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            objects.add(configMap(directory, generator));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalArgumentException(kustomizationFile + ": only 'patches: - path: <file>' is supported, got " + patch);
            }
            Path patchFile = directory.resolve(patch.get("path").asText()).normalize();
            filesRead.add(patchFile);
            for (ObjectNode patchObject : Yaml.parseAll(patchFile)) {
                ObjectNode target = objects.stream()
                        .filter(o -> sameObject(o, patchObject))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(patchFile + ": patch target "
                                + patchObject.path("apiVersion").asText() + " " + Yaml.id(patchObject) + " not found"));
                merge(target, patchObject);
            }
        }
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.get("namespace").asText();
            objects.stream()
                    .filter(o -> !CLUSTER_SCOPED.contains(o.path("kind").asText()))
                    .forEach(o -> ((ObjectNode) o.withObject("/metadata")).put("namespace", namespace));
        }
        return objects;
    }

    private ObjectNode configMap(Path directory, JsonNode generator) {
        if (!generator.path("options").path("disableNameSuffixHash").asBoolean(false)) {
            // With a hash suffix kustomize rewrites references to the ConfigMap; this renderer does not.
            throw new IllegalArgumentException(directory + ": configMapGenerator '" + generator.path("name").asText()
                    + "' must set options.disableNameSuffixHash: true");
        }
        ObjectNode configMap = Yaml.MAPPER.createObjectNode();
        configMap.put("apiVersion", "v1");
        configMap.put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", generator.path("name").asText());
        ObjectNode data = configMap.putObject("data");
        for (JsonNode file : generator.path("files")) {
            Path path = directory.resolve(file.asText()).normalize();
            filesRead.add(path);
            try {
                data.put(path.getFileName().toString(), Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException(path + ": configMapGenerator file unreadable", e);
            }
        }
        return configMap;
    }

    private static boolean sameObject(JsonNode a, JsonNode b) {
        return a.path("apiVersion").equals(b.path("apiVersion"))
                && a.path("kind").equals(b.path("kind"))
                && a.path("metadata").path("name").equals(b.path("metadata").path("name"));
    }

    /**
     * Strategic merge as kustomize applies it to the fields used here: maps merge recursively, lists whose
     * items all carry a `name` (containers, env, ports, volumes, volumeClaimTemplates) merge by name, any
     * other list is replaced.
     */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<String> fields = patch.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            JsonNode patchValue = patch.get(field);
            JsonNode targetValue = target.get(field);
            if (patchValue instanceof ObjectNode patchObject && targetValue instanceof ObjectNode targetObject) {
                merge(targetObject, patchObject);
            } else if (patchValue instanceof ArrayNode patchList && targetValue instanceof ArrayNode targetList
                    && allNamed(patchList) && allNamed(targetList)) {
                mergeByName(targetList, patchList);
            } else {
                target.set(field, patchValue.deepCopy());
            }
        }
    }

    private static void mergeByName(ArrayNode target, ArrayNode patch) {
        for (JsonNode item : patch) {
            JsonNode name = name(item);
            ObjectNode existing = null;
            for (JsonNode candidate : target) {
                if (name(candidate).equals(name)) {
                    existing = (ObjectNode) candidate;
                }
            }
            if (existing == null) {
                target.add(item.deepCopy());
            } else {
                merge(existing, (ObjectNode) item);
            }
        }
    }

    private static boolean allNamed(ArrayNode list) {
        for (JsonNode item : list) {
            if (name(item).isMissingNode()) {
                return false;
            }
        }
        return true;
    }

    /** Containers, env and ports carry `name`; volumeClaimTemplates carry `metadata.name`. */
    private static JsonNode name(JsonNode item) {
        if (!item.isObject()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return item.has("name") ? item.get("name") : item.path("metadata").path("name");
    }
}
