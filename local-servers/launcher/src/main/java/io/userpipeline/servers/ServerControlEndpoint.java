package io.userpipeline.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stops, kills and starts the local servers on request, over HTTP on a loopback port: {@code POST /<server>/stop},
 * {@code POST /<server>/kill} (SIGKILL) and {@code POST /<server>/start}, e.g. {@code /postgres/stop}. Tests that
 * take a store away mid-stream use it; HTTP rather than a Java call because a Quarkus test runs in other class loaders than the test launcher, and
 * other processes may need it too.
 */
final class ServerControlEndpoint implements AutoCloseable {

    private final HttpServer server;

    ServerControlEndpoint(LocalServers servers) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the local servers' control endpoint", e);
        }
        server.createContext("/", exchange -> handle(servers, exchange));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void handle(LocalServers servers, HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        try {
            if (!"POST".equals(exchange.getRequestMethod()) || path.length != 3) {
                respond(exchange, 404, "Use POST /<kafka|cassandra|postgres>/<stop|start|kill>");
                return;
            }
            LocalServer target = servers.get(LocalServers.Kind.valueOf(path[1].toUpperCase(Locale.ROOT)));
            switch (path[2]) {
                case "stop" -> target.stop();
                case "start" -> target.start();
                case "kill" -> target.kill();
                default -> {
                    respond(exchange, 404, "Unknown action " + path[2] + "; use stop, start or kill");
                    return;
                }
            }
            respond(exchange, 200, target.name() + (target.isRunning() ? " is running" : " is stopped"));
        } catch (RuntimeException e) {
            respond(exchange, 500, e.getMessage());
        }
    }

    private static void respond(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
