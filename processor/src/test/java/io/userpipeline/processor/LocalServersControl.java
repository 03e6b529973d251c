package io.userpipeline.processor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Stops and starts the test run's real servers through the local-servers control endpoint. */
public final class LocalServersControl {

    private LocalServersControl() {
    }

    public static void stop(String server) {
        post(server, "stop");
    }

    public static void start(String server) {
        post(server, "start");
    }

    private static void post(String server, String action) {
        String control = System.getProperty("local-servers.control-url");
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
            throw new IllegalStateException(e);
        }
    }
}
