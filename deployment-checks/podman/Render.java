import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;

/**
 * Renders the chart with helm-java for `podman kube play`: its ConfigMaps and Deployments, and stand-ins for the
 * Secrets a cluster provides, one file per Secret in the secrets folder for `podman secret create`. Prints each
 * container's probe endpoints, one "component probe path port" per line.
 * <p>
 * Podman 4.3 (Debian bookworm) reads Secrets two ways: an environment variable's secretKeyRef wants the podman
 * secret to be a JSON object of base64 values, a secret volume wants a Kubernetes Secret and copies its data
 * without decoding (stringData comes out as written). Each stand-in is written in the form its users need.
 * <p>
 * Four changes to the rendered objects, because there is no cluster here; everything else (images, security
 * contexts, environment from the ConfigMaps and Secrets, volumes, probes) runs as rendered:
 * <ul>
 * <li>pods on the host network: the stores listen on loopback;</li>
 * <li>Kafka at the local broker, PLAINTEXT: there is no Strimzi, so no TLS listener, cluster CA or SCRAM users
 * (the KafkaUser and CA Secrets are stubs the clients never read);</li>
 * <li>secret volumes with {@code optional: false} written out (see below);</li>
 * <li>each service on its own HTTP port (QUARKUS_HTTP_PORT): on one host network both cannot take 8080; the
 * container ports go, since podman 4.3 turns them into port mappings, which it refuses on the host network.</li>
 * </ul>
 * Usage: {@code Render <chart> <values> <kube.yaml> <secrets folder> <kafka port> <cassandra port> <postgres port>
 * <processor port> <ingestor port>}
 */
public final class Render {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws IOException {
        Path output = Path.of(args[2]);
        Path secrets = Files.createDirectories(Path.of(args[3]));
        String kafka = "127.0.0.1:" + args[4];
        Map<String, String> httpPorts = Map.of("processor", args[7], "ingestor", args[8]);
        String rendered = new Helm(Path.of(args[0])).template()
                .withName("user-pipeline").withNamespace("user-pipeline").withKubeVersion("1.33.0")
                .withValuesFile(Path.of(args[1]))
                .set("processor.cassandra.contactPoints", "127.0.0.1:" + args[5])
                .set("processor.postgres.port", args[6])
                .call();
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object && List.of("ConfigMap", "Deployment").contains(object.path("kind").asText())) {
                    objects.add(object);
                }
            }
        }
        List<String> probes = new ArrayList<>();
        Set<String> envSecrets = new TreeSet<>();
        Set<String> volumeSecrets = new TreeSet<>();
        for (ObjectNode object : objects) {
            String component = object.path("metadata").path("labels").path("app.kubernetes.io/component").asText();
            String port = httpPorts.get(component);
            if (object.path("kind").asText().equals("ConfigMap")) {
                ObjectNode data = (ObjectNode) object.get("data");
                data.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
                data.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
                data.put("QUARKUS_HTTP_PORT", port);
                continue;
            }
            ObjectNode pod = (ObjectNode) object.path("spec").path("template").path("spec");
            pod.put("hostNetwork", true);
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("secret")) {
                    volumeSecrets.add(volume.path("secret").path("secretName").asText());
                    // Kubernetes' default, spelled out: podman 4.3 dereferences the field without checking it is set.
                    ((ObjectNode) volume.get("secret")).put("optional", false);
                }
            }
            for (JsonNode container : pod.path("containers")) {
                container.path("env").forEach(variable -> {
                    if (variable.path("valueFrom").has("secretKeyRef")) {
                        envSecrets.add(variable.path("valueFrom").path("secretKeyRef").path("name").asText());
                    }
                });
                boolean servesHttp = false;
                for (JsonNode containerPort : container.path("ports")) {
                    servesHttp |= containerPort.path("name").asText().equals("http")
                            && containerPort.path("containerPort").asInt() == 8080;
                }
                if (!servesHttp) {
                    throw new IllegalStateException(component + " has no container port http 8080, the port its service listens on");
                }
                ((ObjectNode) container).remove("ports");
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    JsonNode http = container.path(probe).path("httpGet");
                    if (!http.path("port").asText().equals("http")) {
                        throw new IllegalStateException(component + " " + probe + " does not probe the port named http: " + http);
                    }
                    probes.add(component + " " + probe + " " + http.path("path").asText() + " " + port);
                }
            }
        }
        Map<String, Map<String, String>> stubs = stubSecrets();
        for (String name : envSecrets) {
            ObjectNode encoded = YAML.createObjectNode();
            secretData(stubs, name).forEach((key, value) ->
                    encoded.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
            Files.writeString(secrets.resolve(name), JSON.writeValueAsString(encoded));
        }
        for (String name : volumeSecrets) {
            if (envSecrets.contains(name)) {
                throw new IllegalStateException("Secret " + name + " is both a volume and environment: podman 4.3 cannot serve both");
            }
            ObjectNode secret = YAML.createObjectNode();
            secret.put("apiVersion", "v1");
            secret.put("kind", "Secret");
            secret.putObject("metadata").put("name", name);
            ObjectNode stringData = secret.putObject("stringData");
            secretData(stubs, name).forEach(stringData::put);
            Files.writeString(secrets.resolve(name), YAML.writeValueAsString(secret));
        }
        StringBuilder yaml = new StringBuilder();
        for (ObjectNode object : objects) {
            yaml.append(YAML.writeValueAsString(object));
        }
        Files.writeString(output, yaml);
        probes.forEach(System.out::println);
    }

    private static Map<String, String> secretData(Map<String, Map<String, String>> stubs, String name) {
        Map<String, String> data = stubs.get(name);
        if (data == null) {
            throw new IllegalStateException("the chart uses Secret " + name + ", which has no stand-in here");
        }
        return data;
    }

    /** The Secrets the chart names: the local stores' credentials, and stubs where Strimzi would write them. */
    private static Map<String, Map<String, String>> stubSecrets() {
        String unusedJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"stub\" password=\"stub\";";
        return Map.of(
                "ingestor", Map.of("sasl.jaas.config", unusedJaas, "password", "stub"),
                "processor", Map.of("sasl.jaas.config", unusedJaas, "password", "stub"),
                "user-pipeline-cluster-ca-cert", Map.of("ca.crt", "stub: the local Kafka has no TLS listener\n"),
                // The build's Cassandra with password authentication has the superuser cassandra/cassandra only.
                "cassandra-credentials", Map.of("username", "cassandra", "password", "cassandra"),
                "postgres-credentials", Map.of("username", "postgres", "password", "postgres"));
    }
}
