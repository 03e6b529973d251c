package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.testsupport.KafkaTopics;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Records that look valid but that a store, a metric or the dead-letter topic cannot take, each between valid
 * ones: every valid record is stored, each poison one is dead-lettered or stored, and the consumer never stops
 * (a record produced after them all is stored). Nothing is retried forever: each wait below is bounded.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class PoisonRecordsTest {

    /** A rule this test adds to PostgreSQL's users table: the real server then refuses one valid value. */
    private static final String REFUSED_USERNAME = "refused-by-postgres";

    @Inject
    CassandraUserStore cassandra;

    @Inject
    PostgresUserStore postgres;

    @Inject
    Pool postgresClient;

    private final List<UserEvent> valid = new ArrayList<>();
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Test
    void poisonRecordsAreDeadLetteredOrStoredAndTheConsumerGoesOn() {
        sql("ALTER TABLE users ADD CONSTRAINT test_refuses_a_username CHECK (username <> '" + REFUSED_USERNAME
                + "') NOT VALID");
        try {
            validEvent();
            // Timer.record(Duration) overflowed on it after the writes: the stored batch failed, again on every restart.
            UserEvent ancient = TestUsers.event(1);
            poison("poison-ingested-1700", edit(ancient, "ingestedAt", "1700-01-01T00:00:00Z"));
            validEvent();
            UserEvent earliest = TestUsers.event(2);
            poison("poison-ingested-1900", edit(earliest, "ingestedAt", "1900-01-01T00:00:00Z"));
            validEvent();
            UserEvent refused = TestUsers.event(3);
            poison("poison-refused-by-postgres", edit(refused, "username", REFUSED_USERNAME));
            validEvent();
            TestKafka.produce(TestKafka.USER_TOPIC, records);

            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters("poison-ingested-1700", "poison-refused-by-postgres");
            ConsumerRecord<byte[], byte[]> tooOld = letter(letters, "poison-ingested-1700");
            assertThat(KafkaTopics.header(tooOld, DeadLetterHeaders.REASON)).isEqualTo(RejectionReason.DATE_OUT_OF_RANGE.wireName());
            assertThat(KafkaTopics.header(tooOld, DeadLetterHeaders.FIELD)).isEqualTo("ingestedAt");
            ConsumerRecord<byte[], byte[]> storeRejected = letter(letters, "poison-refused-by-postgres");
            assertThat(KafkaTopics.header(storeRejected, DeadLetterHeaders.REASON)).isEqualTo(RejectionReason.STORE_REJECTED.wireName());
            assertThat(KafkaTopics.header(storeRejected, DeadLetterHeaders.MESSAGE)).startsWith("postgresql refused it:")
                    .contains("test_refuses_a_username");
            assertThat(KafkaTopics.header(storeRejected, DeadLetterHeaders.EVENT_ID)).isEqualTo(refused.eventId().toString());

            awaitStoredInBoth(valid);
            awaitStoredInBoth(List.of(earliest));
            assertThat(cassandra.findById(refused.userId()).await().indefinitely())
                    .as("the store that took the refused record keeps it").isPresent();
            assertThat(postgres.findById(refused.userId()).await().indefinitely()).isEmpty();
            assertThat(cassandra.findById(ancient.userId()).await().indefinitely()).isEmpty();
        } finally {
            sql("ALTER TABLE users DROP CONSTRAINT IF EXISTS test_refuses_a_username");
        }
    }

    @Test
    void aDeadLetterTooLargeForItsTopicIsSentWithoutTheOriginalAndTheConsumerGoesOn() {
        // The topic exists once it holds a dead letter; a smaller record limit than the input topic's can then be set.
        poison("poison-small", "not JSON".getBytes(StandardCharsets.UTF_8));
        TestKafka.produce(TestKafka.USER_TOPIC, records);
        deadLetters("poison-small");
        records.clear();
        byte[] incompressible = new byte[20_000];
        new Random(17).nextBytes(incompressible);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            setDeadLetterRecordLimit(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "8192"),
                    AlterConfigOp.OpType.SET));
            try {
                validEvent();
                poison("poison-dead-letter-too-large", incompressible);
                validEvent();
                TestKafka.produce(TestKafka.USER_TOPIC, records);

                ConsumerRecord<byte[], byte[]> letter = letter(deadLetters("poison-dead-letter-too-large"),
                        "poison-dead-letter-too-large");
                assertThat(KafkaTopics.header(letter, DeadLetterHeaders.REASON)).isEqualTo(RejectionReason.MALFORMED_JSON.wireName());
                assertThat(KafkaTopics.header(letter, DeadLetterHeaders.DROPPED)).startsWith("value and headers of the original");
                assertThat(letter.value()).isEmpty();
                assertThat(KafkaTopics.header(letter, DeadLetterHeaders.SOURCE_OFFSET)).matches("\\d+");
                awaitStoredInBoth(valid);
            } finally {
                setDeadLetterRecordLimit(admin, new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, ""),
                        AlterConfigOp.OpType.DELETE));
            }
        }
        records.clear();
        validEvent();
        TestKafka.produce(TestKafka.USER_TOPIC, records);
        awaitStoredInBoth(valid);
    }

    private void validEvent() {
        UserEvent event = TestUsers.event(100 + valid.size());
        valid.add(event);
        records.add(TestKafka.record(event.userId().toString(), UserEventJson.write(event)));
    }

    private void poison(String key, byte[] value) {
        records.add(TestKafka.record(key, value));
    }

    /** The event's JSON with one text field replaced. */
    private static byte[] edit(UserEvent event, String field, String value) {
        String json = new String(UserEventJson.write(event), StandardCharsets.UTF_8);
        String edited = json.replaceFirst("\"" + field + "\":\\s*\"[^\"]*\"", Matcher.quoteReplacement("\"" + field + "\":\""
                + value + "\""));
        assertThat(edited).as("%s replaced", field).isNotEqualTo(json);
        return edited.getBytes(StandardCharsets.UTF_8);
    }

    /** The dead letters read so far, once one with each key has arrived or after a minute. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String... keys) {
        return KafkaTopics.readUntil(TestKafka.bootstrap(), TestKafka.DEAD_LETTER_TOPIC, Duration.ofSeconds(60), read -> List.of(keys).stream()
                .allMatch(key -> read.stream().anyMatch(r -> key.equals(KafkaTopics.key(r)))));
    }

    private static ConsumerRecord<byte[], byte[]> letter(List<ConsumerRecord<byte[], byte[]>> letters, String key) {
        return letters.stream().filter(r -> key.equals(KafkaTopics.key(r))).findFirst()
                .orElseThrow(() -> new AssertionError(key + " did not reach the dead-letter topic within a minute"));
    }

    private void awaitStoredInBoth(List<UserEvent> events) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (UserEvent event : events) {
                assertThat(cassandra.findById(event.userId()).await().indefinitely()).as("%s in Cassandra", event.userId())
                        .isPresent();
                assertThat(postgres.findById(event.userId()).await().indefinitely()).as("%s in PostgreSQL", event.userId())
                        .isPresent();
            }
        });
    }

    private void sql(String statement) {
        postgresClient.query(statement).execute().await().atMost(Duration.ofSeconds(10));
    }

    private static void setDeadLetterRecordLimit(Admin admin, AlterConfigOp change) {
        try {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TestKafka.DEAD_LETTER_TOPIC),
                    List.of(change))).all().get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Could not change " + TestKafka.DEAD_LETTER_TOPIC + "'s record limit", e);
        }
    }
}
