package io.userpipeline.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Stops and starts the test run's servers from a test, through {@link ServerControlEndpoint}: for tests that take
 * a store or the broker away mid-stream. Works from any class loader, as a Quarkus test's.
 */
public final class ServerControl {

    private ServerControl() {
    }

    /** Stops {@code server} ({@code kafka}, {@code cassandra} or {@code postgres}); its data stays. */
    public static void stop(String server) {
        post(server, "stop");
    }

    /** Starts {@code server} again on the same ports and data. */
    public static void start(String server) {
        post(server, "start");
    }

    private static void post(String server, String action) {
        String control = System.getProperty(TestServersSessionListener.CONTROL_URL_PROPERTY);
        if (control == null) {
            throw new IllegalStateException("No local servers to control: the test run did not start any (set the"
                    + " system property " + TestServersSessionListener.SERVERS_PROPERTY + ")");
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(control + "/" + server + "/" + action))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(action + " " + server + " failed: " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(action + " " + server + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(action + " " + server + " was interrupted", e);
        }
    }
}
