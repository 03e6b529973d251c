package io.userpipeline.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserJson;

/**
 * A randomuser.me-compatible API on a loopback port, answering {@code GET /api/?results=&seed=&page=} with the
 * real-format generator's profiles in the API's bytes: the ingestor's API source meets real data through HTTP
 * and JSON. With a seed, page {@code p} of {@code n} results is the same people every time, as on the real API;
 * without one, each call brings the next people.
 */
public final class RandomUserApiServer implements AutoCloseable {

    /** randomuser.me's own limit on results per call. */
    public static final int MOST_RESULTS = 5000;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicLong unseededNext = new AtomicLong();
    private final AtomicLong profilesServed = new AtomicLong();

    public RandomUserApiServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a loopback port for the randomuser API", e);
        }
        server.setExecutor(executor);
        server.createContext("/api/", this::answer);
        server.start();
    }

    /** The base URL to configure as {@code ingestion.api.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    /**
     * The people a seed's pages hold, in order: page {@code p} of {@code n} results is profiles {@code (p-1)·n} on.
     * Without a seed, calls take the next people of the unseeded sequence.
     */
    public static RandomUserGenerator generator(String seed) {
        return new RandomUserGenerator(seed == null ? 0 : seed.hashCode());
    }

    public long profilesServed() {
        return profilesServed.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        int results;
        int page;
        try {
            results = Integer.parseInt(query.getOrDefault("results", "1"));
            page = Integer.parseInt(query.getOrDefault("page", "1"));
        } catch (NumberFormatException e) {
            respond(exchange, 400, "{\"error\":\"results and page must be numbers\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        results = Math.max(1, Math.min(results, MOST_RESULTS));
        String seed = query.get("seed");
        long first = seed == null ? unseededNext.getAndAdd(results) : (long) (Math.max(page, 1) - 1) * results;
        byte[] body = RandomUserJson.response(generator(seed).profiles(first, results), seed == null ? "" : seed, page);
        profilesServed.addAndGet(results);
        respond(exchange, 200, body);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
