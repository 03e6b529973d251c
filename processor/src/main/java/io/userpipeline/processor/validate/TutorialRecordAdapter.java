package io.userpipeline.processor.validate;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;

import com.fasterxml.jackson.databind.JsonNode;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.deadletter.ReplayedRecords;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Makes a user event of a tutorial producer's record. The record has no event metadata of its own, so the
 * event's identity comes from the record's bytes and its time from the Kafka record's timestamp (see the root
 * README, "What is accepted, refused and changed"): neither depends on where in which topic the record is, and
 * neither is ever a reason to refuse it, since neither is the user's data.
 */
final class TutorialRecordAdapter {

    /** The source of a tutorial event whose time is its Kafka record's timestamp. */
    static final String SOURCE = "tutorial";
    /**
     * The source of a tutorial event whose time is when the processor read it, because its record has no usable
     * timestamp: such an event's time, unlike the other's, changes when the record is read again.
     */
    static final String SOURCE_TIMED_AT_CONSUMPTION = "tutorial-consumption-time";

    /** The namespace of tutorial records' event ids, so that no other name-based id over the same bytes equals one. */
    static final UUID EVENT_ID_NAMESPACE = UUID.fromString("3f0c7a52-5d0e-4f2b-9a36-2c8e1d7b64a9");

    private static final Pattern UUID_HEX = Pattern.compile("[0-9a-fA-F]{32}");

    private final Clock clock;

    TutorialRecordAdapter(Clock clock) {
        this.clock = clock;
    }

    UserEvent toEvent(TutorialUserRecord tutorial, ConsumerRecord<byte[], byte[]> record) throws RecordRejectedException {
        Instant consumedAt = clock.instant();
        Instant timestamp = usableTimestamp(ReplayedRecords.writtenAt(record), consumedAt);
        String[] address = splitAddress(tutorial.address());
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, eventId(record.value()),
                timestamp == null ? SOURCE_TIMED_AT_CONSUMPTION : SOURCE,
                timestamp == null ? consumedAt : timestamp,
                userId(tutorial.id()), null, tutorial.firstName(), tutorial.lastName(), tutorial.gender(),
                tutorial.email(), tutorial.phone(), null,
                date("dob", tutorial.dob()), address[0], address[1], address[2], address[3],
                postcode(tutorial.postCode()), tutorial.username(), instant("registered_date", tutorial.registeredDate()),
                tutorial.picture(), null);
    }

    /**
     * The record's timestamp, or null when it has none ({@link RecordBatch#NO_TIMESTAMP}, from the message format
     * before Kafka 0.10) or one further ahead of {@code now} than the contract lets any event's time be: a
     * producer's clock set wrong says nothing about when the profile arrived.
     */
    static Instant usableTimestamp(long timestamp, Instant now) {
        if (timestamp < 0) {
            return null;
        }
        Instant instant = Instant.ofEpochMilli(timestamp);
        return instant.isAfter(now.plus(UserEvent.CLOCK_SKEW)) ? null : instant;
    }

    /**
     * A name-based UUID of the record's value: the same bytes anywhere, another topic, partition or offset
     * included, give the same id; different bytes give different ids.
     */
    static UUID eventId(byte[] value) {
        return nameBased(EVENT_ID_NAMESPACE, value);
    }

    /**
     * RFC 9562's name-based UUID version 8 (its appendix B.2): SHA-256 of the namespace and the name, its first 16
     * bytes with the version and variant bits set. SHA-256 rather than the MD5 of version 3 or the SHA-1 of
     * version 5, whose collisions can be made on purpose.
     */
    static UUID nameBased(UUID namespace, byte[] name) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        sha256.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        ByteBuffer hash = ByteBuffer.wrap(sha256.digest(name));
        hash.put(6, (byte) (hash.get(6) & 0x0f | 0x80));
        hash.put(8, (byte) (hash.get(8) & 0x3f | 0x80));
        return new UUID(hash.getLong(0), hash.getLong(8));
    }

    /** The producers copy the API's postcode as it came: a number for most nationalities, text for the rest. */
    private static String postcode(JsonNode postcode) throws RecordRejectedException {
        try {
            return RandomUserProfile.text(postcode);
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(RejectionReason.WRONG_TYPE, "post_code", "post_code has the wrong type: " + e.getMessage());
        }
    }

    /**
     * The producer's own {@code uuid4()}: written {@code str(uuid)} ({@code 7a0eed16-9430-…}) by most, or
     * {@code uuid.hex} (32 hex digits, no dashes) by those that give {@code json.dumps} an encoder for it.
     */
    private static UUID userId(String id) throws RecordRejectedException {
        if (id == null || id.isBlank()) {
            return null;
        }
        String text = id.trim();
        if (UUID_HEX.matcher(text).matches()) {
            text = text.substring(0, 8) + "-" + text.substring(8, 12) + "-" + text.substring(12, 16) + "-"
                    + text.substring(16, 20) + "-" + text.substring(20);
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(RejectionReason.INVALID_UUID, "id", "id is not a UUID: '" + id + "'");
        }
    }

    private static LocalDate date(String field, String text) throws RecordRejectedException {
        Instant instant = instant(field, text);
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The tutorials copy randomuser's instants ({@code 1993-07-20T09:44:18.674Z}); a plain date is accepted too. */
    private static Instant instant(String field, String text) throws RecordRejectedException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new RecordRejectedException(RejectionReason.INVALID_DATE, field, field + " is not an ISO-8601 date: '" + text + "'");
            }
        }
    }

    /** {@code "8929 Valwood Pkwy, Billings, Michigan, United States"}: street (which may hold commas), city, state, country. */
    private static String[] splitAddress(String address) throws RecordRejectedException {
        if (address == null || address.isBlank()) {
            return new String[4];
        }
        String[] parts = address.split(",");
        if (parts.length < 4) {
            throw new RecordRejectedException(RejectionReason.INVALID_ADDRESS, "address",
                    "address must read '<street>, <city>, <state>, <country>': '" + address + "'");
        }
        int n = parts.length;
        String street = String.join(",", Arrays.copyOfRange(parts, 0, n - 3));
        return new String[] { street, parts[n - 3], parts[n - 2], parts[n - 1] };
    }
}
