package io.userpipeline.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A single-node Kafka in KRaft mode: one process is both broker and controller. */
public final class KafkaServer extends LocalServer {

    private static final String STARTED_MARKER = "Kafka Server started";

    private final int port;
    private final int controllerPort;

    public KafkaServer(Path directory, int port, int controllerPort) {
        super(directory);
        this.port = port;
        this.controllerPort = controllerPort;
    }

    @Override
    public String name() {
        return "Kafka";
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    protected ServerProcess launch() {
        FreePorts.requireFree(port, "Kafka broker");
        FreePorts.requireFree(controllerPort, "Kafka controller");
        Path config = writeConfiguration();
        String classpath = ServerClasspath.of("kafka-runtime");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvmOptions = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-Djava.awt.headless=true");
        // Formatting is a one-time step per data directory: an earlier run's data is kept, with its cluster id.
        if (!Files.exists(directory.resolve("data/meta.properties"))) {
            ServerProcess.launchJava("Kafka storage format", java, List.of(), jvmOptions, classpath,
                    "kafka.tools.StorageTool", List.of("format", "--standalone", "-t", clusterId(), "-c", config.toString()),
                    Map.of(), logFile()).awaitSuccessfulExit(Duration.ofSeconds(60));
        }
        ServerProcess kafka = ServerProcess.launchJava(name(), java, List.of(), jvmOptions, classpath, "kafka.Kafka",
                List.of(config.toString()), Map.of(), logFile());
        kafka.awaitReady(Duration.ofSeconds(90),
                () -> kafka.logContains(STARTED_MARKER) && ServerProcess.portAccepts(port).getAsBoolean());
        return kafka;
    }

    private Path writeConfiguration() {
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                // One node: every internal topic can only have one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Tests and local runs start consumers one at a time; waiting for more members only adds delay.
                "group.initial.rebalance.delay.ms=0",
                "");
        String log4j = String.join("\n",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.console.ref = console",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = warn",
                "logger.statechange.name = state.change.logger",
                "logger.statechange.level = warn",
                "");
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("log4j2.properties"), log4j);
            return Files.writeString(directory.resolve("server.properties"), properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka configuration in " + directory, e);
        }
    }

    /**
     * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. One that starts with '-' would be
     * read as an option by the storage tool's argument parser (as Kafka's own generator knows), so draw again.
     */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }
}
