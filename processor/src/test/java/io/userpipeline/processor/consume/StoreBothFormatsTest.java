package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.processor.validate.InputFormat;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.CassandraUserRows;
import io.userpipeline.storeduser.StoredUser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Valid events of both accepted formats reach both real stores, identically, exactly once even when replayed. */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class StoreBothFormatsTest {

    @Inject
    CassandraUserStore cassandra;

    @Inject
    PostgresUserStore postgres;

    @Inject
    Pool postgresClient;

    @Inject
    UserBatchProcessor processor;

    @Inject
    QuarkusCqlSession session;

    @Inject
    ProcessorConfig config;

    @Test
    void validEventsOfBothFormatsLandInBothStoresIdenticallyAndRepublishedEventsChangeNothing() {
        List<UserEvent> events = IntStream.range(0, 60).mapToObj(TestUsers::event).toList();
        List<ProducerRecord<byte[], byte[]>> eventRecords = events.stream()
                .map(e -> TestKafka.record(e.userId().toString(), UserEventJson.write(e))).toList();
        List<UUID> tutorialIds = IntStream.range(0, 15).mapToObj(i -> UUID.randomUUID()).toList();
        List<ProducerRecord<byte[], byte[]>> tutorialRecords = IntStream.range(0, 15)
                .mapToObj(i -> TestKafka.record(tutorialIds.get(i).toString(), TestUsers.tutorialJson(tutorialIds.get(i), i)))
                .collect(Collectors.toCollection(ArrayList::new));
        UUID writtenAsHex = tutorialIds.get(4);
        tutorialRecords.set(4, TestKafka.record(writtenAsHex.toString(), TestUsers.tutorialJson(writtenAsHex, 4)
                .replace(writtenAsHex.toString(), writtenAsHex.toString().replace("-", ""))));
        List<UUID> allIds = new ArrayList<>(events.stream().map(UserEvent::userId).toList());
        allIds.addAll(tutorialIds);

        TestKafka.produce(TestKafka.USER_TOPIC, eventRecords);
        TestKafka.produce(TestKafka.TUTORIAL_TOPIC, tutorialRecords);

        Map<UUID, StoredUser> stored = awaitInBothStores(allIds);

        StoredUser first = stored.get(events.get(0).userId());
        assertThat(first.firstName()).isEqualTo("Ayşe");
        assertThat(first.gender()).isEqualTo("female");
        assertThat(first.email()).as("kept as sent").isEqualTo("Ayse.Ozturk0@Example.COM");
        assertThat(first.emailDomain()).isEqualTo("example.com");
        assertThat(first.phone()).as("kept as sent").isEqualTo("(542)-123-4567");
        assertThat(first.cell()).isEqualTo("+90 533 765 4321");
        assertThat(first.country()).isEqualTo("Turkey");
        assertThat(stored.get(events.get(1).userId()).country()).isEqualTo("Turkey");
        assertThat(first.age()).isEqualTo(36);
        assertThat(first.registrationYear()).isEqualTo(2012);
        assertThat(first.nationality()).isEqualTo("TR");
        assertThat(first.eventId()).isEqualTo(events.get(0).eventId());

        StoredUser tutorial = stored.get(tutorialIds.get(3));
        assertThat(tutorial.source()).isEqualTo("tutorial");
        assertThat(tutorial.street()).isEqualTo("3 Valwood Pkwy");
        assertThat(tutorial.city()).isEqualTo("Billings");
        assertThat(tutorial.state()).isEqualTo("Michigan");
        assertThat(tutorial.country()).isEqualTo("United States");
        assertThat(tutorial.postcode()).as("the producer's JSON number, as text").isEqualTo("63104");
        assertThat(tutorial.dateOfBirth()).isEqualTo(LocalDate.of(1992, 3, 8));
        assertThat(tutorial.phone()).isEqualTo("(272) 790-0888");
        assertThat(stored.get(writtenAsHex).firstName()).as("a record whose id is uuid.hex").isEqualTo("Jennie");
        assertThat(List.of(Optional.ofNullable(tutorial.title()), Optional.ofNullable(tutorial.cell()),
                Optional.ofNullable(tutorial.nationality()))).as("a tutorial record has no title, cell or nationality")
                .containsOnly(Optional.empty());
        assertThat(cassandraTexts(tutorialIds.get(3), "title", "cell", "nationality"))
                .as("absent texts are stored as empty texts in Cassandra, not as cell tombstones").containsExactly("", "", "");

        long consumedBefore = consumed();
        TestKafka.produce(TestKafka.USER_TOPIC, eventRecords);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed() >= consumedBefore + 60);

        assertThat(postgresRows(allIds)).as("rows after publishing the same events again").isEqualTo(75);
        for (UUID id : allIds) {
            assertThat(cassandra.findById(id).await().indefinitely()).contains(stored.get(id));
            assertThat(postgres.findById(id).await().indefinitely()).contains(stored.get(id));
        }
    }

    /**
     * A replay proper: the same records, at the same offsets, processed again, as after a crash before the
     * commit. Tutorial records included, whose identity is their bytes and whose time is their timestamp (a
     * record without one is timed at each reading, and so is the one case a replay changes: see the README).
     */
    @Test
    void processingTheSameBatchAgainLeavesRowsAndContentsUnchanged() {
        long producedAt = Instant.now().minusSeconds(60).toEpochMilli();
        List<UUID> eventIds = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> events = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> tutorials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UserEvent event = TestUsers.event(i);
            eventIds.add(event.userId());
            events.add(new ConsumerRecord<>(TestKafka.USER_TOPIC, 0, 500_000 + i, null, UserEventJson.write(event)));
            UUID tutorialId = UUID.randomUUID();
            eventIds.add(tutorialId);
            byte[] tutorial = TestUsers.tutorialJson(tutorialId, i).getBytes(StandardCharsets.UTF_8);
            tutorials.add(new ConsumerRecord<>(TestKafka.TUTORIAL_TOPIC, 0, 500_000 + i, producedAt, TimestampType.CREATE_TIME,
                    0, tutorial.length, null, tutorial, new RecordHeaders(), Optional.empty()));
        }

        process(InputFormat.USER_EVENT, events);
        process(InputFormat.TUTORIAL, tutorials);
        Map<UUID, StoredUser> firstPass = awaitInBothStores(eventIds);

        process(InputFormat.USER_EVENT, events);
        process(InputFormat.TUTORIAL, tutorials);

        assertThat(postgresRows(eventIds)).isEqualTo(40);
        for (UUID id : eventIds) {
            assertThat(cassandra.findById(id).await().indefinitely()).contains(firstPass.get(id));
            assertThat(postgres.findById(id).await().indefinitely()).contains(firstPass.get(id));
        }
    }

    /** The columns of a user's row in Cassandra as stored, a null where a cell is null (a tombstone). */
    private List<String> cassandraTexts(UUID userId, String... columns) {
        Row row = session.execute(SimpleStatement.newInstance("SELECT " + String.join(", ", columns) + " FROM "
                + config.cassandra().keyspace() + "." + CassandraUserRows.TABLE + " WHERE user_id = ?", userId)).one();
        assertThat(row).as("the row of " + userId).isNotNull();
        return IntStream.range(0, columns.length).mapToObj(i -> row.isNull(i) ? null : row.getString(i)).toList();
    }

    private void process(InputFormat format, List<ConsumerRecord<byte[], byte[]>> records) {
        processor.process(format, new ConsumerRecords<>(Map.of(new TopicPartition(records.get(0).topic(), 0), records),
                Map.of())).await().atMost(Duration.ofSeconds(30));
    }

    private Map<UUID, StoredUser> awaitInBothStores(List<UUID> ids) {
        Map<UUID, StoredUser> stored = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            for (UUID id : ids) {
                if (stored.containsKey(id)) {
                    continue;
                }
                Optional<StoredUser> inCassandra = cassandra.findById(id).await().indefinitely();
                Optional<StoredUser> inPostgres = postgres.findById(id).await().indefinitely();
                assertThat(inCassandra).as("user %s in Cassandra", id).isPresent();
                assertThat(inPostgres).as("user %s in PostgreSQL", id).isPresent();
                assertThat(inCassandra).as("the same content in both stores").isEqualTo(inPostgres);
                stored.put(id, inCassandra.get());
            }
        });
        return stored;
    }

    private long postgresRows(List<UUID> ids) {
        return postgresClient.preparedQuery("SELECT count(*) FROM users WHERE user_id = ANY($1)")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))).await().indefinitely()
                .iterator().next().getLong(0);
    }

    private static long consumed() {
        return (long) MetricsScrape.parse(RestAssured.get("/q/metrics").asString())
                .sum("processor_records_consumed_total");
    }
}
