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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
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
     * some pod, HPAs an existing workload, ServiceMonitors a Service, PodMonitors a pod with the port they scrape,
     * Strimzi resources an existing Kafka. Kafka broker pods, the entity operator and the Kafka Exporter are created
     * by Strimzi; they are modelled from the Kafka and KafkaNodePool resources.
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
                case "PodMonitor" -> errors.addAll(podMonitorErrors(o, pods));
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

    /**
     * A PodMonitor selects pods (in its own namespace, by matchLabels: matchExpressions are reported rather than
     * half-evaluated), and each endpoint's port is a named container port of every pod it selects: Prometheus finds
     * no target for a port name the pod does not have.
     */
    private static List<String> podMonitorErrors(ObjectNode monitor, List<Pod> pods) {
        String id = Yaml.id(monitor);
        JsonNode selector = monitor.path("spec").path("selector");
        if (selector.has("matchExpressions")) {
            return List.of(id + ": selector with matchExpressions, which these checks do not evaluate");
        }
        Map<String, String> matchLabels = map(selector.path("matchLabels"));
        List<Pod> selected = pods.stream().filter(pod -> matches(matchLabels, pod.labels())).toList();
        if (selected.isEmpty()) {
            return List.of(id + ": selector " + matchLabels + " matches no pod");
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode endpoint : monitor.path("spec").path("podMetricsEndpoints")) {
            String port = endpoint.path("port").asText();
            for (Pod pod : selected) {
                if (pod.ports() == null) {
                    errors.add(id + ": selects the " + pod.origin() + ", whose container ports these checks do not model");
                } else if (!pod.ports().containsKey(port)) {
                    errors.add(id + ": endpoint port '" + port + "' is not a container port of the " + pod.origin()
                            + " " + new TreeSet<>(pod.ports().keySet()));
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

    /**
     * A pod the manifests will create, with the labels it will carry, where it comes from (for messages) and its named
     * container ports; null where these checks do not model them (Strimzi's Kafka nodes and entity operator).
     */
    record Pod(String origin, Map<String, String> labels, Map<String, Integer> ports) {
    }

    /** The metrics port of Strimzi's Kafka Exporter container (MetricsModel in Strimzi 1.2: tcp-prometheus, 9404). */
    static final Map<String, Integer> KAFKA_EXPORTER_PORTS = Map.of("tcp-prometheus", 9404);

    static List<Pod> podLabels(List<ObjectNode> objects) {
        List<Pod> pods = new ArrayList<>();
        for (ObjectNode o : objects) {
            switch (o.path("kind").asText()) {
                case "Deployment", "StatefulSet" -> pods.add(new Pod("pods of " + Yaml.id(o),
                        map(o.path("spec").path("template").path("metadata").path("labels")),
                        containerPorts(o.path("spec").path("template").path("spec"))));
                case "Pod" -> pods.add(new Pod(Yaml.id(o), map(o.path("metadata").path("labels")), containerPorts(o.path("spec"))));
                case "KafkaNodePool" -> pods.add(new Pod("Strimzi pods of " + Yaml.id(o), strimziNodeLabels(o), null));
                case "Kafka" -> {
                    if (o.path("spec").has("entityOperator")) {
                        pods.add(new Pod("Strimzi entity operator of " + Yaml.id(o), strimziLabels(o, "entity-operator"), null));
                    }
                    JsonNode exporter = o.path("spec").path("kafkaExporter");
                    if (exporter.isObject()) {
                        // Deployment <cluster>-kafka-exporter: the cluster's labels, then the pod template's own.
                        Map<String, String> labels = strimziLabels(o, "kafka-exporter");
                        labels.putAll(map(exporter.path("template").path("pod").path("metadata").path("labels")));
                        pods.add(new Pod("Strimzi Kafka Exporter of " + Yaml.id(o), labels, KAFKA_EXPORTER_PORTS));
                    }
                }
                default -> {
                }
            }
        }
        return pods;
    }

    /** The named ports of a pod spec's containers. */
    private static Map<String, Integer> containerPorts(JsonNode podSpec) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode container : podSpec.path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (port.has("name")) {
                    ports.put(port.path("name").asText(), port.path("containerPort").asInt());
                }
            }
        }
        return ports;
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
     * Every ServiceMonitor's and PodMonitor's endpoints can be scraped by the given Prometheus (its namespace, its pod
     * labels): each pod behind the monitored Services, or selected by the PodMonitor, is either selected by no
     * NetworkPolicy restricting ingress, or one of those policies admits the Prometheus to the endpoint's port.
     * Strimzi's own policy for its Kafka Exporter (generated by the operator, not in the manifests) admits any pod to
     * its metrics port, so only the manifests' policies can shut Prometheus out of it.
     */
    static List<String> scrapeErrors(List<ObjectNode> objects, String namespace, String prometheusNamespace,
                                     Map<String, String> prometheusPodLabels) {
        List<String> errors = new ArrayList<>();
        List<Pod> pods = podLabels(objects);
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
                    for (Pod pod : pods.stream().filter(p -> matches(podSelector, p.labels())).toList()) {
                        requireScrapable(errors, monitor, objects, pod, targetPort, namespace, prometheusNamespace,
                                prometheusPodLabels);
                    }
                }
            }
        }
        for (ObjectNode monitor : objects.stream().filter(o -> o.path("kind").asText().equals("PodMonitor")).toList()) {
            Map<String, String> selector = map(monitor.path("spec").path("selector").path("matchLabels"));
            for (Pod pod : pods.stream().filter(p -> matches(selector, p.labels())).toList()) {
                for (JsonNode endpoint : monitor.path("spec").path("podMetricsEndpoints")) {
                    requireScrapable(errors, monitor, objects, pod, endpoint.path("port").asText(), namespace,
                            prometheusNamespace, prometheusPodLabels);
                }
            }
        }
        return errors;
    }

    /** A pod's port as policies may name it: its name and, where the pod's ports are known, its number. */
    private static Set<String> portIdentifiers(Pod pod, String port) {
        Set<String> identifiers = new TreeSet<>(Set.of(port));
        if (pod.ports() != null && pod.ports().containsKey(port)) {
            identifiers.add(String.valueOf(pod.ports().get(port)));
        }
        return identifiers;
    }

    private static void requireScrapable(List<String> errors, ObjectNode monitor, List<ObjectNode> objects, Pod pod,
                                         String port, String namespace, String prometheusNamespace,
                                         Map<String, String> prometheusPodLabels) {
        if (!allows(objects, "ingress", pod.labels(), namespace, prometheusPodLabels, prometheusNamespace, portIdentifiers(pod, port))) {
            errors.add(Yaml.id(monitor) + ": no NetworkPolicy admits Prometheus (namespace " + prometheusNamespace
                    + ", pods " + prometheusPodLabels + ") to port " + port + " of the " + pod.origin());
        }
    }

    /**
     * Whether the NetworkPolicies let traffic through on one side of a connection, as Kubernetes decides it: the
     * subject pod (the destination for ingress, the source for egress) is isolated in that direction when some policy
     * of that type selects it, and then some rule of one of those policies must name the port (by name or number, or
     * no ports at all) and admit the peer: a pod selector alone means the policy's namespace, a namespace selector
     * matches the peer namespace's kubernetes.io/metadata.name, no peers means everyone. ipBlocks never hold pods here.
     */
    static boolean allows(List<ObjectNode> objects, String direction, Map<String, String> subject, String subjectNamespace,
                          Map<String, String> peer, String peerNamespace, Set<String> port) {
        String type = direction.equals("ingress") ? "Ingress" : "Egress";
        List<ObjectNode> isolating = objects.stream().filter(o -> o.path("kind").asText().equals("NetworkPolicy"))
                .filter(o -> o.path("spec").path("policyTypes").toString().contains("\"" + type + "\""))
                .filter(o -> matches(map(o.path("spec").path("podSelector").path("matchLabels")), subject))
                .toList();
        if (isolating.isEmpty()) {
            return true;
        }
        Map<String, String> peerNamespaceLabels = Map.of("kubernetes.io/metadata.name", peerNamespace);
        for (ObjectNode policy : isolating) {
            for (JsonNode rule : policy.path("spec").path(direction)) {
                boolean portOpen = rule.path("ports").isEmpty()
                        || rule.path("ports").findValuesAsText("port").stream().anyMatch(port::contains);
                JsonNode peers = rule.path(direction.equals("ingress") ? "from" : "to");
                boolean peerAdmitted = peers.isEmpty();
                for (JsonNode candidate : peers) {
                    boolean namespaceMatches = candidate.has("namespaceSelector")
                            ? matches(map(candidate.path("namespaceSelector").path("matchLabels")), peerNamespaceLabels)
                            : peerNamespace.equals(subjectNamespace);
                    boolean podMatches = !candidate.has("podSelector")
                            || matches(map(candidate.path("podSelector").path("matchLabels")), peer);
                    peerAdmitted |= !candidate.has("ipBlock") && namespaceMatches && podMatches;
                }
                if (portOpen && peerAdmitted) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- calls between the services

    /**
     * The address one service is given for another (an environment variable of its Deployment, from its ConfigMap or
     * its env) leads to that service's pods and is let through: the host is a Service of the manifests (its name, or
     * name.namespace[.svc[.cluster.local]] in the given namespace), the URL's port one of its ports, the Service selects
     * the target component's pods and its targetPort is one of their container ports, and the NetworkPolicies let the
     * source pods out to it and the target pods take it in.
     */
    static List<String> callErrors(List<ObjectNode> objects, String namespace, String from, String variable, String to) {
        Optional<ObjectNode> source = deployment(objects, from);
        Optional<ObjectNode> target = deployment(objects, to);
        if (source.isEmpty() || target.isEmpty()) {
            return List.of("no Deployment with label app.kubernetes.io/component=" + (source.isEmpty() ? from : to));
        }
        String value = containerEnv(objects, source.get()).get(variable);
        if (value == null) {
            return List.of(from + ": no " + variable + ", the address of the " + to);
        }
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            return List.of(from + ": " + variable + "=" + value + " is not a URL");
        }
        if (url.getHost() == null || !Set.of("http", "https").contains(url.getScheme())) {
            return List.of(from + ": " + variable + "=" + value + " is not an http:// or https:// URL with a host");
        }
        String where = from + ": " + variable + "=" + value;
        String[] host = url.getHost().split("\\.", 2);
        if (host.length == 2 && !List.of(namespace, namespace + ".svc", namespace + ".svc.cluster.local").contains(host[1])) {
            return List.of(where + ": the host is outside namespace " + namespace + ", where the " + to + " runs");
        }
        Optional<ObjectNode> service = objects.stream()
                .filter(o -> o.path("kind").asText().equals("Service") && o.path("metadata").path("name").asText().equals(host[0]))
                .findFirst();
        if (service.isEmpty()) {
            return List.of(where + ": no Service " + host[0]);
        }
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        String targetPort = null;
        for (JsonNode servicePort : service.get().path("spec").path("ports")) {
            if (servicePort.path("port").asInt() == port) {
                targetPort = servicePort.path("targetPort").asText(String.valueOf(port));
            }
        }
        if (targetPort == null) {
            return List.of(where + ": port " + port + " is not a port of " + Yaml.id(service.get()));
        }
        Map<String, String> targetPods = map(target.get().path("spec").path("template").path("metadata").path("labels"));
        if (!matches(map(service.get().path("spec").path("selector")), targetPods)) {
            return List.of(where + ": " + Yaml.id(service.get()) + " does not select the pods of " + Yaml.id(target.get()));
        }
        Map<String, Integer> containerPorts = containerPorts(target.get().path("spec").path("template").path("spec"));
        Set<String> ports = new TreeSet<>();
        if (targetPort.matches("\\d+")) {
            // A number reaches the pod whether or not a container declares it; policies may name it if one does.
            ports.add(targetPort);
            for (Map.Entry<String, Integer> declared : containerPorts.entrySet()) {
                if (String.valueOf(declared.getValue()).equals(targetPort)) {
                    ports.add(declared.getKey());
                }
            }
        } else if (containerPorts.containsKey(targetPort)) {
            ports.add(targetPort);
            ports.add(String.valueOf(containerPorts.get(targetPort)));
        } else {
            return List.of(where + ": targetPort " + targetPort + " of " + Yaml.id(service.get()) + " is not a container port of "
                    + Yaml.id(target.get()));
        }
        Map<String, String> sourcePods = map(source.get().path("spec").path("template").path("metadata").path("labels"));
        List<String> errors = new ArrayList<>();
        if (!allows(objects, "egress", sourcePods, namespace, targetPods, namespace, ports)) {
            errors.add(where + ": no NetworkPolicy lets the pods of " + Yaml.id(source.get()) + " out to port "
                    + String.join("/", ports) + " of the pods of " + Yaml.id(target.get()));
        }
        if (!allows(objects, "ingress", targetPods, namespace, sourcePods, namespace, ports)) {
            errors.add(where + ": no NetworkPolicy lets the pods of " + Yaml.id(target.get()) + " take port "
                    + String.join("/", ports) + " from the pods of " + Yaml.id(source.get()));
        }
        return errors;
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
     * agree on topics, the consumer group and the users' ACLs. The processor reads both input topics in its group,
     * writes dead letters and reads them back by assignment (the dead-letter browser and replay: no group); with
     * PIPELINE_OPERATIONS_ENABLED=true a replay also writes both input topics. Read and Write imply Describe in Kafka.
     */
    static List<String> kafkaErrors(List<ObjectNode> objects, Properties ingestor, Properties processor) {
        List<String> errors = new ArrayList<>();
        Set<String> topics = new TreeSet<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                .forEach(t -> topics.add(t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText())));

        String produced = required(ingestor, "ingestor", "mp.messaging.outgoing.user-profiles.topic", errors);
        String consumed = required(processor, "processor", "mp.messaging.incoming.user-profiles.topic", errors);
        String group = required(processor, "processor", "mp.messaging.incoming.user-profiles.group.id", errors);
        String tutorial = required(processor, "processor", "mp.messaging.incoming.tutorial-users.topic", errors);
        String deadLetters = required(processor, "processor", "mp.messaging.outgoing.dead-letters.topic", errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        for (String topic : new LinkedHashSet<>(List.of(produced, consumed, tutorial, deadLetters))) {
            if (!topics.contains(topic)) {
                errors.add("topic '" + topic + "' of the services' configuration has no KafkaTopic (declared: " + topics + ")");
            }
        }
        checkService(objects, "ingestor", Map.of("MP_MESSAGING_OUTGOING_USER_PROFILES_TOPIC", produced),
                env -> List.of(acl("topic", produced, "Write")), errors);
        checkService(objects, "processor", Map.of(
                        "MP_MESSAGING_INCOMING_USER_PROFILES_TOPIC", consumed,
                        "MP_MESSAGING_INCOMING_USER_PROFILES_GROUP_ID", group,
                        "MP_MESSAGING_INCOMING_TUTORIAL_USERS_TOPIC", tutorial,
                        "MP_MESSAGING_OUTGOING_DEAD_LETTERS_TOPIC", deadLetters),
                env -> {
                    List<Acl> needed = new ArrayList<>(List.of(acl("topic", consumed, "Read"), acl("topic", tutorial, "Read"),
                            acl("group", group, "Read"), acl("topic", deadLetters, "Write"), acl("topic", deadLetters, "Read")));
                    if ("true".equals(env.get("PIPELINE_OPERATIONS_ENABLED"))) {
                        needed.add(acl("topic", consumed, "Write"));
                        needed.add(acl("topic", tutorial, "Write"));
                    }
                    return needed;
                },
                errors);
        return errors;
    }

    private record Acl(String type, String name, String operation) {
    }

    private static Acl acl(String type, String name, String operation) {
        return new Acl(type, name, operation);
    }

    /** The Deployment of a component (by its app.kubernetes.io/component label). */
    static Optional<ObjectNode> deployment(List<ObjectNode> objects, String component) {
        return objects.stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .filter(o -> o.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals(component))
                .findFirst();
    }

    /**
     * The environment of a Deployment's first container as it starts: its ConfigMaps' data (envFrom), then its env
     * entries with a value, which win. Variables from Secrets are left out.
     */
    static Map<String, String> containerEnv(List<ObjectNode> objects, JsonNode deployment) {
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").path(0);
        Map<String, String> env = new HashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMapName = source.path("configMapRef").path("name").asText();
            objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                            && o.path("metadata").path("name").asText().equals(configMapName))
                    .forEach(cm -> env.putAll(map(cm.path("data"))));
        }
        for (JsonNode variable : container.path("env")) {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        return env;
    }

    /** The component's Deployment: its ConfigMap must carry the same names, its KafkaUser the ACLs. */
    private static void checkService(List<ObjectNode> objects, String component, Map<String, String> expectedEnv,
                                     Function<Map<String, String>, List<Acl>> neededAcls, List<String> errors) {
        Optional<ObjectNode> deployment = deployment(objects, component);
        if (deployment.isEmpty()) {
            errors.add("no Deployment with label app.kubernetes.io/component=" + component);
            return;
        }
        JsonNode container = deployment.get().path("spec").path("template").path("spec").path("containers").path(0);
        Map<String, String> env = containerEnv(objects, deployment.get());
        String kafkaUser = null;
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                kafkaUser = variable.path("valueFrom").path("secretKeyRef").path("name").asText(null);
            }
        }
        new TreeMap<>(expectedEnv).forEach((name, value) -> {
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
        for (Acl needed : neededAcls.apply(env)) {
            if (!granted.contains(needed)) {
                errors.add(component + ": KafkaUser '" + userName + "' lacks " + needed.operation() + " on "
                        + needed.type() + " '" + needed.name() + "'");
            }
        }
    }

    // ---------------------------------------------------------------- Kafka Exporter

    /**
     * Every Kafka runs Strimzi's Kafka Exporter (spec.kafkaExporter) so that consumer-group lag is measured without the
     * processor, and the exporter reports what the lag alert and panel select: its groupRegex and topicRegex (Go
     * regular expressions the exporter matches unanchored, as Java's find() does for these) take the processor's group
     * and every topic the services name, its exclusions take none of them, showAllOffsets is not false (else lag is
     * reported only while a member is connected: none while the processor is down), and it has resource requests and
     * a memory limit.
     */
    static List<String> kafkaExporterErrors(List<ObjectNode> objects, Properties processor) {
        List<String> errors = new ArrayList<>();
        String group = required(processor, "processor", "mp.messaging.incoming.user-profiles.group.id", errors);
        List<String> topics = new ArrayList<>();
        for (String key : List.of("mp.messaging.incoming.user-profiles.topic", "mp.messaging.incoming.tutorial-users.topic",
                "mp.messaging.outgoing.dead-letters.topic")) {
            topics.add(required(processor, "processor", key, errors));
        }
        if (!errors.isEmpty()) {
            return errors;
        }
        List<ObjectNode> clusters = objects.stream().filter(o -> o.path("kind").asText().equals("Kafka")).toList();
        if (clusters.isEmpty()) {
            return List.of("no Kafka in the manifests");
        }
        for (ObjectNode kafka : clusters) {
            String id = Yaml.id(kafka);
            JsonNode exporter = kafka.path("spec").path("kafkaExporter");
            if (!exporter.isObject()) {
                errors.add(id + ": no spec.kafkaExporter: consumer lag is then only the processor's own client metric,"
                        + " which vanishes while no processor runs");
                continue;
            }
            // Strimzi's defaults (KafkaExporterSpec): every group and topic.
            String groupRegex = exporter.path("groupRegex").asText(".*");
            String topicRegex = exporter.path("topicRegex").asText(".*");
            if (!Pattern.compile(groupRegex).matcher(group).find()) {
                errors.add(id + ": kafkaExporter.groupRegex '" + groupRegex + "' leaves out the processor's group '" + group + "'");
            }
            if (exporter.has("groupExcludeRegex") && Pattern.compile(exporter.path("groupExcludeRegex").asText()).matcher(group).find()) {
                errors.add(id + ": kafkaExporter.groupExcludeRegex '" + exporter.path("groupExcludeRegex").asText()
                        + "' excludes the processor's group '" + group + "'");
            }
            for (String topic : topics) {
                if (!Pattern.compile(topicRegex).matcher(topic).find()) {
                    errors.add(id + ": kafkaExporter.topicRegex '" + topicRegex + "' leaves out topic '" + topic + "'");
                }
                if (exporter.has("topicExcludeRegex") && Pattern.compile(exporter.path("topicExcludeRegex").asText()).matcher(topic).find()) {
                    errors.add(id + ": kafkaExporter.topicExcludeRegex '" + exporter.path("topicExcludeRegex").asText()
                            + "' excludes topic '" + topic + "'");
                }
            }
            if (!exporter.path("showAllOffsets").asBoolean(true)) {
                errors.add(id + ": kafkaExporter.showAllOffsets is false: lag is reported only while a member of the group"
                        + " is connected, so none while the processor is down");
            }
            JsonNode resources = exporter.path("resources");
            if (!resources.path("requests").has("cpu") || !resources.path("requests").has("memory")
                    || !resources.path("limits").has("memory")) {
                errors.add(id + ": kafkaExporter.resources needs cpu and memory requests and a memory limit, has "
                        + (resources.isMissingNode() ? "none" : resources));
            }
        }
        return errors;
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
