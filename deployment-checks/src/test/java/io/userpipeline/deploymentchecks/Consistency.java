package io.userpipeline.deploymentchecks;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
        List<Pod> pods = podLabels(objects);
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

    private static void requireSelected(List<String> errors, String what, Map<String, String> selector, List<Pod> pods) {
        if (pods.stream().noneMatch(pod -> matches(selector, pod.labels()))) {
            errors.add(what + " " + selector + " matches no pod");
        }
    }

    /** A pod the manifests will create, with the labels it will carry and where it comes from, for messages. */
    record Pod(String origin, Map<String, String> labels) {
    }

    static List<Pod> podLabels(List<ObjectNode> objects) {
        List<Pod> pods = new ArrayList<>();
        for (ObjectNode o : objects) {
            switch (o.path("kind").asText()) {
                case "Deployment", "StatefulSet" -> pods.add(new Pod("pods of " + Yaml.id(o),
                        map(o.path("spec").path("template").path("metadata").path("labels"))));
                case "Pod" -> pods.add(new Pod(Yaml.id(o), map(o.path("metadata").path("labels"))));
                case "KafkaNodePool" -> pods.add(new Pod("Strimzi pods of " + Yaml.id(o), strimziNodeLabels(o)));
                case "Kafka" -> {
                    if (o.path("spec").has("entityOperator")) {
                        pods.add(new Pod("Strimzi entity operator of " + Yaml.id(o), strimziLabels(o, "entity-operator")));
                    }
                }
                default -> {
                }
            }
        }
        return pods;
    }

    /**
     * Labels Strimzi 1.2 puts on every pod of a Kafka cluster's component (Labels.generateDefaultLabels in
     * operator-common): the resource's own labels first, less app.kubernetes.io/* other than part-of (the
     * operator's STRIMZI_LABELS_EXCLUSION_PATTERN), then its own, which win. The app.kubernetes.io/instance label
     * is the Kafka's name: a selector on the instance of a release named like the cluster selects the brokers.
     */
    private static Map<String, String> strimziLabels(JsonNode kafka, String componentType) {
        String cluster = kafka.path("metadata").path("name").asText();
        Map<String, String> labels = new HashMap<>();
        map(kafka.path("metadata").path("labels")).forEach((key, value) -> {
            if (!key.startsWith("app.kubernetes.io/") || key.equals("app.kubernetes.io/part-of")) {
                labels.put(key, value);
            }
        });
        labels.put("strimzi.io/kind", "Kafka");
        labels.put("strimzi.io/name", cluster + "-" + componentType);
        labels.put("strimzi.io/cluster", cluster);
        labels.put("strimzi.io/component-type", componentType);
        labels.put("app.kubernetes.io/name", componentType);
        labels.put("app.kubernetes.io/instance", cluster);
        labels.put("app.kubernetes.io/part-of", "strimzi-" + cluster);
        labels.put("app.kubernetes.io/managed-by", "strimzi-cluster-operator");
        return labels;
    }

    /**
     * Labels of the broker and controller pods of a node pool (KafkaPool and KafkaCluster in Strimzi 1.2): the
     * cluster's labels built from the pool resource, its pool name and roles, the StrimziPodSet controller, and
     * the pool's pod template labels. strimzi.io/pod-name differs per pod and is left out.
     */
    private static Map<String, String> strimziNodeLabels(JsonNode pool) {
        String cluster = pool.path("metadata").path("labels").path("strimzi.io/cluster").asText();
        ObjectNode kafka = Yaml.MAPPER.createObjectNode();
        kafka.putObject("metadata").put("name", cluster).set("labels", pool.path("metadata").path("labels"));
        Map<String, String> labels = strimziLabels(kafka, "kafka");
        String poolName = pool.path("metadata").path("name").asText();
        labels.put("strimzi.io/pool-name", poolName);
        labels.put("strimzi.io/controller", "strimzipodset");
        labels.put("strimzi.io/controller-name", cluster + "-" + poolName);
        List<String> roles = new ArrayList<>();
        pool.path("spec").path("roles").forEach(role -> roles.add(role.asText()));
        labels.put("strimzi.io/broker-role", String.valueOf(roles.contains("broker")));
        labels.put("strimzi.io/controller-role", String.valueOf(roles.contains("controller")));
        labels.putAll(map(pool.path("spec").path("template").path("pod").path("metadata").path("labels")));
        return labels;
    }

    /**
     * No selector of the owner's objects (NetworkPolicy, Service, PodDisruptionBudget) selects a pod of the
     * others: a default-deny policy that also matches the Kafka brokers cuts their DNS and their quorum.
     * Selectors with matchExpressions are reported rather than half-evaluated.
     */
    static List<String> foreignSelectionErrors(List<ObjectNode> owned, List<ObjectNode> others) {
        List<Pod> foreign = podLabels(others);
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : owned) {
            JsonNode selector = switch (o.path("kind").asText()) {
                case "NetworkPolicy" -> o.path("spec").path("podSelector");
                case "PodDisruptionBudget" -> o.path("spec").path("selector");
                case "Service" -> Yaml.MAPPER.createObjectNode().set("matchLabels", o.path("spec").path("selector"));
                default -> null;
            };
            if (selector == null) {
                continue;
            }
            if (selector.has("matchExpressions")) {
                errors.add(Yaml.id(o) + ": selector with matchExpressions, which these checks do not evaluate");
                continue;
            }
            Map<String, String> matchLabels = map(selector.path("matchLabels"));
            foreign.stream().filter(pod -> matches(matchLabels, pod.labels())).forEach(pod ->
                    errors.add(Yaml.id(o) + ": selector " + matchLabels + " also selects the " + pod.origin()));
        }
        return errors;
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

    // ---------------------------------------------------------------- Prometheus

    /**
     * Every ServiceMonitor's endpoints can be scraped by the given Prometheus (its namespace, its pod labels):
     * each pod behind the monitored Services is either selected by no NetworkPolicy restricting ingress, or
     * one of those policies admits the Prometheus to the endpoint's target port.
     */
    static List<String> scrapeErrors(List<ObjectNode> objects, String namespace, String prometheusNamespace,
                                     Map<String, String> prometheusPodLabels) {
        List<String> errors = new ArrayList<>();
        List<ObjectNode> policies = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")
                && o.path("spec").path("policyTypes").toString().contains("\"Ingress\"")).toList();
        for (ObjectNode monitor : objects.stream().filter(o -> o.path("kind").asText().equals("ServiceMonitor")).toList()) {
            Map<String, String> selector = map(monitor.path("spec").path("selector").path("matchLabels"));
            for (ObjectNode service : objects.stream().filter(o -> o.path("kind").asText().equals("Service")
                    && matches(selector, map(o.path("metadata").path("labels")))).toList()) {
                for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                    String targetPort = null;
                    for (JsonNode port : service.path("spec").path("ports")) {
                        if (port.path("name").asText().equals(endpoint.path("port").asText())) {
                            targetPort = port.path("targetPort").asText(port.path("port").asText());
                        }
                    }
                    if (targetPort == null) {
                        errors.add(Yaml.id(monitor) + ": endpoint port '" + endpoint.path("port").asText() + "' is not a port of " + Yaml.id(service));
                        continue;
                    }
                    Map<String, String> podSelector = map(service.path("spec").path("selector"));
                    for (Pod pod : podLabels(objects).stream().filter(p -> matches(podSelector, p.labels())).toList()) {
                        List<ObjectNode> restricting = policies.stream()
                                .filter(p -> matches(map(p.path("spec").path("podSelector").path("matchLabels")), pod.labels())).toList();
                        String port = targetPort;
                        boolean admitted = restricting.isEmpty() || restricting.stream().anyMatch(policy ->
                                admits(policy, namespace, prometheusNamespace, prometheusPodLabels, port));
                        if (!admitted) {
                            errors.add(Yaml.id(monitor) + ": no NetworkPolicy admits Prometheus (namespace " + prometheusNamespace
                                    + ", pods " + prometheusPodLabels + ") to port " + port + " of the " + pod.origin());
                        }
                    }
                }
            }
        }
        return errors;
    }

    /** One ingress rule of the policy lets a pod with these labels in that namespace reach the port. */
    private static boolean admits(JsonNode policy, String policyNamespace, String namespace, Map<String, String> podLabels, String port) {
        Map<String, String> namespaceLabels = Map.of("kubernetes.io/metadata.name", namespace);
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            boolean portOpen = rule.path("ports").isEmpty() || rule.path("ports").findValuesAsText("port").contains(port);
            boolean peerAdmitted = rule.path("from").isEmpty();
            for (JsonNode peer : rule.path("from")) {
                boolean namespaceMatches = peer.has("namespaceSelector")
                        ? matches(map(peer.path("namespaceSelector").path("matchLabels")), namespaceLabels)
                        : namespace.equals(policyNamespace);
                boolean podMatches = !peer.has("podSelector") || matches(map(peer.path("podSelector").path("matchLabels")), podLabels);
                peerAdmitted |= !peer.has("ipBlock") && namespaceMatches && podMatches;
            }
            if (portOpen && peerAdmitted) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- egress to the API

    /** Stands for "some address on the internet" (TEST-NET-3, never a cluster's). */
    private static final String PUBLIC_ADDRESS = "203.0.113.10";

    /**
     * The pods of the given component may reach the URL: some egress rule of a policy selecting them opens the
     * URL's port (explicit, or 80/443 by scheme) to a peer that holds the host: a pod peer for a cluster-internal
     * name (no dot, .svc, .cluster.local), an ipBlock holding the address for an IPv4 literal or, for any other
     * name, a public address.
     */
    static List<String> egressErrors(List<ObjectNode> objects, String component, URI url) {
        String host = url.getHost();
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        boolean inCluster = !host.contains(".") || host.endsWith(".svc") || host.endsWith(".cluster.local");
        String address = host.matches("[0-9.]+") ? host : PUBLIC_ADDRESS;
        List<ObjectNode> policies = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy")
                && o.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals(component)).toList();
        for (ObjectNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("egress")) {
                boolean portOpen = rule.path("ports").isEmpty() || rule.path("ports").findValuesAsText("port").contains(String.valueOf(port));
                for (JsonNode peer : rule.path("to")) {
                    boolean holdsHost = inCluster
                            ? peer.has("namespaceSelector") || peer.has("podSelector")
                            : peer.has("ipBlock") && inBlock(address, peer.path("ipBlock"));
                    if (portOpen && holdsHost) {
                        return List.of();
                    }
                }
            }
        }
        return List.of(component + ": no egress rule of " + policies.stream().map(Yaml::id).toList() + " lets it reach "
                + url + " (port " + port + ", " + (inCluster ? "inside the cluster" : "address " + address) + ")");
    }

    private static boolean inBlock(String address, JsonNode ipBlock) {
        if (!inCidr(address, ipBlock.path("cidr").asText())) {
            return false;
        }
        for (JsonNode except : ipBlock.path("except")) {
            if (inCidr(address, except.asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean inCidr(String address, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (ipv4(address) & mask) == (ipv4(parts[0]) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    // ---------------------------------------------------------------- Cassandra

    /**
     * The processor's keyspace replication and contact points fit the Cassandra StatefulSet they are deployed
     * with: a replication factor above the node count fails every LOCAL_QUORUM write; below three (or the node
     * count, if smaller) one node down, which the PodDisruptionBudget allows, stalls the writes of the
     * partitions it holds; and every node is a contact point, so the driver starts with any one of them down.
     */
    static List<String> cassandraErrors(List<ObjectNode> objects) {
        Map<String, String> config = objects.stream()
                .filter(o -> o.path("kind").asText().equals("ConfigMap") && o.path("data").has("QUARKUS_CASSANDRA_CONTACT_POINTS"))
                .map(o -> map(o.path("data"))).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "no ConfigMap sets QUARKUS_CASSANDRA_CONTACT_POINTS"));
        List<String> contactPoints = List.of(config.get("QUARKUS_CASSANDRA_CONTACT_POINTS").split(","));
        int replicationFactor = Integer.parseInt(config.get("PIPELINE_CASSANDRA_REPLICATION_FACTOR"));
        String firstHost = contactPoints.getFirst().split(":")[0];
        String serviceName = firstHost.substring(firstHost.indexOf('.') + 1);
        ObjectNode cassandra = objects.stream()
                .filter(o -> o.path("kind").asText().equals("StatefulSet") && o.path("spec").path("serviceName").asText().equals(serviceName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no StatefulSet behind the contact point " + firstHost));
        int nodes = cassandra.path("spec").path("replicas").asInt(1);
        List<String> errors = new ArrayList<>();
        if (replicationFactor > nodes || replicationFactor < Math.min(3, nodes)) {
            errors.add("processor: keyspace replication factor " + replicationFactor + " with " + nodes + " Cassandra nodes in "
                    + Yaml.id(cassandra) + " (expected " + Math.min(3, nodes) + (nodes > 3 ? " or more, up to " + nodes : "") + ")");
        }
        List<String> hosts = contactPoints.stream().map(point -> point.split(":")[0]).toList();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            String host = cassandra.path("metadata").path("name").asText() + "-" + i + "." + serviceName;
            if (!hosts.contains(host)) {
                missing.add(host);
            }
        }
        if (!missing.isEmpty()) {
            errors.add("processor: Cassandra contact points " + hosts + " leave out " + missing);
        }
        return errors;
    }

    // ---------------------------------------------------------------- Cassandra roles

    /** CQL that writes system_auth: role statements, grants, and its replication. */
    private static final Pattern AUTH_WRITE = Pattern.compile(
            "(?i)\\b(?:CREATE|ALTER|DROP)\\s+ROLE\\b|\\bGRANT\\s|\\bALTER\\s+KEYSPACE\\s+system_auth\\b");

    /**
     * Cassandra's roles are written by a Job once every node is up, never by a node's start script: the first
     * node starts alone, and role writes need a quorum of system_auth's replicas. The Job (found by its
     * CASSANDRA_STATEFULSET variable) waits for the StatefulSet's pods (CASSANDRA_SERVICE, CASSANDRA_NODES as
     * many as its replicas), replicates system_auth as the keyspace rule above wants, is retried when it fails
     * (backoffLimit, 6 when unset), and logs in with the Secrets the nodes use. Nodes whose JMX answers other pods
     * (for the Job's nodetool) export the JDK class that reads the JMX password file (seen failing without it:
     * cassandra-all 5.0.8 on Java 17 with the JVM options of upstream jvm17-server.options).
     */
    static List<String> cassandraRoleErrors(List<ObjectNode> objects) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode cassandra : objects) {
            if (!cassandra.path("kind").asText().equals("StatefulSet") || !runsImage(cassandra, "cassandra:")) {
                continue;
            }
            String name = cassandra.path("metadata").path("name").asText();
            Map<String, String> nodeEnv = env(cassandra);
            if ("no".equals(nodeEnv.get("LOCAL_JMX"))
                    && !nodeEnv.getOrDefault("JVM_EXTRA_OPTS", "").contains("java.management/com.sun.jmx.remote.security=ALL-UNNAMED")) {
                errors.add(Yaml.id(cassandra) + ": LOCAL_JMX=no without --add-exports java.management/com.sun.jmx.remote.security"
                        + "=ALL-UNNAMED in JVM_EXTRA_OPTS: Cassandra 5.0 on Java 17 fails at start-up reading the JMX password file");
            }
            podScripts(cassandra, objects).forEach((origin, script) -> {
                Matcher write = AUTH_WRITE.matcher(script);
                if (write.find()) {
                    errors.add(Yaml.id(cassandra) + ": " + origin + " writes system_auth ('" + write.group() + "') while the node"
                            + " may be alone; role writes need a quorum of its replicas");
                }
            });
            List<ObjectNode> jobs = objects.stream()
                    .filter(o -> o.path("kind").asText().equals("Job"))
                    .filter(o -> name.equals(env(o).get("CASSANDRA_STATEFULSET")))
                    .filter(o -> podScripts(o, objects).values().stream().anyMatch(script -> AUTH_WRITE.matcher(script).find()))
                    .toList();
            if (jobs.isEmpty()) {
                errors.add(Yaml.id(cassandra) + ": no Job with CASSANDRA_STATEFULSET=" + name + " creates its roles");
            }
            int nodes = cassandra.path("spec").path("replicas").asInt(1);
            for (ObjectNode job : jobs) {
                String id = Yaml.id(job);
                Map<String, String> env = env(job);
                if (!String.valueOf(nodes).equals(env.get("CASSANDRA_NODES"))) {
                    errors.add(id + ": waits for CASSANDRA_NODES=" + env.get("CASSANDRA_NODES") + " nodes of " + Yaml.id(cassandra)
                            + ", which has " + nodes);
                }
                String service = cassandra.path("spec").path("serviceName").asText();
                if (!service.equals(env.get("CASSANDRA_SERVICE"))) {
                    errors.add(id + ": CASSANDRA_SERVICE=" + env.get("CASSANDRA_SERVICE") + " but the nodes' names are under " + service);
                }
                int replicationFactor = Integer.parseInt(env.getOrDefault("AUTH_REPLICATION_FACTOR", "0"));
                if (replicationFactor > nodes || replicationFactor < Math.min(3, nodes)) {
                    errors.add(id + ": system_auth replication factor " + replicationFactor + " with " + nodes + " nodes (expected "
                            + Math.min(3, nodes) + (nodes > 3 ? " to " + nodes : "") + ")");
                }
                int backoffLimit = job.path("spec").path("backoffLimit").asInt(6);
                if (backoffLimit < 1) {
                    errors.add(id + ": backoffLimit " + backoffLimit + ", so a failed attempt is never retried");
                }
                Map<String, String> jobSecrets = secretEnv(job);
                secretEnv(cassandra).forEach((variable, source) -> {
                    if (!source.equals(jobSecrets.get(variable))) {
                        errors.add(id + ": " + variable + " from " + jobSecrets.get(variable) + ", the nodes' from " + source);
                    }
                });
            }
        }
        return errors;
    }

    private static boolean runsImage(JsonNode workload, String imagePrefix) {
        for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
            if (container.path("image").asText().startsWith(imagePrefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a workload's pods run: each container's command and arguments, and the files of its ConfigMap volumes
     * that a command names (a ConfigMap may hold scripts of other workloads too).
     */
    private static Map<String, String> podScripts(JsonNode workload, List<ObjectNode> objects) {
        Map<String, String> scripts = new LinkedHashMap<>();
        JsonNode pod = workload.path("spec").path("template").path("spec");
        List<String> words = new ArrayList<>();
        for (JsonNode container : pod.path("containers")) {
            List<String> containerWords = new ArrayList<>();
            container.path("command").forEach(word -> containerWords.add(word.asText()));
            container.path("args").forEach(word -> containerWords.add(word.asText()));
            scripts.put("the command of container " + container.path("name").asText(), String.join(" ", containerWords));
            words.addAll(containerWords);
        }
        for (JsonNode volume : pod.path("volumes")) {
            String configMap = volume.path("configMap").path("name").asText(null);
            objects.stream().filter(o -> configMap != null && Yaml.id(o).equals("ConfigMap/" + configMap))
                    .forEach(o -> map(o.path("data")).forEach((file, text) -> {
                        if (words.stream().anyMatch(word -> word.equals(file) || word.endsWith("/" + file))) {
                            scripts.put(file + " of ConfigMap " + configMap, text);
                        }
                    }));
        }
        return scripts;
    }

    /** The plain values of the first container's environment. */
    private static Map<String, String> env(JsonNode workload) {
        Map<String, String> env = new HashMap<>();
        workload.path("spec").path("template").path("spec").path("containers").path(0).path("env")
                .forEach(v -> env.put(v.path("name").asText(), v.path("value").asText(null)));
        return env;
    }

    /** The first container's variables taken from Secrets, as "Secret <name> key <key>". */
    private static Map<String, String> secretEnv(JsonNode workload) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : workload.path("spec").path("template").path("spec").path("containers").path(0).path("env")) {
            JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                env.put(variable.path("name").asText(), "Secret " + ref.path("name").asText() + " key " + ref.path("key").asText());
            }
        }
        return env;
    }

    // ---------------------------------------------------------------- probes

    /**
     * Each component's readiness probe waits longer than its health checks may take (seconds, by the
     * Deployment's app.kubernetes.io/component label); Kubernetes' default timeout is 1 s.
     */
    static List<String> probeErrors(List<ObjectNode> objects, Map<String, Integer> readinessBoundSeconds) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            Integer bound = readinessBoundSeconds.get(o.path("metadata").path("labels").path("app.kubernetes.io/component").asText());
            if (!o.path("kind").asText().equals("Deployment") || bound == null) {
                continue;
            }
            for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
                int timeout = container.path("readinessProbe").path("timeoutSeconds").asInt(1);
                if (timeout <= bound) {
                    errors.add(Yaml.id(o) + ": readiness probe timeout " + timeout + " s, but its health checks may take "
                            + bound + " s: the probe fails while a slow dependency is still being checked");
                }
            }
        }
        return errors;
    }

    /**
     * No probe of any Deployment reads the processor's pipeline health group: it is DOWN while Kafka or a store is
     * away, which no pod can mend, so it is for operators and alerts, not for Kubernetes.
     */
    static List<String> pipelineProbeErrors(List<ObjectNode> objects) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            if (!o.path("kind").asText().equals("Deployment")) {
                continue;
            }
            for (JsonNode container : o.path("spec").path("template").path("spec").path("containers")) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    String path = container.path(probe).path("httpGet").path("path").asText();
                    if (path.startsWith("/q/health/group/pipeline")) {
                        errors.add(Yaml.id(o) + ": " + probe + " reads " + path + ": a paused pipeline (Kafka or a store"
                                + " away) is the same on every replica; probing it unroutes every pod's API, or restarts"
                                + " pods that only wait");
                    }
                }
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- JVM heap

    /**
     * Each Deployment's container sets JAVA_MAX_MEM_RATIO (its image's launcher turns it into
     * -XX:MaxRAMPercentage, 80 when unset) and a memory limit that leaves at least the given room outside
     * the heap: metaspace, thread stacks, direct buffers.
     */
    static List<String> heapErrors(List<ObjectNode> objects, long nonHeapBytes) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            if (!o.path("kind").asText().equals("Deployment")) {
                continue;
            }
            JsonNode container = o.path("spec").path("template").path("spec").path("containers").path(0);
            Map<String, String> env = new HashMap<>();
            for (JsonNode source : container.path("envFrom")) {
                String name = source.path("configMapRef").path("name").asText();
                objects.stream().filter(c -> Yaml.id(c).equals("ConfigMap/" + name)).forEach(c -> env.putAll(map(c.path("data"))));
            }
            container.path("env").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
            JsonNode limit = container.path("resources").path("limits").path("memory");
            if (!env.containsKey("JAVA_MAX_MEM_RATIO") || limit.isMissingNode()) {
                errors.add(Yaml.id(o) + ": needs JAVA_MAX_MEM_RATIO and a memory limit, or the heap takes 80% of whatever it gets");
                continue;
            }
            long limitBytes = new io.fabric8.kubernetes.api.model.Quantity(limit.asText()).getNumericalAmount().longValue();
            long heapBytes = (long) (limitBytes * Double.parseDouble(env.get("JAVA_MAX_MEM_RATIO")) / 100);
            if (limitBytes - heapBytes < nonHeapBytes) {
                errors.add(Yaml.id(o) + ": heap " + heapBytes / (1 << 20) + "Mi of a " + limit.asText() + " limit leaves "
                        + (limitBytes - heapBytes) / (1 << 20) + "Mi outside the heap, less than " + nonHeapBytes / (1 << 20) + "Mi");
            }
        }
        return errors;
    }

    /**
     * The processor's stop fits its termination grace period: the drain ({@code PIPELINE_SHUTDOWN_DRAIN_TIMEOUT}),
     * then {@code closeSeconds} for the clients to close and the consumers to leave the group. A pod killed before
     * that leaves its partitions waiting for the consumer session timeout.
     */
    static List<String> stopBudgetErrors(List<ObjectNode> objects, long closeSeconds) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            if (!Yaml.id(o).equals("Deployment/user-pipeline-processor")) {
                continue;
            }
            JsonNode pod = o.path("spec").path("template").path("spec");
            Map<String, String> env = new HashMap<>();
            for (JsonNode source : pod.path("containers").path(0).path("envFrom")) {
                String name = source.path("configMapRef").path("name").asText();
                objects.stream().filter(c -> Yaml.id(c).equals("ConfigMap/" + name)).forEach(c -> env.putAll(map(c.path("data"))));
            }
            String drain = env.get("PIPELINE_SHUTDOWN_DRAIN_TIMEOUT");
            if (drain == null || !drain.matches("\\d+s")) {
                errors.add(Yaml.id(o) + ": PIPELINE_SHUTDOWN_DRAIN_TIMEOUT is " + drain + ", not whole seconds such as 10s");
                continue;
            }
            long drainSeconds = Long.parseLong(drain.substring(0, drain.length() - 1));
            // Kubernetes' default when the pod does not say.
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            if (drainSeconds + closeSeconds > grace) {
                errors.add(Yaml.id(o) + ": a stop may take the " + drainSeconds + " s drain and " + closeSeconds
                        + " s to close, more than its terminationGracePeriodSeconds of " + grace
                        + " s: the pod is killed before its consumers leave the group");
            }
        }
        return errors;
    }

    // ---------------------------------------------------------------- helm test hooks

    /**
     * `helm test --logs` reads the test pod's logs after the test; Helm 3.17 (and every release before the fix)
     * deletes a pod whose delete policy says hook-succeeded first, and the command fails. before-hook-creation
     * alone keeps the pod until the next `helm test` replaces it. Hook annotations are looked up under the given
     * prefix (the rendering moves them there, see Repo).
     */
    static List<String> testHookErrors(List<ObjectNode> objects, String hookPrefix) {
        List<String> errors = new ArrayList<>();
        for (ObjectNode o : objects) {
            JsonNode annotations = o.path("metadata").path("annotations");
            if (!List.of(annotations.path(hookPrefix + "hook").asText().split(",")).contains("test")) {
                continue;
            }
            List<String> policies = List.of(annotations.path(hookPrefix + "hook-delete-policy").asText().split(","));
            if (policies.contains("hook-succeeded") || !policies.contains("before-hook-creation")) {
                errors.add(Yaml.id(o) + ": test hook delete policy " + policies + " must be before-hook-creation alone,"
                        + " or `helm test --logs` finds the pod gone");
            }
        }
        return errors;
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
