package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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

/**
 * A corpus of bad records, interleaved with valid ones: each bad one reaches the dead-letter topic with the
 * right reason and field, the valid ones are stored, and the consumer keeps going.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class BadRecordsTest {

    @Inject
    CassandraUserStore cassandra;

    @Inject
    PostgresUserStore postgres;

    /** What a bad record should be rejected for. */
    record Expected(String reason, String field) {
    }

    record BadRecord(String topic, String key, byte[] value, Expected expected) {
    }

    private final List<BadRecord> corpus = new ArrayList<>();

    private void userEvent(String key, byte[] value, RejectionReason reason, String field) {
        corpus.add(new BadRecord(TestKafka.USER_TOPIC, key, value, new Expected(reason.wireName(), field)));
    }

    private void userEvent(String key, String value, RejectionReason reason, String field) {
        userEvent(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), reason, field);
    }

    /** A valid event's JSON with one change. */
    private void edited(String key, UnaryOperator<String> edit, RejectionReason reason, String field) {
        userEvent(key, edit.apply(new String(UserEventJson.write(TestUsers.event(0)), StandardCharsets.UTF_8)), reason, field);
    }

    private void tutorial(String key, UnaryOperator<String> edit, RejectionReason reason, String field) {
        corpus.add(new BadRecord(TestKafka.TUTORIAL_TOPIC, key,
                edit.apply(TestUsers.tutorialJson(UUID.randomUUID(), 7)).getBytes(StandardCharsets.UTF_8),
                new Expected(reason.wireName(), field)));
    }

    private static UnaryOperator<String> field(String name, String replacementJsonValue) {
        return json -> json.replaceFirst("\"" + name + "\":\\s*(\"[^\"]*\"|[0-9]+|null)",
                Matcher.quoteReplacement("\"" + name + "\":" + replacementJsonValue));
    }

    private static UnaryOperator<String> without(String name) {
        return json -> json.replaceFirst("\"" + name + "\":(\"[^\"]*\"|[0-9]+|null),", "");
    }

    private void buildCorpus() {
        userEvent("bad-empty", new byte[0], RejectionReason.EMPTY_PAYLOAD, null);
        userEvent("bad-not-json", "this is not JSON at all", RejectionReason.MALFORMED_JSON, null);
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (255 - i);
        }
        userEvent("bad-binary", binary, RejectionReason.MALFORMED_JSON, null);
        byte[] huge = new byte[900_000];
        Arrays.fill(huge, (byte) 'x');
        userEvent("bad-huge", huge, RejectionReason.PAYLOAD_TOO_LARGE, null);
        userEvent("bad-json-null", "null", RejectionReason.MALFORMED_JSON, null);
        userEvent("bad-json-array", "[1,2,3]", RejectionReason.MALFORMED_JSON, null);
        edited("bad-truncated", json -> json.substring(0, json.length() / 2), RejectionReason.MALFORMED_JSON, null);
        edited("bad-trailing", json -> json + " {\"more\":1}", RejectionReason.MALFORMED_JSON, null);
        edited("bad-duplicate-key", json -> json.replaceFirst("\\{", "{\"email\":\"a@b.com\","), RejectionReason.MALFORMED_JSON, null);
        edited("bad-schema-version", field("schemaVersion", "99"), RejectionReason.UNSUPPORTED_SCHEMA_VERSION, "schemaVersion");
        edited("bad-uuid", field("userId", "\"not-a-uuid\""), RejectionReason.INVALID_UUID, "userId");
        edited("bad-uuid-injection", field("userId", "\"'; DELETE FROM users; --\""), RejectionReason.INVALID_UUID, "userId");
        edited("bad-uuid-type", field("userId", "12345"), RejectionReason.INVALID_UUID, "userId");
        edited("bad-name-type", field("lastName", "42"), RejectionReason.WRONG_TYPE, "lastName");
        edited("bad-dob-format", field("dateOfBirth", "\"17/05/1990\""), RejectionReason.INVALID_DATE, "dateOfBirth");
        edited("bad-registered-format", field("registeredAt", "\"yesterday\""), RejectionReason.INVALID_DATE, "registeredAt");
        edited("bad-missing-email", without("email"), RejectionReason.MISSING_FIELD, "email");
        edited("bad-missing-user-id", without("userId"), RejectionReason.MISSING_FIELD, "userId");
        edited("bad-missing-event-id", without("eventId"), RejectionReason.MISSING_FIELD, "eventId");
        edited("bad-blank-first-name", field("firstName", "\"   \""), RejectionReason.MISSING_FIELD, "firstName");
        edited("bad-email", field("email", "\"not-an-email\""), RejectionReason.INVALID_EMAIL, "email");
        edited("bad-email-no-dot", field("email", "\"someone@localhost\""), RejectionReason.INVALID_EMAIL, "email");
        edited("bad-email-injection", field("email", "\"x'; DROP TABLE users; --@example.com\""), RejectionReason.INVALID_EMAIL, "email");
        edited("bad-gender", field("gender", "\"robot\""), RejectionReason.INVALID_GENDER, "gender");
        edited("bad-gender-injection", field("gender", "\"male' OR '1'='1\""), RejectionReason.INVALID_GENDER, "gender");
        edited("bad-phone", field("phone", "\"call me maybe\""), RejectionReason.INVALID_PHONE, "phone");
        edited("bad-phone-injection", field("phone", "\"1; DROP KEYSPACE user_pipeline\""), RejectionReason.INVALID_PHONE, "phone");
        edited("bad-long-name", field("firstName", "\"" + "A".repeat(101) + "\""), RejectionReason.TOO_LONG, "firstName");
        edited("bad-long-nationality", field("nationality", "\"TUR\""), RejectionReason.TOO_LONG, "nationality");
        edited("bad-future-birth", field("dateOfBirth", "\"2999-01-01\""), RejectionReason.DATE_NOT_IN_PAST, "dateOfBirth");
        edited("bad-ancient-birth", field("dateOfBirth", "\"1850-01-01\""), RejectionReason.DATE_OUT_OF_RANGE, "dateOfBirth");
        edited("bad-future-ingested", field("ingestedAt", "\"2999-01-01T00:00:00Z\""), RejectionReason.DATE_IN_FUTURE, "ingestedAt");
        edited("bad-far-future-ingested", field("ingestedAt", "\"+300000-01-01T00:00:00Z\""), RejectionReason.DATE_IN_FUTURE, "ingestedAt");
        edited("bad-registered-before-birth", field("registeredAt", "\"1980-01-01T00:00:00Z\""),
                RejectionReason.REGISTERED_BEFORE_BIRTH, "registeredAt");
        edited("bad-control-character", field("lastName", "\"Null\\u0000Byte\""), RejectionReason.CONTROL_CHARACTERS, "lastName");
        edited("bad-newline", field("city", "\"Izmir\\nDROP\""), RejectionReason.CONTROL_CHARACTERS, "city");
        edited("bad-lone-surrogate", field("city", "\"Izmir\\ud800\""), RejectionReason.INVALID_UNICODE, "city");
        tutorial("bad-tutorial-id", field("id", "\"12\""), RejectionReason.INVALID_UUID, "id");
        tutorial("bad-tutorial-address", field("address", "\"nowhere\""), RejectionReason.INVALID_ADDRESS, "address");
        tutorial("bad-tutorial-dob", field("dob", "\"tomorrow\""), RejectionReason.INVALID_DATE, "dob");
        tutorial("bad-tutorial-email", field("email", "null"), RejectionReason.MISSING_FIELD, "email");
        tutorial("bad-tutorial-type", field("first_name", "7"), RejectionReason.WRONG_TYPE, "first_name");
        tutorial("bad-tutorial-postcode-boolean", field("post_code", "true"), RejectionReason.WRONG_TYPE, "post_code");
        tutorial("bad-tutorial-postcode-fraction", field("post_code", "631.04"), RejectionReason.WRONG_TYPE, "post_code");
        tutorial("bad-tutorial-postcode-object", field("post_code", "{\"zip\": 63104}"), RejectionReason.WRONG_TYPE, "post_code");
    }

    @Test
    void everyBadRecordIsDeadLetteredWithItsReasonAndTheValidOnesAroundThemAreStored() {
        buildCorpus();
        List<UserEvent> valid = new ArrayList<>();
        Map<String, List<ProducerRecord<byte[], byte[]>>> byTopic = new LinkedHashMap<>();
        for (BadRecord bad : corpus) {
            UserEvent before = TestUsers.event(valid.size());
            valid.add(before);
            byTopic.computeIfAbsent(TestKafka.USER_TOPIC, t -> new ArrayList<>())
                    .add(TestKafka.record(before.userId().toString(), UserEventJson.write(before)));
            byTopic.computeIfAbsent(bad.topic(), t -> new ArrayList<>()).add(TestKafka.record(bad.key(), bad.value()));
        }
        UserEvent injectionAsData = new UserEvent(1, UUID.randomUUID(), "generator", valid.get(0).ingestedAt(),
                UUID.randomUUID(), null, "Robert'); DROP TABLE users;--", "O'Brien\"; DROP KEYSPACE user_pipeline; --",
                "male", "bobby@example.com", "+1 555 0100", null, valid.get(0).dateOfBirth(), "1 Main St", " Springfield\t",
                null, "United States", "12345", "bobby", valid.get(0).registeredAt(), null, "US");
        valid.add(injectionAsData);
        byTopic.get(TestKafka.USER_TOPIC).add(TestKafka.record("injection-as-data", UserEventJson.write(injectionAsData)));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(30);
        assertThat(corpus.stream().map(BadRecord::key).distinct()).hasSameSizeAs(corpus);

        byTopic.forEach(TestKafka::produce);

        List<ConsumerRecord<byte[], byte[]>> deadLetters = KafkaTopics.readUntil(TestKafka.bootstrap(), TestKafka.DEAD_LETTER_TOPIC,
                Duration.ofSeconds(90), read -> read.stream().filter(r -> isFromCorpus(KafkaTopics.key(r))).count() >= corpus.size());
        for (BadRecord bad : corpus) {
            ConsumerRecord<byte[], byte[]> letter = deadLetters.stream().filter(r -> bad.key().equals(KafkaTopics.key(r)))
                    .findFirst().orElseThrow(() -> new AssertionError(bad.key() + " did not reach the dead-letter topic"));
            assertThat(new Expected(KafkaTopics.header(letter, DeadLetterHeaders.REASON),
                    KafkaTopics.header(letter, DeadLetterHeaders.FIELD)))
                    .as("why %s was rejected: %s", bad.key(), KafkaTopics.header(letter, DeadLetterHeaders.MESSAGE))
                    .isEqualTo(bad.expected());
            assertThat(KafkaTopics.header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(bad.topic());
            assertThat(KafkaTopics.header(letter, DeadLetterHeaders.SOURCE_OFFSET)).matches("\\d+");
            assertThat(KafkaTopics.header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(KafkaTopics.header(letter, DeadLetterHeaders.REJECTED_AT)).isNotBlank();
            assertThat(KafkaTopics.header(letter, DeadLetterHeaders.MESSAGE)).isNotBlank();
            assertThat(letter.value()).as("the original bytes of %s", bad.key()).isEqualTo(bad.value());
            if (READABLE_EVENTS.contains(bad.key())) {
                assertThat(KafkaTopics.header(letter, DeadLetterHeaders.EVENT_ID)).as("event id of %s", bad.key())
                        .isEqualTo(eventIdIn(bad.value()));
            } else if (bad.key().equals("bad-not-json")) {
                assertThat(KafkaTopics.header(letter, DeadLetterHeaders.EVENT_ID)).isNull();
            }
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (UserEvent event : valid) {
                assertThat(cassandra.findById(event.userId()).await().indefinitely()).as("%s in Cassandra", event.userId()).isPresent();
                assertThat(postgres.findById(event.userId()).await().indefinitely()).as("%s in PostgreSQL", event.userId()).isPresent();
            }
        });
        var storedInjection = postgres.findById(injectionAsData.userId()).await().indefinitely().orElseThrow();
        assertThat(storedInjection.lastName()).isEqualTo("O'Brien\"; DROP KEYSPACE user_pipeline; --");
        assertThat(storedInjection.city()).as("surrounding white space is trimmed, not rejected").isEqualTo("Springfield");

        UserEvent after = TestUsers.event(999);
        TestKafka.produce(TestKafka.USER_TOPIC, List.of(TestKafka.record(after.userId().toString(), UserEventJson.write(after))));
        await().atMost(Duration.ofSeconds(30)).until(() -> postgres.findById(after.userId()).await().indefinitely().isPresent());
    }

    /** Records that are events, read fine, and break a rule: their dead letters name the event. */
    private static final Set<String> READABLE_EVENTS = Set.of("bad-email", "bad-gender", "bad-control-character",
            "bad-future-birth", "bad-missing-email");

    private static String eventIdIn(byte[] json) {
        Matcher eventId = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"").matcher(new String(json, StandardCharsets.UTF_8));
        assertThat(eventId.find()).isTrue();
        return eventId.group(1);
    }

    private boolean isFromCorpus(String key) {
        return key != null && corpus.stream().anyMatch(bad -> bad.key().equals(key));
    }
}
