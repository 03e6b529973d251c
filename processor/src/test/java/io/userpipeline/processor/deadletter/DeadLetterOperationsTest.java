package io.userpipeline.processor.deadletter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestKafka;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.testsupport.KafkaTopics;

/**
 * The dead-letter topic as an operator works with it, against the real servers: listed with reasons and values
 * shown safely, each record once; replayed after its cause was fixed, stored once in both stores however often it
 * is replayed; replayed while still invalid, back in the dead-letter topic once.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class DeadLetterOperationsTest {

    @Inject
    CassandraUserStore cassandra;

    @Inject
    PostgresUserStore postgres;

    @Test
    void deadLettersAreListedByReasonWithHostileValuesShownSafely() {
        String run = UUID.randomUUID().toString();
        byte[] binary = { 0, 1, 2, (byte) 0xff, (byte) 0xfe, 'a', 0x1b };
        String markup = "<img src=x onerror=alert(1)>" + "x".repeat(3000);
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(
                TestKafka.record(run + "-not-json", "{not json"),
                TestKafka.record(run + "-binary", binary),
                TestKafka.record(run + "-markup", markup)));
        JsonPath listing = await().atMost(Duration.ofSeconds(60)).until(() -> list("source-topic=" + TestKafka.USER_TOPIC
                + "&limit=1000"), page -> keyed(page, run).size() == 3);

        Map<String, Map<String, Object>> ours = keyed(listing, run);
        assertThat(ours.get(run + "-not-json")).containsEntry("reason", RejectionReason.MALFORMED_JSON.wireName());
        assertThat(value(ours.get(run + "-not-json"))).containsEntry("encoding", "text").containsEntry("content", "{not json")
                .containsEntry("size", 9).containsEntry("cut", false);
        assertThat(value(ours.get(run + "-binary"))).containsEntry("encoding", "hex")
                .containsEntry("content", "000102fffe611b").containsEntry("size", 7);
        Map<String, Object> cutMarkup = value(ours.get(run + "-markup"));
        assertThat(cutMarkup).containsEntry("encoding", "text").containsEntry("size", markup.length())
                .containsEntry("cut", true);
        assertThat((String) cutMarkup.get("content")).startsWith("<img src=x onerror=alert(1)>").hasSize(1024);
        assertThat(ours.values()).allSatisfy(letter -> assertThat((String) letter.get("source"))
                .startsWith(TestKafka.USER_TOPIC + "/").isEqualTo(letter.get("identity")));
        assertThat(listing.getLong("byReason.'" + RejectionReason.MALFORMED_JSON.wireName() + "'")).isGreaterThanOrEqualTo(3);
        assertThat(listing.getList("timeline")).isNotEmpty();

        JsonPath oneReason = list("reason=" + RejectionReason.MALFORMED_JSON.wireName() + "&limit=1000");
        assertThat(oneReason.getList("deadLetters.reason", String.class)).containsOnly(RejectionReason.MALFORMED_JSON.wireName());
    }

    @Test
    void aDeadLetterSentTwiceIsListedOnce() {
        SourceCoordinates place = uniquePlace();
        UserEvent event = TestUsers.event(1);
        deadLetter(place, UserEventJson.write(event), RejectionReason.INVALID_PHONE, Instant.now().minusSeconds(5));
        deadLetter(place, UserEventJson.write(event), RejectionReason.INVALID_PHONE, Instant.now());

        JsonPath listing = list("source=" + place);

        assertThat(listing.getList("deadLetters.identity", String.class)).containsExactly(place.toString());
        assertThat(listing.getLong("matching")).isEqualTo(1);
        assertThat(listing.getLong("duplicates")).isGreaterThanOrEqualTo(1);
    }

    /**
     * Records refused by an earlier version for a rule this one no longer has (letters in a phone number): replayed,
     * each is stored once in both stores, as the same event with its original time, however often it is replayed.
     */
    @Test
    void aReplayOfRecordsValidNowStoresThemOnceInBothStores() {
        List<SourceCoordinates> places = new ArrayList<>();
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UserEvent event = TestUsers.event(i);
            events.add(event);
            places.add(uniquePlace());
            deadLetter(places.get(i), UserEventJson.write(event), RejectionReason.INVALID_PHONE, Instant.now());
        }
        UUID tutorialUser = UUID.randomUUID();
        SourceCoordinates tutorialPlace = new SourceCoordinates(TestKafka.TUTORIAL_TOPIC, 0, uniquePlace().offset());
        Instant tutorialWritten = Instant.parse("2026-01-02T03:04:05.678Z");
        deadLetter(tutorialPlace, TestUsers.tutorialJson(tutorialUser, 5).getBytes(StandardCharsets.UTF_8),
                RejectionReason.WRONG_TYPE, Instant.now(), tutorialWritten);
        List<SourceCoordinates> selected = new ArrayList<>(places);
        selected.add(tutorialPlace);

        Map<String, Object> first = replayed(selected);
        assertThat(first).containsEntry("selected", 4).containsEntry("sent", 4).containsEntry("failed", 0)
                .containsEntry("skipped", 0);
        for (UserEvent event : events) {
            StoredUser stored = await().atMost(Duration.ofSeconds(60)).until(() -> storedInBoth(event.userId()),
                    Optional::isPresent).orElseThrow();
            assertThat(stored.eventId()).isEqualTo(event.eventId());
            assertThat(stored.ingestedAt()).isEqualTo(event.ingestedAt());
        }
        StoredUser tutorial = await().atMost(Duration.ofSeconds(60)).until(() -> storedInBoth(tutorialUser),
                Optional::isPresent).orElseThrow();
        assertThat(tutorial.ingestedAt()).as("the tutorial record's time is its original record's timestamp")
                .isEqualTo(tutorialWritten);

        Map<String, Object> second = replayed(selected);
        assertThat(second).containsEntry("sent", 4);
        long endAfterSecond = TestKafka.endOffsets(TestKafka.USER_TOPIC) + TestKafka.endOffsets(TestKafka.TUTORIAL_TOPIC);
        await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.committed(TestKafka.USER_TOPIC)
                + TestKafka.committed(TestKafka.TUTORIAL_TOPIC) >= endAfterSecond);
        for (UserEvent event : events) {
            assertThat(storedInBoth(event.userId())).get().satisfies(stored -> {
                assertThat(stored.eventId()).isEqualTo(event.eventId());
                assertThat(stored.ingestedAt()).isEqualTo(event.ingestedAt());
            });
        }
        assertThat(storedInBoth(tutorialUser)).contains(tutorial);
        String country = storedInBoth(events.get(0).userId()).orElseThrow().country();
        List<UUID> listed = cassandra.findByCountry(country, 1000, null).await().indefinitely().users().stream()
                .map(StoredUser::userId).filter(id -> id.equals(events.get(0).userId())).toList();
        assertThat(listed).as("the user in its country's listing").containsExactly(events.get(0).userId());
    }

    @Test
    void aReplayOfStillInvalidRecordsReturnsEachToTheDeadLetterTopicOnce() {
        String run = UUID.randomUUID().toString();
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(TestKafka.record(run + "-a", "still not json"),
                TestKafka.record(run + "-b", "[1, 2]")));
        JsonPath before = await().atMost(Duration.ofSeconds(60)).until(() -> list("reason="
                + RejectionReason.MALFORMED_JSON.wireName() + "&limit=1000"), page -> keyed(page, run).size() == 2);
        List<String> identities = keyed(before, run).values().stream().map(letter -> (String) letter.get("identity")).toList();

        Map<String, Object> replay = replayed(identities.stream().map(SourceCoordinates::parse).toList());
        assertThat(replay).containsEntry("sent", 2);
        JsonPath after = await().atMost(Duration.ofSeconds(60)).until(() -> list(sources(identities)),
                page -> page.getList("deadLetters.replayed", Boolean.class).stream().allMatch(Boolean::booleanValue));
        assertThat(after.getList("deadLetters.identity", String.class)).containsExactlyInAnyOrderElementsOf(identities);
        assertThat(after.getList("deadLetters.source", String.class)).doesNotContainAnyElementsOf(identities);

        Map<String, Object> again = replayed(identities.stream().map(SourceCoordinates::parse).toList());
        assertThat(again).as("each identity once, not its two dead letters").containsEntry("selected", 2)
                .containsEntry("sent", 2);
        List<ConsumerRecord<byte[], byte[]>> returned = KafkaTopics.readUntil(TestKafka.bootstrap(),
                TestKafka.DEAD_LETTER_TOPIC, Duration.ofSeconds(60), read -> replaysOf(read, identities).size() >= 4);
        assertThat(replaysOf(returned, identities)).as("each identity's dead letters from the two replays, one each")
                .hasSize(4).extracting(letter -> KafkaTopics.header(letter, DeadLetterHeaders.REPLAY_OF))
                .containsExactlyInAnyOrder(identities.get(0), identities.get(0), identities.get(1), identities.get(1));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> replaysOf(
                KafkaTopics.readAll(TestKafka.bootstrap(), TestKafka.DEAD_LETTER_TOPIC), identities).size() == 4);
        JsonPath settled = list(sources(identities));
        assertThat(settled.getLong("matching")).isEqualTo(2);
        assertThat(settled.getList("deadLetters.identity", String.class)).containsExactlyInAnyOrderElementsOf(identities);
    }

    private static List<ConsumerRecord<byte[], byte[]>> replaysOf(List<ConsumerRecord<byte[], byte[]>> deadLetters,
            List<String> identities) {
        return deadLetters.stream()
                .filter(letter -> identities.contains(KafkaTopics.header(letter, DeadLetterHeaders.REPLAY_OF))).toList();
    }

    @Test
    void aReplayNeedsASelection() {
        given().contentType(ContentType.JSON).body("{}").post("/dead-letters/replay").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"all\": true, \"reasons\": [\"malformed-json\"]}")
                .post("/dead-letters/replay").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"sources\": [\"user-profiles/zero/1\"]}")
                .post("/dead-letters/replay").then().statusCode(400);
        given().get("/dead-letters?from=yesterday").then().statusCode(400);
        given().get("/dead-letters/replays/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static String sources(List<String> identities) {
        return String.join("&", identities.stream().map(identity -> "source=" + identity).toList());
    }

    private Optional<StoredUser> storedInBoth(UUID userId) {
        Optional<StoredUser> inCassandra = cassandra.findById(userId).await().indefinitely();
        Optional<StoredUser> inPostgres = postgres.findById(userId).await().indefinitely();
        return inCassandra.isPresent() && inCassandra.equals(inPostgres) ? inCassandra : Optional.empty();
    }

    /** Starts a replay of these records and waits for its end. */
    private static Map<String, Object> replayed(List<SourceCoordinates> sources) {
        String body = "{\"sources\": [" + String.join(", ", sources.stream().map(place -> "\"" + place + "\"").toList())
                + "]}";
        String id = given().contentType(ContentType.JSON).body(body).post("/dead-letters/replay")
                .then().statusCode(202).extract().path("id");
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> given().get("/dead-letters/replays/" + id).then().statusCode(200).extract().jsonPath().getMap(""),
                replay -> !"running".equals(replay.get("state")));
    }

    private static JsonPath list(String query) {
        return given().get("/dead-letters?" + query).then().statusCode(200).extract().jsonPath();
    }

    /** The listed dead letters whose key starts with {@code run}, by key. */
    private static Map<String, Map<String, Object>> keyed(JsonPath listing, String run) {
        Map<String, Map<String, Object>> ours = new HashMap<>();
        for (Map<String, Object> letter : listing.<Map<String, Object>>getList("deadLetters")) {
            @SuppressWarnings("unchecked")
            String key = (String) ((Map<String, Object>) letter.get("key")).get("content");
            if (key.startsWith(run)) {
                ours.put(key, letter);
            }
        }
        return ours;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> value(Map<String, Object> letter) {
        return (Map<String, Object>) letter.get("value");
    }

    /** A place no real record has: offsets far beyond what a test writes. */
    private static SourceCoordinates uniquePlace() {
        return new SourceCoordinates(TestKafka.USER_TOPIC, 0, 1_000_000_000L + ThreadLocalRandom.current().nextLong(1L << 40));
    }

    private static void deadLetter(SourceCoordinates place, byte[] original, RejectionReason reason, Instant rejectedAt) {
        deadLetter(place, original, reason, rejectedAt, null);
    }

    /** A dead letter as the processor writes one (as an earlier version did, for a rule since changed). */
    private static void deadLetter(SourceCoordinates place, byte[] original, RejectionReason reason, Instant rejectedAt,
            Instant written) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REASON, utf8(reason.wireName()));
        headers.add(DeadLetterHeaders.MESSAGE, utf8("refused by an earlier rule"));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(place.topic()));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(place.partition())));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(place.offset())));
        if (written != null) {
            headers.add(DeadLetterHeaders.SOURCE_TIMESTAMP, utf8(Long.toString(written.toEpochMilli())));
        }
        headers.add(DeadLetterHeaders.REJECTED_AT, utf8(rejectedAt.toString()));
        TestKafka.produce(TestKafka.DEAD_LETTER_TOPIC, List.of(new ProducerRecord<>("unused", null,
                utf8("dead-letter-" + place.offset()), original, headers)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
