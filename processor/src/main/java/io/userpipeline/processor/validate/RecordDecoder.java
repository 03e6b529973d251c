package io.userpipeline.processor.validate;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Reads a record's bytes as a user event and checks it against the contract. Nothing that comes off the topic
 * makes this throw: every problem becomes a {@link Rejection} naming the field and the rule.
 */
@ApplicationScoped
public class RecordDecoder {

    private static final ObjectMapper TUTORIAL_MAPPER = UserEventJson.configure(JsonMapper.builder()).build();
    private static final Map<String, Integer> FIELD_ORDER = fieldOrder();
    private static final String TUTORIAL_SOURCE = "tutorial";
    private static final Pattern UUID_HEX = Pattern.compile("[0-9a-fA-F]{32}");

    private final Validator validator;
    private final int maxRecordBytes;

    RecordDecoder(Validator validator, ProcessorConfig config) {
        this.validator = validator;
        this.maxRecordBytes = config.maxRecordBytes();
    }

    /** A record that cannot be accepted; thrown and caught within this class only. */
    private static final class RejectedException extends Exception {
        final transient Rejection rejection;

        RejectedException(String reason, String field, String message) {
            super(message, null, false, false);
            this.rejection = Rejection.of(reason, field, message);
        }
    }

    public DecodedRecord decode(InputFormat format, ConsumerRecord<byte[], byte[]> record) {
        UserEvent read;
        try {
            read = read(format, record);
        } catch (RejectedException e) {
            return new DecodedRecord.Invalid(record, e.rejection, null);
        }
        try {
            UserEvent event = cleanText(read);
            checkConstraints(event);
            return new DecodedRecord.Valid(record, event);
        } catch (RejectedException e) {
            return new DecodedRecord.Invalid(record, e.rejection, read.eventId());
        }
    }

    private UserEvent read(InputFormat format, ConsumerRecord<byte[], byte[]> record) throws RejectedException {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new RejectedException(Rejection.EMPTY_PAYLOAD, null, "the record has no value");
        }
        if (value.length > maxRecordBytes) {
            throw new RejectedException(Rejection.PAYLOAD_TOO_LARGE, null, "the value is " + value.length
                    + " bytes; the limit is " + maxRecordBytes + " (pipeline.max-record-bytes)");
        }
        try {
            return switch (format) {
                case USER_EVENT -> checkVersion(UserEventJson.read(value));
                case TUTORIAL -> fromTutorial(TUTORIAL_MAPPER.readValue(value, TutorialUserRecord.class), record);
            };
        } catch (JsonMappingException e) {
            throw mappingProblem(e);
        } catch (JsonProcessingException e) {
            throw new RejectedException(Rejection.MALFORMED_JSON, null, "the value is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RejectedException(Rejection.MALFORMED_JSON, null, "the value cannot be read: " + e.getMessage());
        }
    }

    private static RejectedException mappingProblem(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
        String path = field.isEmpty() ? null : field;
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() == UUID.class) {
            return new RejectedException(Rejection.INVALID_UUID, path, path + " is not a UUID: '" + invalid.getValue() + "'");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && (mismatch.getTargetType() == LocalDate.class || mismatch.getTargetType() == Instant.class)) {
            return new RejectedException(Rejection.INVALID_DATE, path, path + " is not an ISO-8601 "
                    + (mismatch.getTargetType() == LocalDate.class ? "date (yyyy-MM-dd)" : "instant") + ": "
                    + e.getOriginalMessage());
        }
        if (e.getCause() instanceof DateTimeParseException) {
            return new RejectedException(Rejection.INVALID_DATE, path, path + " is not an ISO-8601 date: "
                    + e.getCause().getMessage());
        }
        if (path == null) {
            return new RejectedException(Rejection.MALFORMED_JSON, null, "the value is not a JSON object of the expected"
                    + " shape: " + e.getOriginalMessage());
        }
        return new RejectedException(Rejection.WRONG_TYPE, path, path + " has the wrong type: " + e.getOriginalMessage());
    }

    private static UserEvent checkVersion(UserEvent event) throws RejectedException {
        if (event == null) {
            throw new RejectedException(Rejection.MALFORMED_JSON, null, "the value is JSON null, not an event");
        }
        if (event.schemaVersion() != null && event.schemaVersion() != UserEvent.CURRENT_SCHEMA_VERSION) {
            throw new RejectedException(Rejection.UNSUPPORTED_SCHEMA_VERSION, "schemaVersion", "schema version "
                    + event.schemaVersion() + " is not supported; this processor reads version "
                    + UserEvent.CURRENT_SCHEMA_VERSION);
        }
        return event;
    }

    /**
     * A tutorial record has no event metadata of its own: its identity comes from its place in the topic and its
     * time from the record's timestamp, so that reading it again gives the same event.
     */
    private static UserEvent fromTutorial(TutorialUserRecord tutorial, ConsumerRecord<byte[], byte[]> record)
            throws RejectedException {
        if (tutorial == null) {
            throw new RejectedException(Rejection.MALFORMED_JSON, null, "the value is JSON null, not a user record");
        }
        UUID eventId = UUID.nameUUIDFromBytes((record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        String[] address = splitAddress(tutorial.address());
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, eventId, TUTORIAL_SOURCE,
                Instant.ofEpochMilli(record.timestamp()),
                tutorialUuid(tutorial.id()), null, tutorial.firstName(), tutorial.lastName(), tutorial.gender(),
                tutorial.email(), tutorial.phone(), null,
                tutorialDate("dob", tutorial.dob()), address[0], address[1], address[2], address[3],
                tutorialPostcode(tutorial.postCode()), tutorial.username(), tutorialInstant("registered_date", tutorial.registeredDate()),
                tutorial.picture(), null);
    }

    /** The producers copy the API's postcode as it came: a number for most nationalities, text for the rest. */
    private static String tutorialPostcode(JsonNode postcode) throws RejectedException {
        try {
            return RandomUserProfile.text(postcode);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(Rejection.WRONG_TYPE, "post_code", "post_code has the wrong type: " + e.getMessage());
        }
    }

    /**
     * The producer's own {@code uuid4()}: written {@code str(uuid)} ({@code 7a0eed16-9430-…}) by most, or
     * {@code uuid.hex} (32 hex digits, no dashes) by those that give {@code json.dumps} an encoder for it.
     */
    private static UUID tutorialUuid(String id) throws RejectedException {
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
            throw new RejectedException(Rejection.INVALID_UUID, "id", "id is not a UUID: '" + id + "'");
        }
    }

    private static LocalDate tutorialDate(String field, String text) throws RejectedException {
        Instant instant = tutorialInstant(field, text);
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The tutorials copy randomuser's instants ({@code 1993-07-20T09:44:18.674Z}); a plain date is accepted too. */
    private static Instant tutorialInstant(String field, String text) throws RejectedException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDate.parse(text.trim()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notADate) {
                throw new RejectedException(Rejection.INVALID_DATE, field, field + " is not an ISO-8601 date: '" + text + "'");
            }
        }
    }

    /** {@code "8929 Valwood Pkwy, Billings, Michigan, United States"}: street (which may hold commas), city, state, country. */
    private static String[] splitAddress(String address) throws RejectedException {
        if (address == null || address.isBlank()) {
            return new String[4];
        }
        String[] parts = address.split(",");
        if (parts.length < 4) {
            throw new RejectedException(Rejection.INVALID_ADDRESS, "address",
                    "address must read '<street>, <city>, <state>, <country>': '" + address + "'");
        }
        int n = parts.length;
        String street = String.join(",", java.util.Arrays.copyOfRange(parts, 0, n - 3));
        return new String[] { street, parts[n - 3], parts[n - 2], parts[n - 1] };
    }

    private static UserEvent cleanText(UserEvent e) throws RejectedException {
        return new UserEvent(e.schemaVersion(), e.eventId(), text("source", e.source()), e.ingestedAt(), e.userId(),
                text("title", e.title()), text("firstName", e.firstName()), text("lastName", e.lastName()),
                text("gender", e.gender()), text("email", e.email()), text("phone", e.phone()), text("cell", e.cell()),
                e.dateOfBirth(), text("street", e.street()), text("city", e.city()), text("state", e.state()),
                text("country", e.country()), text("postcode", e.postcode()), text("username", e.username()),
                e.registeredAt(), text("pictureUrl", e.pictureUrl()), text("nationality", e.nationality()));
    }

    /**
     * Trims the value, then refuses control characters (PostgreSQL cannot store NUL, and none belongs in a
     * profile) and broken UTF-16 (half a surrogate pair cannot be encoded, so the stores would hold '?').
     */
    private static String text(String field, String raw) throws RejectedException {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new RejectedException(Rejection.CONTROL_CHARACTERS, field, field + " contains the control character U+"
                        + String.format("%04X", (int) c) + " at position " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new RejectedException(Rejection.INVALID_UNICODE, field, field + " contains half of a UTF-16 surrogate"
                        + " pair at position " + i);
            }
        }
        return value;
    }

    private void checkConstraints(UserEvent event) throws RejectedException {
        Set<ConstraintViolation<UserEvent>> violations = validator.validate(event);
        if (violations.isEmpty()) {
            return;
        }
        ConstraintViolation<UserEvent> first = violations.stream()
                .min(Comparator.comparing(v -> FIELD_ORDER.getOrDefault(field(v), Integer.MAX_VALUE)))
                .orElseThrow();
        String field = field(first);
        String others = violations.size() == 1 ? ""
                : " (and " + (violations.size() - 1) + " more: " + violations.stream().filter(v -> v != first)
                        .map(v -> field(v) + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")) + ")";
        throw new RejectedException(reason(first, field), field, field + " " + first.getMessage() + others);
    }

    /** The event field a violation is about; the cross-field rules are named after the field they judge. */
    private static String field(ConstraintViolation<UserEvent> violation) {
        String path = violation.getPropertyPath().toString();
        return switch (path) {
            case "registeredNotBeforeBirth", "registeredInRange" -> "registeredAt";
            case "bornAfterEarliestDate" -> "dateOfBirth";
            case "ingestedInThePast", "ingestedAfterEarliestDate" -> "ingestedAt";
            default -> path;
        };
    }

    private static String reason(ConstraintViolation<UserEvent> violation, String field) {
        Class<? extends Annotation> rule = violation.getConstraintDescriptor().getAnnotation().annotationType();
        if (rule == NotNull.class || rule == NotBlank.class) {
            return Rejection.MISSING_FIELD;
        }
        if (rule == Size.class) {
            return Rejection.TOO_LONG;
        }
        if (rule == Past.class) {
            return Rejection.DATE_NOT_IN_PAST;
        }
        if (rule == AssertTrue.class) {
            return switch (violation.getPropertyPath().toString()) {
                case "registeredNotBeforeBirth" -> Rejection.REGISTERED_BEFORE_BIRTH;
                case "ingestedInThePast" -> Rejection.DATE_IN_FUTURE;
                default -> Rejection.DATE_OUT_OF_RANGE;
            };
        }
        return switch (field) {
            case "gender" -> Rejection.INVALID_GENDER;
            case "email" -> Rejection.INVALID_EMAIL;
            case "phone", "cell" -> Rejection.INVALID_PHONE;
            default -> Rejection.INVALID_VALUE;
        };
    }

    private static Map<String, Integer> fieldOrder() {
        Map<String, Integer> order = new HashMap<>();
        RecordComponent[] components = UserEvent.class.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            order.put(components[i].getName(), i);
        }
        return order;
    }
}
