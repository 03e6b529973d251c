package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.TestUsers;

/** A tutorial record's time, identity and fields, without servers. */
class TutorialRecordAdapterTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final TutorialRecordAdapter ADAPTER = new TutorialRecordAdapter(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final JsonRecordReader READER = new JsonRecordReader(65_536);
    private static final String SAMPLE = TestUsers.tutorialJson(UUID.fromString("7a0eed16-9430-4d68-901f-c0d4c1c3bf00"), 3);

    static Stream<Arguments> timestamps() {
        long now = NOW.toEpochMilli();
        long skew = UserEvent.CLOCK_SKEW.toMillis();
        return Stream.of(
                Arguments.of("the producer's time, a second ago", now - 1_000, TimestampType.CREATE_TIME, now - 1_000, TutorialRecordAdapter.SOURCE),
                Arguments.of("the broker's append time", now - 60_000, TimestampType.LOG_APPEND_TIME, now - 60_000, TutorialRecordAdapter.SOURCE),
                Arguments.of("a year old: a replay", now - Duration.ofDays(365).toMillis(), TimestampType.CREATE_TIME,
                        now - Duration.ofDays(365).toMillis(), TutorialRecordAdapter.SOURCE),
                Arguments.of("a producer's clock 3 minutes fast", now + 180_000, TimestampType.CREATE_TIME, now + 180_000, TutorialRecordAdapter.SOURCE),
                Arguments.of("exactly the contract's skew ahead", now + skew, TimestampType.CREATE_TIME, now + skew, TutorialRecordAdapter.SOURCE),
                Arguments.of("a millisecond beyond the skew", now + skew + 1, TimestampType.CREATE_TIME, now,
                        TutorialRecordAdapter.SOURCE_TIMED_AT_CONSUMPTION),
                Arguments.of("an hour ahead, as far as a Kafka 4 broker lets CreateTime be", now + 3_600_000, TimestampType.CREATE_TIME, now,
                        TutorialRecordAdapter.SOURCE_TIMED_AT_CONSUMPTION),
                Arguments.of("no timestamp: the message format before Kafka 0.10", RecordBatch.NO_TIMESTAMP,
                        TimestampType.NO_TIMESTAMP_TYPE, now, TutorialRecordAdapter.SOURCE_TIMED_AT_CONSUMPTION),
                Arguments.of("the epoch, set by the producer", 0L, TimestampType.CREATE_TIME, 0L, TutorialRecordAdapter.SOURCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void theEventsTimeIsTheRecordsTimestampUnlessItHasNoneOrOneTooFarAhead(String label, long timestamp, TimestampType type,
            long expectedMillis, String expectedSource) throws RecordRejectedException {
        UserEvent event = adapt(ValidateFixtures.record("users_created", 0, 7, timestamp, type, bytes(SAMPLE)));

        assertThat(event.ingestedAt()).isEqualTo(Instant.ofEpochMilli(expectedMillis));
        assertThat(event.source()).isEqualTo(expectedSource);
    }

    @Test
    void theSameBytesAnywhereAreTheSameEvent() throws RecordRejectedException {
        UserEvent original = adapt(ValidateFixtures.record("users_created", 0, 7, NOW.toEpochMilli(), TimestampType.CREATE_TIME, bytes(SAMPLE)));
        UserEvent mirrored = adapt(ValidateFixtures.record("dc2.users_created", 3, 91_004, NOW.toEpochMilli(), TimestampType.CREATE_TIME, bytes(SAMPLE)));
        UserEvent recreatedTopic = adapt(ValidateFixtures.record("users_created", 0, 0, NOW.toEpochMilli() - 5_000, TimestampType.LOG_APPEND_TIME, bytes(SAMPLE)));

        assertThat(mirrored.eventId()).isEqualTo(original.eventId());
        assertThat(recreatedTopic.eventId()).isEqualTo(original.eventId());
    }

    @Test
    void differentBytesAtTheSamePlaceAreDifferentEvents() throws RecordRejectedException {
        String otherRecord = SAMPLE.replace("Jennie", "Jenny");
        UserEvent first = adapt(ValidateFixtures.record(NOW.toEpochMilli(), SAMPLE));
        UserEvent second = adapt(ValidateFixtures.record(NOW.toEpochMilli(), otherRecord));

        assertThat(second.eventId()).isNotEqualTo(first.eventId());
        assertThat(TutorialRecordAdapter.eventId(bytes(SAMPLE + " "))).as("one byte more").isNotEqualTo(first.eventId());
    }

    @Test
    void eventIdsAreRfc9562NameBasedVersion8Uuids() {
        UUID dnsNamespace = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertThat(TutorialRecordAdapter.nameBased(dnsNamespace, bytes("www.example.com")))
                .as("RFC 9562, appendix B.2").isEqualTo(UUID.fromString("5c146b14-3c52-8afd-938a-375d0df1fbf6"));
        UUID id = TutorialRecordAdapter.eventId(bytes(SAMPLE));
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    static Stream<Arguments> fields() {
        return Stream.of(
                Arguments.of("four parts", field("address", "\"8929 Valwood Pkwy, Billings, Michigan, United States\""),
                        (Check) e -> assertThat(new String[] { e.street(), e.city(), e.state(), e.country() })
                                .containsExactly("8929 Valwood Pkwy", " Billings", " Michigan", " United States")),
                Arguments.of("a comma in the street", field("address", "\"Flat 2, 8 Rue X, Lyon, Rhône, France\""),
                        (Check) e -> assertThat(e.street()).isEqualTo("Flat 2, 8 Rue X")),
                Arguments.of("uuid.hex", field("id", "\"7a0eed1694304d68901fc0d4c1c3bf00\""),
                        (Check) e -> assertThat(e.userId()).isEqualTo(UUID.fromString("7a0eed16-9430-4d68-901f-c0d4c1c3bf00"))),
                Arguments.of("a numeric post_code", field("post_code", "10115"), (Check) e -> assertThat(e.postcode()).isEqualTo("10115")),
                Arguments.of("a text post_code", field("post_code", "\"SW1A 1AA\""), (Check) e -> assertThat(e.postcode()).isEqualTo("SW1A 1AA")),
                Arguments.of("dob as an instant", field("dob", "\"1992-03-08T23:13:16.688Z\""),
                        (Check) e -> assertThat(e.dateOfBirth()).isEqualTo(LocalDate.of(1992, 3, 8))),
                Arguments.of("dob as a date", field("dob", "\"1992-03-08\""), (Check) e -> assertThat(e.dateOfBirth()).isEqualTo(LocalDate.of(1992, 3, 8))),
                Arguments.of("registered_date", field("registered_date", "\"2007-07-10T05:51:59.390Z\""),
                        (Check) e -> assertThat(e.registeredAt()).isEqualTo(Instant.parse("2007-07-10T05:51:59.390Z"))),
                Arguments.of("a missing address leaves its parts to the contract", field("address", "null"),
                        (Check) e -> assertThat(e.street()).isNull()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void fieldsBecomeTheEventsFields(String label, UnaryOperator<String> edit, Check check) throws RecordRejectedException {
        check.accept(adapt(ValidateFixtures.record(NOW.toEpochMilli(), edit.apply(SAMPLE))));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("three parts", field("address", "\"Billings, Michigan, United States\""), RejectionReason.INVALID_ADDRESS, "address"),
                Arguments.of("an id that is no UUID", field("id", "\"12\""), RejectionReason.INVALID_UUID, "id"),
                Arguments.of("a dob that is no date", field("dob", "\"tomorrow\""), RejectionReason.INVALID_DATE, "dob"),
                Arguments.of("a registered_date that is no date", field("registered_date", "\"2007\""), RejectionReason.INVALID_DATE, "registered_date"),
                Arguments.of("a boolean post_code", field("post_code", "true"), RejectionReason.WRONG_TYPE, "post_code"),
                Arguments.of("a fraction post_code", field("post_code", "631.04"), RejectionReason.WRONG_TYPE, "post_code"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void fieldsThatCannotBeTheEventsAreRefusedByName(String label, UnaryOperator<String> edit, RejectionReason reason, String field) {
        assertThatThrownBy(() -> adapt(ValidateFixtures.record(NOW.toEpochMilli(), edit.apply(SAMPLE))))
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.rejection().reason()).isEqualTo(reason.wireName());
                    assertThat(e.rejection().field()).isEqualTo(field);
                    assertThat(e.rejection().message()).startsWith(field);
                });
    }

    interface Check {
        void accept(UserEvent event);
    }

    private static UserEvent adapt(ConsumerRecord<byte[], byte[]> record) throws RecordRejectedException {
        return ADAPTER.toEvent(READER.readTutorial(record.value()), record);
    }

    private static UnaryOperator<String> field(String name, String json) {
        return record -> {
            String edited = record.replaceFirst("\"" + name + "\":\\s*(\"[^\"]*\"|[0-9]+|null)", "\"" + name + "\": "
                    + json.replace("\\", "\\\\").replace("$", "\\$"));
            if (edited.equals(record)) {
                throw new IllegalStateException("The sample has no field " + name);
            }
            return edited;
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
