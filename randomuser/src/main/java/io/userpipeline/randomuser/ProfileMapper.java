package io.userpipeline.randomuser;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.userpipeline.event.UserEvent;

/**
 * Maps a randomuser-shaped profile to the shared user event. Missing values stay missing (the processor
 * validates and dead-letters with the field named); values that cannot be converted at all, such as an
 * identity that is not a UUID, make the profile unpublishable.
 */
public final class ProfileMapper {

    private ProfileMapper() {
    }

    /** A profile that cannot become an event; the message names the field and the value. */
    public static class UnmappableProfileException extends RuntimeException {
        public UnmappableProfileException(String message) {
            super(message);
        }
    }

    public static UserEvent toEvent(RandomUserProfile profile, UUID eventId, String source, Instant ingestedAt) {
        RandomUserProfile.Name name = profile.name();
        RandomUserProfile.Location location = profile.location();
        RandomUserProfile.Login login = profile.login();
        return new UserEvent(
                UserEvent.CURRENT_SCHEMA_VERSION,
                eventId,
                source,
                ingestedAt,
                userId(login),
                name == null ? null : name.title(),
                name == null ? null : name.first(),
                name == null ? null : name.last(),
                profile.gender(),
                profile.email(),
                profile.phone(),
                profile.cell(),
                dateOfBirth(profile.dob()),
                location == null ? null : street(location.street()),
                location == null ? null : location.city(),
                location == null ? null : location.state(),
                location == null ? null : location.country(),
                location == null ? null : scalar("location.postcode", location.postcode()),
                login == null ? null : login.username(),
                instant("registered.date", profile.registered()),
                profile.picture() == null ? null : profile.picture().large(),
                profile.nat());
    }

    private static UUID userId(RandomUserProfile.Login login) {
        if (login == null || login.uuid() == null) {
            throw new UnmappableProfileException("login.uuid is missing: a profile without it has no stable identity");
        }
        try {
            return UUID.fromString(login.uuid());
        } catch (IllegalArgumentException e) {
            throw new UnmappableProfileException("login.uuid '" + login.uuid() + "' is not a UUID");
        }
    }

    private static LocalDate dateOfBirth(RandomUserProfile.DateAndAge dob) {
        Instant instant = instant("dob.date", dob);
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static Instant instant(String field, RandomUserProfile.DateAndAge dated) {
        if (dated == null || dated.date() == null) {
            return null;
        }
        try {
            return Instant.parse(dated.date());
        } catch (DateTimeParseException e) {
            throw new UnmappableProfileException(field + " '" + dated.date() + "' is not an ISO-8601 instant");
        }
    }

    /** The API's scalars that are numbers or text: a number is kept as the text it was written as. */
    private static String scalar(String field, JsonNode value) {
        try {
            return RandomUserProfile.text(value);
        } catch (IllegalArgumentException e) {
            throw new UnmappableProfileException(field + ": " + e.getMessage());
        }
    }

    private static String street(RandomUserProfile.Street street) {
        if (street == null) {
            return null;
        }
        String number = scalar("location.street.number", street.number());
        if (number == null) {
            return street.name();
        }
        return street.name() == null ? number : number + " " + street.name();
    }
}
