package io.userpipeline.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import com.datastax.oss.driver.api.core.CqlSession;

import io.userpipeline.servers.TestServersSessionListener;

/**
 * The real Kafka, Cassandra and PostgreSQL that the test run started (see {@link TestServersSessionListener}):
 * their addresses, clients for them, and stopping and starting them for an outage.
 */
final class Servers {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Servers() {
    }

    static String kafka() {
        return required("kafka.bootstrap.servers");
    }

    /** The settings every service needs to reach the three servers, as the test run published them. */
    static Map<String, String> connectionProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : List.of("kafka.bootstrap.servers", "quarkus.cassandra.contact-points",
                "quarkus.cassandra.local-datacenter", "quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username", "quarkus.datasource.password")) {
            properties.put(key, required(key));
        }
        return properties;
    }

    static Admin kafkaAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
    }

    static CqlSession cassandra() {
        String[] contact = required("quarkus.cassandra.contact-points").split(":");
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
                .withLocalDatacenter(required("quarkus.cassandra.local-datacenter"))
                .build();
    }

    /** A JDBC URL for {@code database} on the test run's PostgreSQL. */
    static String postgresUrl(String database) {
        String url = required("quarkus.datasource.jdbc.url");
        return url.substring(0, url.lastIndexOf('/') + 1) + database;
    }

    static Connection postgres(String database) throws SQLException {
        return DriverManager.getConnection(postgresUrl(database), required("quarkus.datasource.username"),
                required("quarkus.datasource.password"));
    }

    /** Stops a server cleanly (SIGTERM, as an orchestrator does); its data stays. E.g. {@code stop("cassandra")}. */
    static void stop(String server) {
        control(server, "stop");
    }

    /** Kills a server (SIGKILL), as a crash would; its data stays. */
    static void kill(String server) {
        control(server, "kill");
    }

    /** Starts a stopped server again on the same ports and data; returns once it serves requests. */
    static void start(String server) {
        control(server, "start");
    }

    private static void control(String server, String action) {
        String url = required(TestServersSessionListener.CONTROL_URL_PROPERTY) + "/" + server + "/" + action;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(4)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Could not " + action + " " + server + ": HTTP " + response.statusCode()
                        + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not " + action + " " + server + " through " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking to " + action + " " + server, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is not set: the fault suite runs under"
                    + " failsafe with the local-servers test listener (./mvnw verify -pl fault-suite -am)");
        }
        return value;
    }
}
