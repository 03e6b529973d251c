package io.userpipeline.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/** A set of local servers started together (in parallel: Cassandra alone takes several seconds) and stopped together. */
public final class LocalServers implements AutoCloseable {

    public enum Kind {
        KAFKA, CASSANDRA, POSTGRES;

        /** Parses a comma-separated list such as {@code kafka,postgres}. */
        public static Set<Kind> parseList(String list) {
            Set<Kind> kinds = new TreeSet<>();
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    try {
                        kinds.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("Unknown local server '" + name.trim() + "'; known: kafka,"
                                + " cassandra, postgres");
                    }
                }
            }
            return kinds;
        }
    }

    private final Map<Kind, LocalServer> servers;
    /** Deleted with everything in it on {@link #close()}; null to keep the data. */
    private final Path temporaryDirectory;

    private LocalServers(Map<Kind, LocalServer> servers, Path temporaryDirectory) {
        this.servers = servers;
        this.temporaryDirectory = temporaryDirectory;
    }

    /** Starts the given servers, which keep their data when stopped: what a local run needs. */
    public static LocalServers start(Map<Kind, LocalServer> servers) {
        LocalServers started = new LocalServers(new LinkedHashMap<>(servers), null);
        started.startAll();
        return started;
    }

    /**
     * Starts fresh servers on free ports in a new directory under {@code parent}, deleted again on
     * {@link #close()}: what a test run needs.
     */
    public static LocalServers startEphemeral(Path parent, Set<Kind> kinds) {
        Path directory;
        try {
            Files.createDirectories(parent);
            directory = Files.createTempDirectory(parent, "run-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for the local servers under " + parent, e);
        }
        Map<Kind, LocalServer> servers = new LinkedHashMap<>();
        for (Kind kind : kinds) {
            Path home = directory.resolve(kind.name().toLowerCase(Locale.ROOT));
            servers.put(kind, switch (kind) {
                case KAFKA -> new KafkaServer(home, FreePorts.next(), FreePorts.next());
                case CASSANDRA -> new CassandraServer(home, FreePorts.next(), FreePorts.next(), "512m");
                case POSTGRES -> new PostgresServer(home, FreePorts.next());
            });
        }
        LocalServers started = new LocalServers(servers, directory);
        started.startAll();
        return started;
    }

    private void startAll() {
        ExecutorService starters = Executors.newFixedThreadPool(servers.size());
        List<CompletableFuture<Void>> starts = servers.values().stream()
                .map(server -> CompletableFuture.runAsync(server::start, starters))
                .toList();
        starters.shutdown();
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        }
        if (!failures.isEmpty()) {
            close();
            ServerStartException failure = new ServerStartException(failures.stream().map(Throwable::getMessage)
                    .reduce((a, b) -> a + "\n" + b).orElseThrow(), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    public LocalServer get(Kind kind) {
        LocalServer server = servers.get(kind);
        if (server == null) {
            throw new IllegalArgumentException(kind + " was not started; started: " + servers.keySet());
        }
        return server;
    }

    /** Every started server's connection settings, in the property names the services read. */
    public Map<String, String> connectionProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        servers.values().forEach(server -> properties.putAll(server.connectionProperties()));
        return properties;
    }

    @Override
    public void close() {
        ExecutorService stoppers = Executors.newFixedThreadPool(Math.max(1, servers.size()));
        servers.values().stream()
                .map(server -> CompletableFuture.runAsync(server::stop, stoppers))
                .toList()
                .forEach(CompletableFuture::join);
        stoppers.shutdown();
        if (temporaryDirectory != null) {
            deleteRecursively(temporaryDirectory);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LocalServer.LOG.log(System.Logger.Level.WARNING, "Could not delete " + directory + ": " + e.getMessage());
        }
    }
}
