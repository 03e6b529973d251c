package io.userpipeline.servers;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of the pipeline's own services, run from its packaged application ({@code target/quarkus-app}) in a
 * child JVM like the servers, and ready when its readiness check answers 200.
 */
public final class QuarkusService extends LocalServer {

    private static final String QUARKUS_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private final String name;
    private final Path application;
    private final int httpPort;
    private final Map<String, String> configuration;
    private final List<String> memoryOptions;
    private final StartedWhen startedWhen;
    private final Duration startTimeout;

    /** What {@link #start()} waits for before it returns. */
    public enum StartedWhen {
        /** {@code /q/health/ready} answers 200: the service and everything it depends on work. */
        READY,
        /**
         * {@code /q/health/live} answers 200: the service runs and answers HTTP, whether or not its dependencies
         * do. A test of a service pointed at a wrong address needs this, since such a service is never ready.
         */
        LIVE
    }

    /**
     * @param application   the service's {@code quarkus-run.jar}
     * @param configuration settings passed as system properties, e.g. {@code kafka.bootstrap.servers}
     */
    public QuarkusService(String name, Path application, Path directory, int httpPort, Map<String, String> configuration) {
        this(name, application, directory, httpPort, configuration, StartedWhen.READY);
    }

    public QuarkusService(String name, Path application, Path directory, int httpPort, Map<String, String> configuration,
            StartedWhen startedWhen) {
        this(name, application, directory, httpPort, configuration, startedWhen, Duration.ofSeconds(120));
    }

    /** @param startTimeout how long {@link #start()} waits before it gives up, stops the service and fails */
    public QuarkusService(String name, Path application, Path directory, int httpPort, Map<String, String> configuration,
            StartedWhen startedWhen, Duration startTimeout) {
        this(name, application, directory, httpPort, configuration, startedWhen, startTimeout, List.of("-Xmx512m"));
    }

    /**
     * @param startTimeout  how long {@link #start()} waits before it gives up, stops the service and fails
     * @param memoryOptions the JVM's heap settings, e.g. {@code -Xmx256m}, as a container would set them
     */
    public QuarkusService(String name, Path application, Path directory, int httpPort, Map<String, String> configuration,
            StartedWhen startedWhen, Duration startTimeout, List<String> memoryOptions) {
        super(directory);
        this.name = name;
        this.application = application;
        this.httpPort = httpPort;
        this.configuration = configuration;
        this.startedWhen = startedWhen;
        this.startTimeout = startTimeout;
        this.memoryOptions = memoryOptions;
    }

    @Override
    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of(name + ".url", url());
    }

    @Override
    protected ServerProcess launch() {
        if (!Files.isRegularFile(application)) {
            throw new ServerStartException("The " + name + " application is not built (" + application + " is missing)."
                    + " Build it first: ./mvnw install -DskipTests");
        }
        FreePorts.requireFree(httpPort, name + " HTTP");
        List<String> jvmOptions = new ArrayList<>(memoryOptions);
        jvmOptions.addAll(List.of("-XX:+UseG1GC", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.http.host=127.0.0.1",
                // What the application's manifest asks of `java -jar`; a main class run from a class path, as
                // here, does not get it (on JDK 24+ jboss-threads fails without java.lang open).
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        configuration.forEach((key, value) -> jvmOptions.add("-D" + key + "=" + value));
        ServerProcess service = ServerProcess.launchJava(name, Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of(), jvmOptions, ServerClasspath.withLauncher(application.toString()), QUARKUS_MAIN, List.of(),
                Map.of(), logFile());
        String health = startedWhen == StartedWhen.READY ? "/q/health/ready" : "/q/health/live";
        service.awaitReady(startTimeout, () -> get(url() + health).isPresent());
        return service;
    }

    /** The body at {@code url} if it answers 200 within 2 s; empty otherwise, whatever went wrong. */
    static Optional<String> get(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            try (InputStream in = connection.getInputStream()) {
                return connection.getResponseCode() == 200
                        ? Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        : Optional.empty();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
