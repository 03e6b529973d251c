package io.userpipeline.deploymentchecks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * Validates manifests as strictly as an API server with `kubectl apply --validate=strict`: built-in kinds
 * through the fabric8 model classes (unknown fields and type coercions fail), Strimzi kinds against the CRD
 * schemas generated from Strimzi's API classes.
 */
final class StrictSchemas {

    private static final Map<String, Class<?>> BUILT_IN = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/Pod", Pod.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private static final ObjectMapper STRICT = strictMapper();

    private static final java.util.Set<String> COMBINATORS = java.util.Set.of("oneOf", "anyOf", "allOf", "not");

    private final Map<String, JsonSchema> crdSchemas;

    /** @param crdDirectory output of Strimzi's CRD generator (one CRD per YAML file) */
    StrictSchemas(Path crdDirectory) {
        this.crdSchemas = loadCrds(crdDirectory);
    }

    /** @return one message per problem; empty when the object is valid */
    List<String> validate(ObjectNode object) {
        String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        String id = Yaml.id(object);
        Class<?> type = BUILT_IN.get(key);
        if (type != null) {
            return readStrictly(object, type, id);
        }
        JsonSchema schema = crdSchemas.get(key);
        if (schema == null) {
            return List.of(id + ": no schema for apiVersion/kind " + key
                    + " (not a supported built-in kind, nor a kind and version served by the Strimzi CRDs)");
        }
        List<String> errors = new ArrayList<>(readStrictly(object.path("metadata"), ObjectMeta.class, id + " metadata"));
        for (ValidationMessage message : schema.validate(object)) {
            errors.add(id + ": " + message.getMessage());
        }
        return errors;
    }

    private static List<String> readStrictly(JsonNode node, Class<?> type, String id) {
        try {
            STRICT.treeToValue(node, type);
            return List.of();
        } catch (Exception e) {
            return List.of(id + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * fabric8 classes collect unknown fields in an any-setter instead of failing; removing it lets
     * FAIL_ON_UNKNOWN_PROPERTIES apply. Coercions are refused so that `replicas: "3"` or `value: 3`
     * (a number where Kubernetes wants a string) fail as they do on the API server.
     */
    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule("no-any-setter");
        noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                         BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(noAnySetter)
                .build();
        for (LogicalType type : LogicalType.values()) {
            for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                    CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString)) {
                mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
        // Numbers are valid where Kubernetes has int-or-string or a numeric type; only cross-kind coercions fail.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return mapper;
    }

    private static Map<String, JsonSchema> loadCrds(Path directory) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        Map<String, JsonSchema> schemas = new HashMap<>();
        List<Path> files;
        try (var stream = Files.list(directory)) {
            files = stream.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (Exception e) {
            throw new IllegalStateException("Strimzi CRDs not found in " + directory
                    + " (generated by the build in generate-test-resources)", e);
        }
        for (Path file : files) {
            ObjectNode crd = Yaml.parseOne(file);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (!version.path("served").asBoolean()) {
                    continue;
                }
                ObjectNode schema = (ObjectNode) version.path("schema").path("openAPIV3Schema").deepCopy();
                closeObjects(schema);
                schemas.put(group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
            }
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException("no CRDs in " + directory);
        }
        return schemas;
    }

    /**
     * The API server rejects unknown fields of a custom resource under strict field validation (kubectl's
     * default); in JSON Schema that is additionalProperties: false on every object that lists its properties
     * and does not preserve unknown fields (free-form maps such as spec.kafka.config keep them).
     */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> children = object.fields(); children.hasNext(); ) {
                Map.Entry<String, JsonNode> child = children.next();
                // Alternatives (oneOf/anyOf/...) list only the properties they constrain; closing them would
                // reject every other field of the object they apply to.
                if (!COMBINATORS.contains(child.getKey())) {
                    closeObjects(child.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(StrictSchemas::closeObjects);
        }
    }
}
