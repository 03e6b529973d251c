package io.userpipeline.event;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.validation.GroupSequence;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A user profile as it travels from the ingestor to the processor, in JSON (see {@link UserEventJson}).
 * <p>
 * The constraints are the contract: the processor accepts an event only if it satisfies all of them, and
 * dead-letters it naming the first field that does not. They apply to values as read, with surrounding white
 * space removed; letter case is the processor's to normalise.
 *
 * @param schemaVersion version of this shape; consumers reject versions they do not know
 * @param eventId       unique per publication: the same user fetched twice gives two events
 * @param source        where the profile came from ({@code randomuser-api}, {@code generator}, {@code tutorial}, or
 *                      {@code tutorial-consumption-time} for a tutorial record timed when it was read)
 * @param ingestedAt    when the ingestor fetched the profile; derived values (age) are computed at this instant
 * @param userId        stable identity of the person (randomuser's {@code login.uuid}): the store key
 */
@JsonPropertyOrder({ "schemaVersion", "eventId", "source", "ingestedAt", "userId" })
@GroupSequence({ UserEvent.class, UserEvent.Format.class })
public record UserEvent(
        @NotNull Integer schemaVersion,
        @NotNull UUID eventId,
        @NotBlank @Size(max = 64) String source,
        @NotNull Instant ingestedAt,
        @NotNull UUID userId,
        @Size(max = 32) String title,
        @NotBlank @Size(max = 100) String firstName,
        @NotBlank @Size(max = 100) String lastName,
        @NotBlank @Pattern(regexp = Gender.PATTERN, flags = Pattern.Flag.CASE_INSENSITIVE, message = "must be one of " + Gender.LIST) String gender,
        @NotBlank @Size(max = 254) @Pattern(regexp = EMAIL, message = EMAIL_RULE, groups = Format.class) String email,
        @NotBlank @Size(max = 32) @Pattern(regexp = PHONE, message = PHONE_RULE, groups = Format.class) String phone,
        @Size(max = 32) @Pattern(regexp = PHONE, message = PHONE_RULE, groups = Format.class) String cell,
        @NotNull @Past LocalDate dateOfBirth,
        @NotBlank @Size(max = 200) String street,
        @NotBlank @Size(max = 100) String city,
        @Size(max = 100) String state,
        @NotBlank @Size(max = MAX_COUNTRY_LENGTH) String country,
        @Size(max = 20) String postcode,
        @NotBlank @Size(max = 100) String username,
        @NotNull Instant registeredAt,
        @Size(max = 500) String pictureUrl,
        @Size(max = 2) String nationality) {

    /** The version this code writes and reads. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    /** The longest country name: the key of {@code /users?country=}, which refuses longer ones. */
    public static final int MAX_COUNTRY_LENGTH = 100;

    /**
     * One {@code @}, no white space, a dot in the domain. Deliberately looser than RFC 5321 checkers: the real API
     * builds addresses from names ({@code hansd..keller@example.com}, local parts in Persian script), and the
     * pipeline stores addresses, it does not send mail to them.
     */
    static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    static final String EMAIL_RULE = "must be one '@' between a local part and a domain with a dot, without white space";

    /** Digits with the punctuation and letters real numbers carry: {@code (272) 790-0888}, {@code 015394 44955}, {@code M12 M77-6122}. */
    static final String PHONE = "[\\p{L} +()\\-./#*]*+\\p{Nd}[\\p{L}\\p{Nd} +()\\-./#*]*+";
    static final String PHONE_RULE = "must contain a digit, and only letters, digits, spaces and + ( ) - . / # *";

    /**
     * The earliest date of birth, registration or ingestion the pipeline accepts; older ones are typing errors.
     * Every time the contract accepts lies between this and {@link #CLOCK_SKEW} past now: both stores hold such
     * times (PostgreSQL's timestamptz and Cassandra's timestamp reach far beyond), and so does every duration
     * computed from them (a {@code Duration} in nanoseconds overflows beyond 292 years).
     */
    public static final LocalDate EARLIEST_DATE = LocalDate.of(1900, 1, 1);

    /**
     * How far ahead of the processor's clock an event's times may be: producers' clocks drift a little, but an
     * event dated in the future would win over every real update until that date.
     */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** This profile under other ids and another ingestion time: another event of a user, or another user. */
    public UserEvent withIdentity(UUID otherUserId, UUID otherEventId, Instant otherIngestedAt) {
        return new UserEvent(schemaVersion, otherEventId, source, otherIngestedAt, otherUserId, title, firstName,
                lastName, gender, email, phone, cell, dateOfBirth, street, city, state, country, postcode, username,
                registeredAt, pictureUrl, nationality);
    }

    @JsonIgnore
    @AssertTrue(message = "dateOfBirth must not be before 1900-01-01")
    public boolean isBornAfterEarliestDate() {
        return dateOfBirth == null || !dateOfBirth.isBefore(EARLIEST_DATE);
    }

    @JsonIgnore
    @AssertTrue(message = "registeredAt must be between 1900-01-01 and now")
    public boolean isRegisteredInRange() {
        return registeredAt == null || !registeredAt.isBefore(EARLIEST_DATE.atStartOfDay(ZoneOffset.UTC).toInstant())
                && !registeredAt.isAfter(Instant.now().plus(CLOCK_SKEW));
    }

    @JsonIgnore
    @AssertTrue(message = "ingestedAt must not be before 1900-01-01")
    public boolean isIngestedAfterEarliestDate() {
        return ingestedAt == null || !ingestedAt.isBefore(EARLIEST_DATE.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @JsonIgnore
    @AssertTrue(message = "ingestedAt must not be in the future")
    public boolean isIngestedInThePast() {
        return ingestedAt == null || !ingestedAt.isAfter(Instant.now().plus(CLOCK_SKEW));
    }

    /** Registration is compared by calendar date: a profile registered on its birth day is plausible. */
    @JsonIgnore
    @AssertTrue(message = "registeredAt must not be before dateOfBirth")
    public boolean isRegisteredNotBeforeBirth() {
        return registeredAt == null || dateOfBirth == null
                || !registeredAt.atOffset(ZoneOffset.UTC).toLocalDate().isBefore(dateOfBirth);
    }

    /**
     * The format rules, checked only once every field is within its length: their patterns cost time that grows
     * faster than the text, so a 60 KB phone number must be refused for its length before any pattern reads it.
     */
    public interface Format {
    }

    /** The genders the pipeline stores; anything else is a validation failure, not a new category. */
    public static final class Gender {
        public static final String PATTERN = "male|female|non-binary|other|unknown";
        public static final String LIST = "male, female, non-binary, other, unknown";

        private Gender() {
        }
    }
}
