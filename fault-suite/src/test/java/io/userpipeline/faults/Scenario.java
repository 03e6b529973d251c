package io.userpipeline.faults;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;

/**
 * One scenario's own corner of the shared servers: its input and dead-letter topics, consumer group, Cassandra
 * keyspace and PostgreSQL database, so that what one scenario leaves behind cannot hide or fake another's
 * losses. Starts the services pointed at them and stops whatever it started.
 */
final class Scenario implements AutoCloseable {

    /**
     * Partitions of the input topic unless a scenario asks for more: several, so that a redelivery after a crash
     * spans partitions.
     */
    static final int DEFAULT_INPUT_PARTITIONS = 3;
    static final long GENERATOR_SEED = 20261121L;
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

    final String name;
    final String inputTopic;
    final String deadLetterTopic;
    final String keyspace;
    final String database;
    final int inputPartitions;
    private final Path work;
    private final List<QuarkusService> started = new ArrayList<>();

    Scenario(String name) {
        this(name, DEFAULT_INPUT_PARTITIONS);
    }

    Scenario(String name, int inputPartitions) {
        this.name = name;
        this.inputPartitions = inputPartitions;
        this.inputTopic = "faults-" + name;
        this.deadLetterTopic = inputTopic + "-dlq";
        this.keyspace = "faults_" + name.replace('-', '_');
        this.database = keyspace;
        this.work = Path.of(System.getProperty("faults.work", "target/faults")).resolve(name);
        createTopicsAndDatabase();
    }

    private void createTopicsAndDatabase() {
        try (Admin admin = Servers.kafkaAdmin()) {
            admin.createTopics(List.of(new NewTopic(inputTopic, inputPartitions, (short) 1),
                    new NewTopic(deadLetterTopic, 2, (short) 1))).all().get();
            awaitLeaders(admin, List.of(inputTopic, deadLetterTopic));
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("Could not create the topics of scenario " + name, e);
        }
        try (Connection postgres = Servers.postgres("postgres")) {
            postgres.createStatement().execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + " for scenario " + name, e);
        }
    }

    /**
     * The controller acknowledges a new topic before the broker leads its partitions. In one CI run (2026-12-03) a
     * batch the stream made in its first second never left the producer and expired 120 s later, the other partitions
     * unaffected: a partition without a leader yet is the suspect, so no scenario sends before every one has one.
     */
    private void awaitLeaders(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
        List<String> leaderless = topics;
        while (!leaderless.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Scenario " + name + ": " + leaderless + " had no leader "
                        + LEADER_TIMEOUT.toSeconds() + " s after the topics were created; see the Kafka log");
            }
            Thread.sleep(100);
            leaderless = leaderlessPartitions(admin, topics);
        }
    }

    /** The partitions without a leader, or the topics themselves while the broker does not know them yet. */
    private static List<String> leaderlessPartitions(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .filter(partition -> partition.leader() == null || partition.leader().isEmpty())
                            .map(partition -> topic.name() + "-" + partition.partition()))
                    .toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return topics;
            }
            throw e;
        }
    }

    /** The processor's settings for this scenario, which a test may change (e.g. to a wrong password). */
    Map<String, String> processorConfiguration() {
        Map<String, String> config = new HashMap<>(Servers.connectionProperties());
        config.put("quarkus.datasource.reactive.url", Servers.postgresUrl(database).substring("jdbc:".length()));
        config.put("quarkus.datasource.jdbc.url", Servers.postgresUrl(database));
        config.put("pipeline.cassandra.keyspace", keyspace);
        config.put("mp.messaging.incoming.user-profiles.topic", inputTopic);
        config.put("mp.messaging.incoming.user-profiles.group.id", "processor-" + name);
        config.put("mp.messaging.incoming.tutorial-users.topic", inputTopic + "-tutorial");
        config.put("mp.messaging.incoming.tutorial-users.group.id", "processor-" + name);
        config.put("mp.messaging.outgoing.dead-letters.topic", deadLetterTopic);
        // A killed consumer holds its partitions until its session times out (45 s by default): the restarted
        // processor would wait that long for them. The broker's minimum keeps the suite short; what is lost or
        // duplicated does not depend on it (see the README's reliability section).
        config.put("mp.messaging.incoming.user-profiles.session.timeout.ms", "6000");
        config.put("mp.messaging.incoming.tutorial-users.session.timeout.ms", "6000");
        config.put("pipeline.analytics.refresh-interval", "1h");
        config.put("quarkus.log.console.json.enabled", "false");
        return config;
    }

    Map<String, String> ingestorConfiguration(int batchSize, String interval) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", Servers.kafka());
        config.put("mp.messaging.outgoing.user-profiles.topic", inputTopic);
        config.put("ingestion.interval", interval);
        config.put("ingestion.batch-size", Integer.toString(batchSize));
        config.put("ingestion.generator.seed", Long.toString(GENERATOR_SEED));
        config.put("quarkus.log.console.json.enabled", "false");
        return config;
    }

    QuarkusService processor() {
        return service("processor", processorConfiguration(), QuarkusService.StartedWhen.READY);
    }

    QuarkusService ingestor(int batchSize, String interval) {
        return service("ingestor", ingestorConfiguration(batchSize, interval), QuarkusService.StartedWhen.READY);
    }

    /** A service that is not started yet; {@link #close()} stops it. */
    QuarkusService service(String application, Map<String, String> configuration, QuarkusService.StartedWhen startedWhen) {
        return service(application, configuration, startedWhen, Duration.ofSeconds(120));
    }

    QuarkusService service(String application, Map<String, String> configuration, QuarkusService.StartedWhen startedWhen,
            Duration startTimeout) {
        String property = "faults." + application;
        QuarkusService service = new QuarkusService(application, Path.of(System.getProperty(property)),
                work.resolve(application + "-" + started.size()), FreePorts.next(), configuration, startedWhen,
                startTimeout);
        started.add(service);
        return service;
    }

    /** This scenario's directory for service logs and anything else it runs. */
    Path work() {
        return work;
    }

    @Override
    public void close() {
        started.forEach(QuarkusService::stop);
    }
}
