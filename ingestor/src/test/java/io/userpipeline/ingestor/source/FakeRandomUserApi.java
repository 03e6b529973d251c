package io.userpipeline.ingestor.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.ConfigProvider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real HTTP server on a loopback port that answers like randomuser.me. What it answers is set over HTTP
 * ({@code PUT /control} with one of the {@link Mode} names), since the test and this resource may not share
 * class loaders.
 */
public class FakeRandomUserApi implements QuarkusTestResourceLifecycleManager {

    public enum Mode {
        /** Two profiles: numeric and text postcodes, null and missing fields, as real responses have. */
        VARIED_PROFILES,
        SERVER_ERROR,
        /** Answers after 10 s, longer than the client waits. */
        SLOW,
        MALFORMED_BODY,
        /** A 200 whose body is the API's own error object. */
        API_ERROR,
        /** A 404: a wrong base URL, which retrying cannot fix. */
        NOT_FOUND,
        /** A 301 to another path that answers as {@link #VARIED_PROFILES}: a moved API. */
        MOVED,
        /** A 503 with an HTML page, as a proxy in front of an overloaded API answers. */
        UNAVAILABLE,
        /** The connection cut in the middle of an answer: a 200 whose body stops short of its Content-Length. */
        CUT_CONNECTION,
        /** A 200 whose body stops after a few bytes for 10 s: the headers came in time, the rest does not. */
        STALLED_BODY,
        /** A 200 with an empty {@code results} list, as randomuser.me answered during an outage. */
        EMPTY_RESULTS
    }

    public static final String CONTROL_URL = "test.fake-api.control-url";

    /** Switches the running fake to {@code next}, from a test of the application that uses it. */
    public static void switchTo(Mode next) throws IOException, InterruptedException {
        String control = ConfigProvider.getConfig().getValue(CONTROL_URL, String.class);
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(control)).PUT(HttpRequest.BodyPublishers.ofString(next.name())).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("The fake API refused the mode " + next + ": HTTP " + response.statusCode());
        }
    }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.VARIED_PROFILES);
    /** Calls of the API since the mode was last set: a GET of the control URL answers it. */
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/", this::answer);
        server.createContext("/moved-api/", exchange -> respond(exchange, 200, resource("randomuser/varied-profiles.json")));
        server.createContext("/control", exchange -> {
            if (exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 200, Integer.toString(calls.get()));
                return;
            }
            mode.set(Mode.valueOf(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim()));
            calls.set(0);
            respond(exchange, 204, "");
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("ingestion.api.base-url", base + "/api/", CONTROL_URL, base + "/control");
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        switch (mode.get()) {
            case VARIED_PROFILES -> respond(exchange, 200, resource("randomuser/varied-profiles.json"));
            case SERVER_ERROR -> respond(exchange, 500, "<html><body>Internal Server Error</body></html>");
            case SLOW -> {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, resource("randomuser/varied-profiles.json"));
            }
            case MALFORMED_BODY -> respond(exchange, 200, "{\"results\":[{\"gender\":\"female\",\"name\":{\"first\":");
            case API_ERROR -> respond(exchange, 200, "{\"error\":\"Uh oh, something has gone wrong. Please tweet us @randomapi about the issue. Thank you.\"}");
            case NOT_FOUND -> respond(exchange, 404, "<html><body>Not Found</body></html>");
            case MOVED -> {
                exchange.getResponseHeaders().set("Location", "/moved-api/?" + exchange.getRequestURI().getRawQuery());
                respond(exchange, 301, "");
            }
            case UNAVAILABLE -> respond(exchange, 503, "<html><body><h1>503 Service Unavailable</h1></body></html>");
            case CUT_CONNECTION -> {
                startAnswer(exchange);
                // A handler that throws makes the server close the connection, 4 KiB short of the promised body.
                throw new IOException("connection cut on purpose");
            }
            case STALLED_BODY -> {
                startAnswer(exchange);
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("stalled answer given up");
            }
            case EMPTY_RESULTS -> respond(exchange, 200,
                    "{\"results\":[],\"info\":{\"seed\":\"56d27f4a53bd5441\",\"results\":0,\"page\":1,\"version\":\"1.4\"}}");
        }
    }

    /** Headers promising 4 KiB of JSON, and its first bytes. */
    private static void startAnswer(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, 4096);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"results\":[{\"gender\":\"female\",".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = FakeRandomUserApi.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
