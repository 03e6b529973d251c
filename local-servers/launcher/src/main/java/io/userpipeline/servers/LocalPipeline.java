package io.userpipeline.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole pipeline on this machine, in the foreground: Kafka, Cassandra and PostgreSQL with their data in
 * one folder, then the processor and the ingestor (generator source), wired together. Stops everything on
 * Ctrl-C or SIGTERM ({@code ./pipeline stop}).
 * <p>
 * Usage: {@code LocalPipeline <data folder> <processor quarkus-run.jar> <ingestor quarkus-run.jar>}, or
 * {@code LocalPipeline <data folder>} for the three servers alone, for a service in Quarkus' dev mode. Ports come
 * from the environment: {@code KAFKA_PORT} (9092), {@code CASSANDRA_PORT} (9042), {@code POSTGRES_PORT} (5432),
 * {@code PROCESSOR_PORT} (8080), {@code INGESTOR_PORT} (8081); the Kafka controller and Cassandra storage
 * ports are the next ones up.
 */
public final class LocalPipeline {

    private static final Pattern PUBLISHED = Pattern.compile("\"totals\":\\{[^}]*\"published\":(\\d+)");

    private LocalPipeline() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath();
        boolean serversOnly = args.length == 1;
        int kafkaPort = port("KAFKA_PORT", 9092);
        int cassandraPort = port("CASSANDRA_PORT", 9042);
        int postgresPort = port("POSTGRES_PORT", 5432);
        int processorPort = port("PROCESSOR_PORT", 8080);
        int ingestorPort = port("INGESTOR_PORT", 8081);

        Files.createDirectories(data);
        Files.writeString(data.resolve("pipeline.pid"), Long.toString(ProcessHandle.current().pid()));
        System.out.println("User pipeline, local " + (serversOnly ? "servers" : "run") + ". Data in " + data
                + " (kept across restarts; ./pipeline reset deletes it)");

        KafkaServer kafka = new KafkaServer(data.resolve("kafka"), kafkaPort, kafkaPort + 1);
        CassandraServer cassandra = new CassandraServer(data.resolve("cassandra"), cassandraPort, cassandraPort + 1, "768m");
        PostgresServer postgres = new PostgresServer(data.resolve("postgres"), postgresPort);
        Map<LocalServers.Kind, LocalServer> stores = new LinkedHashMap<>();
        stores.put(LocalServers.Kind.KAFKA, kafka);
        stores.put(LocalServers.Kind.CASSANDRA, cassandra);
        stores.put(LocalServers.Kind.POSTGRES, postgres);

        // People read these logs: text, not the JSON lines of production.
        Map<String, String> readableLogs = Map.of("quarkus.log.console.json.enabled", "false");
        Map<String, String> processorConfig = new LinkedHashMap<>(kafka.connectionProperties());
        processorConfig.putAll(readableLogs);
        processorConfig.putAll(cassandra.connectionProperties());
        processorConfig.putAll(postgres.connectionProperties());
        // The console on the processor shows and drives the ingestor through it.
        processorConfig.put("pipeline.operations.ingestor-url", "http://127.0.0.1:" + ingestorPort);
        Map<String, String> ingestorConfig = new LinkedHashMap<>(kafka.connectionProperties());
        ingestorConfig.putAll(readableLogs);
        Optional<QuarkusService> processor = serversOnly ? Optional.empty() : Optional.of(new QuarkusService("processor",
                Path.of(args[1]).toAbsolutePath(), data.resolve("processor"), processorPort, processorConfig));
        Optional<QuarkusService> ingestor = serversOnly ? Optional.empty() : Optional.of(new QuarkusService("ingestor",
                Path.of(args[2]).toAbsolutePath(), data.resolve("ingestor"), ingestorPort, ingestorConfig));

        CountDownLatch stopped = new CountDownLatch(1);
        LocalServers[] servers = new LocalServers[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the pipeline…");
            ingestor.ifPresent(QuarkusService::stop);
            processor.ifPresent(QuarkusService::stop);
            if (servers[0] != null) {
                servers[0].close();
            }
            deleteQuietly(data.resolve("pipeline.pid"));
            deleteQuietly(data.resolve("endpoints.env"));
            System.out.println("Stopped. The data stays in " + data + ".");
            stopped.countDown();
        }, "local-pipeline-shutdown"));

        try {
            servers[0] = LocalServers.start(stores);
            processor.ifPresent(QuarkusService::start);
            ingestor.ifPresent(QuarkusService::start);
        } catch (ServerStartException | IllegalArgumentException e) {
            System.err.println("\nThe pipeline could not start:\n" + e.getMessage());
            System.exit(1);
        }

        if (serversOnly) {
            printServers(data, kafka, cassandraPort, postgresPort, processorConfig);
            stopped.await();
            return;
        }
        // ./pipeline status, trigger, pause, resume and dlq find the services here.
        Files.writeString(data.resolve("endpoints.env"), "LOCAL_PROCESSOR_URL=" + processor.get().url()
                + "\nLOCAL_INGESTOR_URL=" + ingestor.get().url() + "\n");
        printWhereToLook(data, kafka, cassandraPort, postgresPort, processor.get(), ingestor.get());
        while (stopped.getCount() > 0) {
            Thread.sleep(10_000);
            printProgress(processor.get(), ingestor.get());
        }
    }

    /**
     * The servers alone, and how to run a service against them: on the default ports the services' defaults find
     * them; on ports moved with *_PORT, the service needs their addresses as system properties.
     */
    private static void printServers(Path data, KafkaServer kafka, int cassandraPort, int postgresPort,
            Map<String, String> serviceConfig) {
        boolean defaultPorts = kafkaPortIsDefault(kafka) && cassandraPort == 9042 && postgresPort == 5432;
        String overrides = defaultPorts ? "" : serviceConfig.entrySet().stream()
                .filter(entry -> !entry.getKey().startsWith("quarkus.log."))
                .map(entry -> " -D" + entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining());
        String where = defaultPorts ? ", at the addresses the services use by default" : " (on ports moved by *_PORT)";
        System.out.println("""

                The servers are running%s:

                  Kafka       %s
                  Cassandra   127.0.0.1:%d (datacenter1)
                  PostgreSQL  postgresql://postgres@127.0.0.1:%d/postgres (password postgres)
                  Logs        %s/*/*.log

                Run a service against them in Quarkus' dev mode (live reload, Dev UI at /q/dev-ui), from another
                terminal:

                  ./mvnw -pl processor quarkus:dev%s
                  ./mvnw -pl ingestor quarkus:dev -Dquarkus.http.port=8081 -Ddebug=5006%s

                Stop with Ctrl-C, or ./pipeline stop from another terminal.
                """.formatted(where, kafka.bootstrapServers(), cassandraPort, postgresPort, data, overrides,
                defaultPorts ? "" : " -Dkafka.bootstrap.servers=" + kafka.bootstrapServers()));
    }

    private static boolean kafkaPortIsDefault(KafkaServer kafka) {
        return kafka.bootstrapServers().endsWith(":9092");
    }

    private static void printWhereToLook(Path data, KafkaServer kafka, int cassandraPort, int postgresPort,
            QuarkusService processor, QuarkusService ingestor) {
        String p = processor.url();
        String i = ingestor.url();
        System.out.println("""

                The pipeline is running: the ingestor publishes generated profiles to Kafka every 10 s and the
                processor stores them in Cassandra and PostgreSQL.

                  Ingestor    %s/ingestion/status    (POST %s/ingestion/trigger, /ingestion/pause, /ingestion/resume)
                  Users       %s/users?country=France    %s/users/<id>    (from Cassandra)
                  Analytics   %s/analytics    (from PostgreSQL; POST %s/analytics/refresh)
                  Console     %s/console.html    (rates, lag, health, runs, pause/resume, dead letters and replay)
                  Operate     ./pipeline status | logs | trigger | pause|resume ingestion|processing | dlq list|replay
                  Health      %s/q/health/ready    %s/q/health/ready
                  Metrics     %s/q/metrics    %s/q/metrics
                  OpenAPI     %s/q/openapi    %s/q/openapi
                  Logs        %s/*/*.log
                  Kafka       %s, topics user-profiles and user-profiles-dlq
                  Cassandra   127.0.0.1:%d, keyspace user_pipeline, table users_by_id (indexed by country)
                  PostgreSQL  psql postgresql://postgres@127.0.0.1:%d/postgres -c 'select count(*) from users'

                Stop with Ctrl-C, or ./pipeline stop from another terminal.
                """.formatted(i, i, p, p, p, p, p, p, i, p, i, p, i, data, kafka.bootstrapServers(), cassandraPort, postgresPort));
    }

    private static void printProgress(QuarkusService processor, QuarkusService ingestor) {
        String status = QuarkusService.get(ingestor.url() + "/ingestion/status").orElse("");
        Optional<MetricsScrape> metrics = QuarkusService.get(processor.url() + "/q/metrics")
                .flatMap(LocalPipeline::parsedOrEmpty);
        Matcher published = PUBLISHED.matcher(status);
        System.out.printf("since start: published %s · stored %s · dead-lettered %s%n",
                published.find() ? published.group(1) : "?",
                metrics.map(scrape -> count(scrape.sum("processor_records_stored_total",
                        Map.of("store", "postgresql")))).orElse("?"),
                metrics.map(scrape -> count(scrape.sum("processor_records_dead_lettered_total"))).orElse("?"));
    }

    /** A progress line is no reason to stop the pipeline: metrics that cannot be read show as "?". */
    private static Optional<MetricsScrape> parsedOrEmpty(String exposition) {
        try {
            return Optional.of(MetricsScrape.parse(exposition));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String count(double value) {
        return Long.toString((long) value);
    }

    private static int port(String variable, int defaultPort) {
        String value = System.getenv(variable);
        try {
            return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a port number, not '" + value + "'");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The next start overwrites it.
        }
    }
}
