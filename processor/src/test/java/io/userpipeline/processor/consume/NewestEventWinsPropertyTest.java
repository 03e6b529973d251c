package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.processor.validate.InputFormat;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.storeduser.UserTransformer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.sessions.JqwikSession;

/**
 * The stores' promise on generated histories against the real stores: for every user, Cassandra and PostgreSQL
 * hold exactly the newest of its events by ingestion time, then event id (as PostgreSQL orders uuid values: their
 * text's order), identical in every column, and the country index lists the user under that event's country
 * only.
 * <p>
 * A history: a few users, each sent a few versions out of order, several in the same millisecond, some the same
 * event sent again, with countries that change and optional fields that come and go; each user's events in one of
 * three partitions, as Kafka keys them. Delivered in batches of random sizes across the partitions; after some
 * batches the processor "restarts": the batch was stored but not committed, so it is delivered again from its
 * first record with other batch boundaries, as Kafka does after a crash.
 * <p>
 * Not generated: two events of a user in the same millisecond whose ids fall in the same thousandth of the id
 * space, the one tie Cassandra's write timestamps cannot carry (the README's "Ordering").
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class NewestEventWinsPropertyTest {

    private static final Logger LOG = Logger.getLogger(NewestEventWinsPropertyTest.class);
    private static final int HISTORIES = 40;
    private static final int PARTITIONS = 3;
    private static final Instant BASE = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<String> COUNTRIES = List.of("Iceland", "Chile", "Kenya", "Japan");

    @Inject
    UserBatchProcessor processor;

    @Inject
    CassandraUserStore cassandra;

    @Inject
    PostgresUserStore postgres;

    /** One version of a user: what differs between a user's events. */
    record Version(UUID eventId, int millis, String country, String firstName, String cell) {
    }

    /**
     * @param users      each user's events in the order they are sent
     * @param batchSizes batch boundaries, used in turn
     * @param restarts   whether the processor restarts after a batch, used in turn
     */
    record History(List<List<Version>> users, List<Integer> batchSizes, List<Boolean> restarts) {

        boolean everyTieFitsCassandrasTimestamps() {
            return users.stream().allMatch(versions -> versions.stream()
                    .collect(Collectors.groupingBy(Version::millis, Collectors.mapping(Version::eventId, Collectors.toSet())))
                    .values().stream().allMatch(ids -> ids.stream().map(id -> Math.unsignedMultiplyHigh(
                            id.getMostSignificantBits(), 1000)).distinct().count() == ids.size()));
        }
    }

    static Arbitrary<History> histories() {
        Arbitrary<Version> version = Combinators.combine(
                Arbitraries.longs().tuple2().map(bits -> new UUID(bits.get1(), bits.get2())),
                Arbitraries.of(0, 0, 1, 2, 3_600_000),
                Arbitraries.of(COUNTRIES),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().numeric().ofLength(9).injectNull(0.4))
                .as(Version::new);
        Arbitrary<List<Version>> userEvents = version.list().ofMinSize(1).ofMaxSize(5)
                .flatMap(versions -> Arbitraries.of(versions).list().ofMaxSize(2)
                        .map(resent -> Stream.concat(versions.stream(), resent.stream()).toList()))
                .flatMap(Arbitraries::shuffle);
        return Combinators.combine(
                userEvents.list().ofMinSize(1).ofMaxSize(8),
                Arbitraries.integers().between(1, 9).list().ofSize(16),
                Arbitraries.of(true, false, false, false).list().ofSize(16))
                .as(History::new)
                .filter(History::everyTieFitsCassandrasTimestamps);
    }

    @Test
    void bothStoresHoldEveryUsersNewestEventWhateverTheOrderBatchesAndRestarts() {
        long seed = Long.getLong("history.seed", new Random().nextLong());
        LOG.infof("Histories from seed %d (rerun one with -Dhistory.seed=...)", seed);
        JqwikSession.start();
        try {
            for (int i = 0; i < HISTORIES; i++) {
                long historySeed = seed + i;
                History history = histories().generator(100).next(new Random(historySeed)).value();
                check(history, "history of seed " + historySeed + ": " + history);
            }
        } finally {
            JqwikSession.finish();
        }
    }

    private void check(History history, String what) {
        List<UUID> userIds = history.users().stream().map(events -> UUID.randomUUID()).toList();
        Map<UUID, UserEvent> newest = new HashMap<>();
        List<List<ConsumerRecord<byte[], byte[]>>> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new ArrayList<>());
        }
        for (int u = 0; u < userIds.size(); u++) {
            UserEvent base = TestUsers.event(u);
            for (Version version : history.users().get(u)) {
                UserEvent event = eventOf(base, userIds.get(u), version);
                newest.merge(event.userId(), event, (kept, next) -> newer(next, kept) ? next : kept);
                List<ConsumerRecord<byte[], byte[]>> partition = partitions.get(u % PARTITIONS);
                partition.add(new ConsumerRecord<>(TestKafka.USER_TOPIC, u % PARTITIONS, partition.size(),
                        userIds.get(u).toString().getBytes(), UserEventJson.write(event)));
            }
        }
        deliver(interleave(partitions), history);

        for (UUID user : userIds) {
            StoredUser expected = UserTransformer.toStoredUser(newest.get(user));
            assertThat(postgres.findById(user).await().atMost(Duration.ofSeconds(30))).as("PostgreSQL, %s", what)
                    .contains(expected);
            assertThat(cassandra.findById(user).await().atMost(Duration.ofSeconds(30))).as("Cassandra, %s", what)
                    .contains(expected);
        }
        for (String country : COUNTRIES) {
            Set<UUID> expected = userIds.stream().filter(user -> newest.get(user).country().equals(country))
                    .collect(Collectors.toSet());
            assertThat(listedIn(country, new HashSet<>(userIds))).as("users of %s, %s", country, what)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The order the stores promise, stated without their code: ingestion time, then event id as text. */
    private static boolean newer(UserEvent event, UserEvent than) {
        return Comparator.comparing(UserEvent::ingestedAt).thenComparing(e -> e.eventId().toString())
                .compare(event, than) > 0;
    }

    /** Kafka's delivery: each partition in order, the partitions interleaved. */
    private static List<ConsumerRecord<byte[], byte[]>> interleave(List<List<ConsumerRecord<byte[], byte[]>>> partitions) {
        List<ConsumerRecord<byte[], byte[]>> delivery = new ArrayList<>();
        for (int i = 0; delivery.size() < partitions.stream().mapToInt(List::size).sum(); i++) {
            for (List<ConsumerRecord<byte[], byte[]>> partition : partitions) {
                if (i < partition.size()) {
                    delivery.add(partition.get(i));
                }
            }
        }
        return delivery;
    }

    private void deliver(List<ConsumerRecord<byte[], byte[]>> delivery, History history) {
        int next = 0;
        int turn = 0;
        boolean restarted = false;
        while (next < delivery.size()) {
            int size = history.batchSizes().get(turn % history.batchSizes().size());
            List<ConsumerRecord<byte[], byte[]>> batch = delivery.subList(next, Math.min(delivery.size(), next + size));
            processor.process(InputFormat.USER_EVENT, consumerRecords(batch)).await().atMost(Duration.ofSeconds(30));
            boolean restart = !restarted && history.restarts().get(turn % history.restarts().size());
            if (!restart) {
                next += batch.size();
            }
            restarted = restart;
            turn++;
        }
    }

    private static ConsumerRecords<byte[], byte[]> consumerRecords(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        batch.forEach(record -> byPartition.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                partition -> new ArrayList<>()).add(record));
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    /** The users among {@code ours} that the country query lists, every page read. */
    private Set<UUID> listedIn(String country, Set<UUID> ours) {
        Set<UUID> listed = new HashSet<>();
        String page = null;
        do {
            CassandraUserStore.Page read = cassandra.findByCountry(country, 1000, page).await().atMost(Duration.ofSeconds(30));
            read.users().stream().map(StoredUser::userId).filter(ours::contains).forEach(listed::add);
            page = read.next();
        } while (page != null);
        return listed;
    }

    private static UserEvent eventOf(UserEvent base, UUID userId, Version version) {
        return new UserEvent(base.schemaVersion(), version.eventId(), base.source(), BASE.plusMillis(version.millis()),
                userId, base.title(), version.firstName(), base.lastName(), base.gender(), base.email(), base.phone(),
                version.cell(), base.dateOfBirth(), base.street(), base.city(), base.state(), version.country(),
                base.postcode(), base.username(), base.registeredAt(), base.pictureUrl(), base.nationality());
    }
}
