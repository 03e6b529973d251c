package io.userpipeline.faults;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.testsupport.KafkaTopics;
import io.userpipeline.testsupport.StoredUsers;

/**
 * Compares what a scenario sent with what the pipeline kept. The input topic is the truth of what was sent: every
 * record in it that the scenario did not produce as bad is a valid event. For every user, the newest of its
 * events must be in Cassandra and PostgreSQL, once, with that event's content; every bad record must be in the
 * dead-letter topic, identified by the source topic, partition and offset in its headers.
 */
final class DeliveryAudit {

    /** The stores' order of a user's events (README, "Ordering"): ingestion time in milliseconds, then event id as text. */
    private static final Comparator<UserEvent> NEWEST_LAST = Comparator
            .comparing((UserEvent event) -> event.ingestedAt().truncatedTo(ChronoUnit.MILLIS))
            .thenComparing(event -> event.eventId().toString());


    /** A record the scenario produced as bad: what it is, and the reason it must be rejected for (null: any). */
    private record BadRecord(String label, String reason) {
    }

    private final Map<SourceOffset, BadRecord> badRecords = new HashMap<>();
    private Set<UUID> allowedUserIds;

    void expectBad(SourceOffset where, String label, String reason) {
        badRecords.put(where, new BadRecord(label, reason));
    }

    /** Users the source can produce at all: an id outside this set was made up, e.g. a batch republished as new ids. */
    void allowOnly(Set<UUID> userIds) {
        this.allowedUserIds = userIds;
    }

    /**
     * Waits until the processor's consumer group has committed every partition of the input topic to its end: every
     * record was stored or dead-lettered (offsets are committed only after that).
     */
    static void awaitDrained(Scenario scenario, Duration timeout) {
        String group = "processor-" + scenario.name;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Servers.kafkaAdmin()) {
            while (true) {
                Map<TopicPartition, Long> lag = lag(admin, scenario, group);
                if (lag.values().stream().allMatch(l -> l == 0)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Scenario " + scenario.name + ": the processor has not consumed everything"
                            + " within " + timeout.toSeconds() + " s; lag per partition: " + lag);
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the processor to drain", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not read the consumer group's offsets of " + group, e);
        }
    }

    private static Map<TopicPartition, Long> lag(Admin admin, Scenario scenario, String group)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < scenario.inputPartitions; partition++) {
            latest.put(new TopicPartition(scenario.inputTopic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> lag = new HashMap<>();
        ends.forEach((partition, end) -> {
            OffsetAndMetadata done = committed.get(partition);
            lag.put(partition, end.offset() - (done == null ? 0 : done.offset()));
        });
        return lag;
    }

    /** What was found, in numbers, and each problem in words (the first few of each kind). */
    /**
     * @param eventsResent extra copies of an event, same id and content, in the input topic: the ingestor sent it
     *                     again when Kafka did not acknowledge it; the stores hold it once
     */
    record Findings(int sent, int validEvents, int users, int stored, int deadLettered, int lost, int duplicated,
            int eventsResent, int deadLettersRedelivered, List<String> problems, Map<UUID, UserEvent> newestEvents,
            Map<UUID, Map<String, String>> postgresRows) {
    }

    Findings audit(Scenario scenario) {
        List<String> problems = new ArrayList<>();
        Map<UUID, UserEvent> newest = new HashMap<>();
        Map<UUID, UserEvent> byEventId = new HashMap<>();
        int validEvents = 0;
        int duplicated = 0;
        int resent = 0;
        for (ConsumerRecord<byte[], byte[]> record : KafkaTopics.readAll(Servers.kafka(), scenario.inputTopic)) {
            if (badRecords.containsKey(SourceOffset.of(record))) {
                continue;
            }
            UserEvent event;
            try {
                event = UserEventJson.read(record.value());
            } catch (IOException e) {
                throw new IllegalStateException("Record " + SourceOffset.of(record) + " was neither produced as bad by"
                        + " the scenario nor a readable event: the suite lost track of what it sent", e);
            }
            validEvents++;
            UserEvent earlier = byEventId.putIfAbsent(event.eventId(), event);
            if (earlier != null && earlier.equals(event)) {
                resent++;
            } else if (earlier != null) {
                duplicated++;
                note(problems, "event id " + event.eventId() + " stands for two different events in " + scenario.inputTopic);
            }
            newest.merge(event.userId(), event, (kept, next) -> NEWEST_LAST.compare(next, kept) > 0 ? next : kept);
        }
        if (allowedUserIds != null) {
            for (UUID user : newest.keySet()) {
                if (!allowedUserIds.contains(user)) {
                    duplicated++;
                    note(problems, "user " + user + " was published but the generator never made it: a profile"
                            + " published again under a new id");
                }
            }
        }

        Map<UUID, Map<String, String>> postgres = postgresRows(scenario.database);
        Map<UUID, Map<String, String>> cassandra;
        List<String> countryIndex;
        try (CqlSession session = Servers.cassandra()) {
            cassandra = StoredUsers.inCassandra(session, scenario.keyspace);
            countryIndex = StoredUsers.countryIndexDisagreements(session, scenario.keyspace, cassandra);
        }
        int lost = 0;
        int stored = 0;
        for (UserEvent event : newest.values()) {
            Map<String, String> row = postgres.get(event.userId());
            Map<String, String> cassandraRow = cassandra.get(event.userId());
            String problem = contentProblem(event, row, cassandraRow);
            if (problem == null) {
                stored++;
            } else {
                lost++;
                note(problems, "user " + event.userId() + ": " + problem);
            }
        }
        for (UUID user : union(postgres.keySet(), cassandra.keySet())) {
            if (!newest.containsKey(user)) {
                duplicated++;
                note(problems, "user " + user + " is stored but no valid event of the scenario has that id");
            }
        }
        countryIndex.forEach(disagreement -> note(problems, "users_by_id's country index: " + disagreement));

        Map<SourceOffset, List<ConsumerRecord<byte[], byte[]>>> deadLetters = KafkaTopics.readAll(Servers.kafka(), scenario.deadLetterTopic)
                .stream().collect(Collectors.groupingBy(SourceOffset::ofDeadLetter));
        int deadLettered = 0;
        int redelivered = 0;
        for (Map.Entry<SourceOffset, BadRecord> bad : badRecords.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> letters = deadLetters.get(bad.getKey());
            String expectedReason = bad.getValue().reason();
            if (letters == null) {
                lost++;
                note(problems, "bad record " + bad.getValue().label() + " at " + bad.getKey() + " is not in "
                        + scenario.deadLetterTopic);
                continue;
            }
            deadLettered++;
            redelivered += letters.size() - 1;
            for (ConsumerRecord<byte[], byte[]> letter : letters) {
                String reason = SourceOffset.header(letter, DeadLetterHeaders.REASON);
                if (reason == null || (expectedReason != null && !expectedReason.equals(reason))) {
                    note(problems, "bad record " + bad.getValue().label() + " was dead-lettered for " + reason + " ("
                            + SourceOffset.header(letter, DeadLetterHeaders.MESSAGE) + "), expected " + expectedReason);
                }
            }
        }
        for (SourceOffset where : deadLetters.keySet()) {
            if (!badRecords.containsKey(where)) {
                note(problems, "valid record " + where + " was dead-lettered: "
                        + SourceOffset.header(deadLetters.get(where).get(0), DeadLetterHeaders.REASON) + " "
                        + SourceOffset.header(deadLetters.get(where).get(0), DeadLetterHeaders.MESSAGE));
            }
        }
        return new Findings(validEvents + badRecords.size(), validEvents, newest.size(), stored, deadLettered, lost,
                duplicated, resent, redelivered, problems, newest, postgres);
    }

    /** Null if both stores hold exactly this event for its user, else what is wrong. */
    private static String contentProblem(UserEvent event, Map<String, String> postgres, Map<String, String> cassandra) {
        if (postgres == null || cassandra == null) {
            return "missing from " + (postgres == null ? cassandra == null ? "both stores" : "PostgreSQL" : "Cassandra");
        }
        String expectedEvent = event.eventId().toString();
        if (!expectedEvent.equals(postgres.get("event_id")) || !expectedEvent.equals(cassandra.get("event_id"))) {
            return "the newest event is " + expectedEvent + " but PostgreSQL holds " + postgres.get("event_id")
                    + " and Cassandra " + cassandra.get("event_id");
        }
        if (!postgres.equals(cassandra)) {
            return "Cassandra and PostgreSQL differ: " + cassandra + " vs " + postgres;
        }
        if (!event.firstName().strip().equals(postgres.get("first_name"))
                || !event.lastName().strip().equals(postgres.get("last_name"))
                || !event.email().strip().equals(postgres.get("email"))
                || !event.dateOfBirth().toString().equals(postgres.get("date_of_birth"))
                // The stores keep milliseconds, as Cassandra's timestamps do.
                || !event.ingestedAt().truncatedTo(ChronoUnit.MILLIS).equals(Instant.parse(postgres.get("ingested_at")))) {
            return "the stored row is not the event's content: " + postgres;
        }
        return null;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 50) {
            problems.add(problem);
        }
    }

    private static Set<UUID> union(Set<UUID> a, Set<UUID> b) {
        Set<UUID> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<UUID, Map<String, String>> postgresRows(String database) {
        try (Connection postgres = Servers.postgres(database)) {
            return StoredUsers.inPostgres(postgres);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the users of database " + database, e);
        }
    }
}
