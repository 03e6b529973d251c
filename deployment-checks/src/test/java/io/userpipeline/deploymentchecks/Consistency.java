package io.userpipeline.deploymentchecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cross-object checks that no schema can express: names and labels that must agree between objects. */
final class Consistency {

    private static final Pattern DOCUMENTED_SECRET = Pattern.compile("^- secret/([a-z0-9.-]+)", Pattern.MULTILINE);

    private Consistency() {
    }

    // ---------------------------------------------------------------- selectors

    /**
     * Every selector selects something: workloads their own pod template, Services/PDBs/NetworkPolicies
     * some pod, HPAs an existing workload, ServiceMonitors a Service, Strimzi resources an existing Kafka.
     * Kafka broker pods are created by Strimzi; they are modelled from the Kafka and KafkaNodePool resources.
     */
    static List<String> selectorErrors(List<ObjectNode> objects) {
        List<String> errors = new ArrayList<>();
        List<Map<String, String>> pods = podLabels(objects);
        for (ObjectNode o : objects) {
            String id = Yaml.id(o);
            JsonNode spec = o.path("spec");
            switch (o.path("kind").asText()) {
                case "Deployment", "StatefulSet" -> {
                    Map<String, String> selector = map(spec.path("selector").path("matchLabels"));
                    if (selector.isEmpty() || !matches(selector, map(spec.path("template").path("metadata").path("labels")))) {
                        errors.add(id + ": spec.selector " + selector + " does not match its pod template labels");
                    }
                }
                case "Service" -> requireSelected(errors, id + " selector", map(spec.path("selector")), pods);
                case "PodDisruptionBudget" -> requireSelected(errors, id + " selector", map(spec.path("selector").path("matchLabels")), pods);
                case "HorizontalPodAutoscaler" -> {
                    JsonNode target = spec.path("scaleTargetRef");
                    boolean found = objects.stream().anyMatch(w -> w.path("kind").equals(target.path("kind"))
                            && w.path("apiVersion").equals(target.path("apiVersion"))
                            && w.path("metadata").path("name").equals(target.path("name")));
                    if (!found) {
                        errors.add(id + ": scaleTargetRef " + target + " names no workload in the manifests");
                    }
                }
                case "NetworkPolicy" -> {
                    requireSelected(errors, id + " spec.podSelector", map(spec.path("podSelector").path("matchLabels")), pods);
                    for (String direction : List.of("ingress", "egress")) {
                        for (JsonNode rule : spec.path(direction)) {
                            for (JsonNode peer : rule.path(direction.equals("ingress") ? "from" : "to")) {
                                // Peers in other namespaces (DNS, monitoring) are outside these manifests.
                                if (peer.has("podSelector") && !peer.has("namespaceSelector")) {
                                    requireSelected(errors, id + " " + direction + " peer",
                                            map(peer.path("podSelector").path("matchLabels")), pods);
                                }
                            }
                        }
                    }
                }
                case "ServiceMonitor" -> {
                    Map<String, String> selector = map(spec.path("selector").path("matchLabels"));
                    boolean found = objects.stream().filter(s -> s.path("kind").asText().equals("Service"))
                            .anyMatch(s -> matches(selector, map(s.path("metadata").path("labels"))));
                    if (!found) {
                        errors.add(id + ": selector " + selector + " matches no Service");
                    }
                }
                case "KafkaNodePool", "KafkaTopic", "KafkaUser" -> {
                    String cluster = o.path("metadata").path("labels").path("strimzi.io/cluster").asText();
                    boolean found = objects.stream().anyMatch(k -> k.path("kind").asText().equals("Kafka")
                            && k.path("metadata").path("name").asText().equals(cluster));
                    if (!found) {
                        errors.add(id + ": label strimzi.io/cluster '" + cluster + "' names no Kafka in the manifests");
                    }
                }
                default -> {
                }
            }
        }
        return errors;
    }

    private static void requireSelected(List<String> errors, String what, Map<String, String> selector,
                                        List<Map<String, String>> pods) {
        if (pods.stream().noneMatch(labels -> matches(selector, labels))) {
            errors.add(what + " " + selector + " matches no pod");
        }
    }

    private static List<Map<String, String>> podLabels(List<ObjectNode> objects) {
        List<Map<String, String>> pods = new ArrayList<>();
        for (ObjectNode o : objects) {
            switch (o.path("kind").asText()) {
                case "Deployment", "StatefulSet" -> pods.add(map(o.path("spec").path("template").path("metadata").path("labels")));
                case "Pod" -> pods.add(map(o.path("metadata").path("labels")));
                case "KafkaNodePool" -> {
                    // Labels Strimzi puts on the pods of a node pool.
                    String cluster = o.path("metadata").path("labels").path("strimzi.io/cluster").asText();
                    String pool = o.path("metadata").path("name").asText();
                    Map<String, String> labels = new HashMap<>();
                    labels.put("strimzi.io/cluster", cluster);
                    labels.put("strimzi.io/kind", "Kafka");
                    labels.put("strimzi.io/name", cluster + "-kafka");
                    labels.put("strimzi.io/pool-name", pool);
                    for (JsonNode role : o.path("spec").path("roles")) {
                        labels.put("strimzi.io/" + role.asText() + "-role", "true");
                    }
                    pods.add(labels);
                }
                default -> {
                }
            }
        }
        return pods;
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    // ---------------------------------------------------------------- Kafka names

    /**
     * The services' application.properties, the chart's rendered configuration and the Strimzi resources
     * agree on topics, the consumer group and the users' ACLs.
     */
    static List<String> kafkaErrors(List<ObjectNode> objects, Properties ingestor, Properties processor) {
        List<String> errors = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                .forEach(t -> topics.add(t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText())));

        String produced = required(ingestor, "ingestor", "mp.messaging.outgoing.user-profiles.topic", errors);
        String consumed = required(processor, "processor", "mp.messaging.incoming.user-profiles.topic", errors);
        String group = required(processor, "processor", "mp.messaging.incoming.user-profiles.group.id", errors);
        String deadLetters = required(processor, "processor", "mp.messaging.outgoing.dead-letters.topic", errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        for (String topic : List.of(produced, consumed, deadLetters)) {
            if (!topics.contains(topic)) {
                errors.add("topic '" + topic + "' of the services' configuration has no KafkaTopic (declared: " + topics + ")");
            }
        }
        checkService(objects, "ingestor", Map.of("MP_MESSAGING_OUTGOING_USER_PROFILES_TOPIC", produced),
                List.of(acl("topic", produced, "Write")), errors);
        checkService(objects, "processor", Map.of(
                        "MP_MESSAGING_INCOMING_USER_PROFILES_TOPIC", consumed,
                        "MP_MESSAGING_INCOMING_USER_PROFILES_GROUP_ID", group,
                        "MP_MESSAGING_OUTGOING_DEAD_LETTERS_TOPIC", deadLetters),
                List.of(acl("topic", consumed, "Read"), acl("group", group, "Read"), acl("topic", deadLetters, "Write")),
                errors);
        return errors;
    }

    private record Acl(String type, String name, String operation) {
    }

    private static Acl acl(String type, String name, String operation) {
        return new Acl(type, name, operation);
    }

    /** The component's Deployment: its ConfigMap must carry the same names, its KafkaUser the ACLs. */
    private static void checkService(List<ObjectNode> objects, String component, Map<String, String> expectedEnv,
                                     List<Acl> neededAcls, List<String> errors) {
        Optional<ObjectNode> deployment = objects.stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .filter(o -> o.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals(component))
                .findFirst();
        if (deployment.isEmpty()) {
            errors.add("no Deployment with label app.kubernetes.io/component=" + component);
            return;
        }
        JsonNode container = deployment.get().path("spec").path("template").path("spec").path("containers").path(0);
        Map<String, String> env = new HashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMapName = source.path("configMapRef").path("name").asText();
            objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                            && o.path("metadata").path("name").asText().equals(configMapName))
                    .forEach(cm -> env.putAll(map(cm.path("data"))));
        }
        String kafkaUser = null;
        for (JsonNode variable : container.path("env")) {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
            if (variable.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                kafkaUser = variable.path("valueFrom").path("secretKeyRef").path("name").asText(null);
            }
        }
        expectedEnv.forEach((name, value) -> {
            if (!value.equals(env.get(name))) {
                errors.add(component + ": deployed " + name + "=" + env.get(name) + " but application.properties says " + value);
            }
        });
        if (kafkaUser == null) {
            errors.add(component + ": KAFKA_SASL_JAAS_CONFIG does not come from a KafkaUser Secret");
            return;
        }
        String userName = kafkaUser;
        Optional<ObjectNode> user = objects.stream()
                .filter(o -> o.path("kind").asText().equals("KafkaUser") && o.path("metadata").path("name").asText().equals(userName))
                .findFirst();
        if (user.isEmpty()) {
            errors.add(component + ": uses the Secret of KafkaUser '" + userName + "', which is not declared");
            return;
        }
        Set<Acl> granted = new LinkedHashSet<>();
        for (JsonNode rule : user.get().path("spec").path("authorization").path("acls")) {
            if (rule.path("type").asText("allow").equals("allow")
                    && rule.path("resource").path("patternType").asText("literal").equals("literal")) {
                for (JsonNode operation : rule.path("operations")) {
                    granted.add(acl(rule.path("resource").path("type").asText(), rule.path("resource").path("name").asText(),
                            operation.asText()));
                }
            }
        }
        for (Acl needed : neededAcls) {
            if (!granted.contains(needed)) {
                errors.add(component + ": KafkaUser '" + userName + "' lacks " + needed.operation() + " on "
                        + needed.type() + " '" + needed.name() + "'");
            }
        }
    }

    private static String required(Properties properties, String service, String key, List<String> errors) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            errors.add(service + ": application.properties has no " + key);
        }
        return value;
    }

    static Properties readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the Kafka names of the services cannot be checked");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    // ---------------------------------------------------------------- Secrets

    /**
     * Every Secret a pod refers to is created by the manifests, by Strimzi (KafkaUser Secrets and the cluster
     * CA certificate of each Kafka), or listed as a prerequisite in the given documentation.
     */
    static List<String> secretErrors(List<ObjectNode> objects, Set<String> documented) {
        Set<String> available = new TreeSet<>(documented);
        for (ObjectNode o : objects) {
            String name = o.path("metadata").path("name").asText();
            switch (o.path("kind").asText()) {
                case "Secret", "KafkaUser" -> available.add(name);
                case "Kafka" -> {
                    available.add(name + "-cluster-ca-cert");
                    available.add(name + "-clients-ca-cert");
                }
                default -> {
                }
            }
        }
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            for (String secret : referencedSecrets(o)) {
                if (!available.contains(secret)) {
                    errors.add(Yaml.id(o) + ": Secret '" + secret + "' is neither created by the manifests nor a documented prerequisite");
                }
            }
        }
        return errors;
    }

    private static Set<String> referencedSecrets(JsonNode node) {
        Set<String> names = new TreeSet<>();
        collectSecrets(node, names);
        return names;
    }

    private static void collectSecrets(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            if (node.has("secretKeyRef")) {
                names.add(node.path("secretKeyRef").path("name").asText());
            }
            if (node.has("secretRef")) {
                names.add(node.path("secretRef").path("name").asText());
            }
            if (node.path("secret").has("secretName")) {
                names.add(node.path("secret").path("secretName").asText());
            }
            node.path("imagePullSecrets").forEach(s -> names.add(s.path("name").asText()));
        }
        node.forEach(child -> collectSecrets(child, names));
    }

    /** Secret names listed as `- secret/<name>` lines in a Markdown file. */
    static Set<String> documentedSecrets(Path markdown) {
        try {
            Matcher m = DOCUMENTED_SECRET.matcher(Files.readString(markdown));
            Set<String> names = new TreeSet<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
