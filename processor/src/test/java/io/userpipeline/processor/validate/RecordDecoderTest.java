package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestUsers;

/** The steps together: which records are valid, and which rejected ones name their event. */
class RecordDecoderTest {

    private final RecordDecoder decoder = new RecordDecoder(ValidateFixtures.VALIDATOR, 65_536, Clock.systemUTC());

    @Test
    void aTutorialRecordTimedAheadOfTheProcessorsClockIsStoredAtItsConsumption() {
        Instant hourAhead = Instant.now().plus(Duration.ofHours(1));
        Instant before = Instant.now();

        UserEvent event = valid(tutorial(hourAhead.toEpochMilli(), TimestampType.CREATE_TIME));

        assertThat(event.ingestedAt()).isBetween(before, Instant.now());
        assertThat(event.source()).isEqualTo(TutorialRecordAdapter.SOURCE_TIMED_AT_CONSUMPTION);
    }

    @Test
    void aTutorialRecordWithoutATimestampIsStoredAtItsConsumption() {
        Instant before = Instant.now();

        UserEvent event = valid(tutorial(RecordBatch.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE));

        assertThat(event.ingestedAt()).isBetween(before, Instant.now());
        assertThat(event.source()).isEqualTo(TutorialRecordAdapter.SOURCE_TIMED_AT_CONSUMPTION);
    }

    @Test
    void aTutorialRecordIsTimedByItsTimestampAndReadingItAgainGivesTheSameEvent() {
        long timestamp = Instant.parse("2026-11-30T10:15:30.123Z").toEpochMilli();

        UserEvent first = valid(tutorial(timestamp, TimestampType.CREATE_TIME));
        UserEvent again = valid(tutorial(timestamp, TimestampType.CREATE_TIME));

        assertThat(first.ingestedAt()).isEqualTo(Instant.ofEpochMilli(timestamp));
        assertThat(first.source()).isEqualTo(TutorialRecordAdapter.SOURCE);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aBlankOptionalTextIsAbsentAndABlankRequiredOneIsMissing() {
        UserEvent blankCell = ValidateFixtures.with(TestUsers.event(3), "cell", "  ");
        UserEvent blankGender = ValidateFixtures.with(TestUsers.event(4), "gender", " ");

        assertThat(valid(InputFormat.USER_EVENT, record(UserEventJson.write(blankCell))).cell()).isNull();
        DecodedRecord.Invalid missingGender = invalid(InputFormat.USER_EVENT, record(UserEventJson.write(blankGender)));
        assertThat(missingGender.rejection().reason()).isEqualTo(RejectionReason.MISSING_FIELD.wireName());
        assertThat(missingGender.rejection().field()).isEqualTo("gender");
    }

    @Test
    void aUserEventTimedAheadIsStillTheProducersErrorAndRefused() {
        UserEvent ahead = ValidateFixtures.with(TestUsers.event(1), "ingestedAt", Instant.now().plus(Duration.ofHours(1)));

        DecodedRecord.Invalid invalid = invalid(InputFormat.USER_EVENT, record(UserEventJson.write(ahead)));

        assertThat(invalid.rejection().reason()).isEqualTo(RejectionReason.DATE_IN_FUTURE.wireName());
        assertThat(invalid.rejection().field()).isEqualTo("ingestedAt");
        assertThat(invalid.eventId()).isEqualTo(ahead.eventId());
    }

    @Test
    void aRecordReadButBreakingARuleNamesItsEventAndOneNotReadDoesNot() {
        UserEvent badEmail = ValidateFixtures.with(TestUsers.event(2), "email", "no-at-sign");
        byte[] badTutorialEmail = tutorialJson().replace("jennie.nichols1@example.com", "no-at-sign").getBytes(StandardCharsets.UTF_8);
        byte[] badTutorialAddress = tutorialJson().replace("1 Valwood Pkwy, Billings, Michigan, USA", "nowhere").getBytes(StandardCharsets.UTF_8);

        assertThat(invalid(InputFormat.USER_EVENT, record(UserEventJson.write(badEmail))).eventId()).isEqualTo(badEmail.eventId());
        assertThat(invalid(InputFormat.TUTORIAL, record(badTutorialEmail)).eventId())
                .isEqualTo(TutorialRecordAdapter.eventId(badTutorialEmail));
        assertThat(invalid(InputFormat.TUTORIAL, record(badTutorialAddress)).eventId()).isNull();
        assertThat(invalid(InputFormat.USER_EVENT, record("{not json".getBytes(StandardCharsets.UTF_8))).eventId()).isNull();
    }

    @Test
    void aValidUserEventIsStoredAsSentButForWhiteSpaceAtTheEnds() {
        UserEvent event = TestUsers.event(4);

        UserEvent decoded = valid(InputFormat.USER_EVENT, record(UserEventJson.write(event)));

        assertThat(decoded.firstName()).isEqualTo("Ayşe");
        assertThat(ValidateFixtures.with(decoded, "firstName", event.firstName())).isEqualTo(event);
    }

    private UserEvent valid(ConsumerRecord<byte[], byte[]> tutorial) {
        return valid(InputFormat.TUTORIAL, tutorial);
    }

    private UserEvent valid(InputFormat format, ConsumerRecord<byte[], byte[]> record) {
        DecodedRecord decoded = decoder.decode(format, record);
        assertThat(decoded).as("%s", decoded).isInstanceOf(DecodedRecord.Valid.class);
        return ((DecodedRecord.Valid) decoded).event();
    }

    private DecodedRecord.Invalid invalid(InputFormat format, ConsumerRecord<byte[], byte[]> record) {
        DecodedRecord decoded = decoder.decode(format, record);
        assertThat(decoded).as("%s", decoded).isInstanceOf(DecodedRecord.Invalid.class);
        return (DecodedRecord.Invalid) decoded;
    }

    private static final UUID TUTORIAL_USER = UUID.randomUUID();

    private static String tutorialJson() {
        return TestUsers.tutorialJson(TUTORIAL_USER, 1);
    }

    private static ConsumerRecord<byte[], byte[]> tutorial(long timestamp, TimestampType type) {
        return ValidateFixtures.record("users_created", 0, 11, timestamp, type, tutorialJson().getBytes(StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return ValidateFixtures.record("user-profiles", 0, 11, Instant.now().toEpochMilli(), TimestampType.CREATE_TIME, value);
    }
}
