package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.CassandraUserRows;

/**
 * The packaged processor stopped with SIGTERM, as Kubernetes stops a pod, in the middle of a stream: the batches in
 * flight are written to both stores before the stores' clients close, nothing is written against a closed client,
 * and the committed offsets are exactly what both stores hold (one consumer, no rebalance), so the partition's next
 * owner neither skips a record nor redoes a stored batch.
 */
@DisabledIfSystemProperty(named = "native.image.path", matches = ".+",
        disabledReason = "starts the runnable jar; the native executable shares the code this checks")
@Tag(TestTiers.SERVERS)
class OrderlyStopIT {

    private static final String TOPIC = "orderly-stop";
    private static final String GROUP = "orderly-stop";
    private static final String KEYSPACE = "orderly_stop";
    private static final int EVENTS = 30_000;

    @Test
    void aStopMidStreamWritesTheBatchesInFlightAndCommitsExactlyWhatIsStored() throws Exception {
        List<UUID> users = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int n = 0; n < EVENTS; n++) {
            UserEvent event = TestUsers.event(n);
            users.add(event.userId());
            records.add(TestKafka.record(event.userId().toString(), UserEventJson.write(event)));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                System.getProperty("kafka.bootstrap.servers")))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1), new NewTopic(TOPIC + "-tutorial", 1, (short) 1)))
                    .all().get();
            TestKafka.produce(TOPIC, records);

            QuarkusService processor = new QuarkusService("processor", Path.of("target/quarkus-app/quarkus-run.jar"),
                    Files.createTempDirectory(Path.of("target"), "orderly-stop"), FreePorts.next(), configuration());
            String log;
            try (CqlSession cassandra = cassandra()) {
                try {
                    processor.start();
                    // PostgreSQL's count is cheap; Cassandra's scans the table, on the cores the processor needs.
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                            .until(() -> inPostgres(users) >= EVENTS / 10);
                } finally {
                    processor.stop();
                }
                log = Files.readString(processor.logFile());

                long committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get().entrySet()
                        .stream().filter(entry -> entry.getKey().topic().equals(TOPIC))
                        .mapToLong(entry -> entry.getValue() == null ? 0 : entry.getValue().offset())
                        .sum();
                assertThat(committed).as("offsets committed at the stop: it must hit the stream midway")
                        .isPositive().isLessThan(EVENTS);
                assertThat(inCassandra(cassandra)).as("users in Cassandra").isEqualTo(committed);
                assertThat(inPostgres(users)).as("users in PostgreSQL").isEqualTo(committed);
            }
            assertThat(log).as("the processor's log").doesNotContain("failed (attempt").contains("Stopping: ");
            assertThat(log.indexOf("Stopping: ")).as("the drain, before the Cassandra session closes")
                    .isLessThan(log.indexOf("Closing Quarkus Cassandra session"));
        }
    }

    private static Map<String, String> configuration() {
        Map<String, String> configuration = new HashMap<>();
        for (String key : List.of("kafka.bootstrap.servers", "quarkus.cassandra.contact-points",
                "quarkus.cassandra.local-datacenter", "quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url",
                "quarkus.datasource.username", "quarkus.datasource.password")) {
            configuration.put(key, System.getProperty(key));
        }
        configuration.put("mp.messaging.incoming.user-profiles.topic", TOPIC);
        configuration.put("mp.messaging.incoming.user-profiles.group.id", GROUP);
        configuration.put("mp.messaging.incoming.tutorial-users.topic", TOPIC + "-tutorial");
        configuration.put("mp.messaging.incoming.tutorial-users.group.id", GROUP);
        configuration.put("pipeline.cassandra.keyspace", KEYSPACE);
        configuration.put("pipeline.analytics.refresh-interval", "1h");
        return configuration;
    }

    private static CqlSession cassandra() {
        String[] contactPoint = System.getProperty("quarkus.cassandra.contact-points").split(":");
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(contactPoint[0], Integer.parseInt(contactPoint[1])))
                .withLocalDatacenter(System.getProperty("quarkus.cassandra.local-datacenter")).build();
    }

    /** The rows of the test's keyspace; a whole-table count takes longer than the driver's 2 s default here. */
    private static long inCassandra(CqlSession cassandra) {
        return cassandra.execute(SimpleStatement.newInstance("SELECT count(*) FROM " + KEYSPACE + "."
                + CassandraUserRows.TABLE).setTimeout(Duration.ofSeconds(30))).one().getLong(0);
    }

    private static long inPostgres(List<UUID> users) throws Exception {
        try (Connection postgres = DriverManager.getConnection(System.getProperty("quarkus.datasource.jdbc.url"),
                System.getProperty("quarkus.datasource.username"), System.getProperty("quarkus.datasource.password"));
                PreparedStatement count = postgres.prepareStatement("SELECT count(*) FROM users WHERE user_id = ANY (?)")) {
            count.setArray(1, postgres.createArrayOf("uuid", users.toArray()));
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
