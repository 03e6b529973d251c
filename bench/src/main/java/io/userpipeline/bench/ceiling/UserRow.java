package io.userpipeline.bench.ceiling;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.userpipeline.event.UserEvent;

/**
 * A user as the processor stores it, column for column (the processor's {@code StoredUser}, which the benchmark
 * cannot use: it lives in the packaged Quarkus application).
 */
public record UserRow(
        UUID userId,
        UUID eventId,
        String source,
        Instant ingestedAt,
        String title,
        String firstName,
        String lastName,
        String gender,
        String email,
        String emailDomain,
        String phone,
        String cell,
        LocalDate dateOfBirth,
        int age,
        String street,
        String city,
        String state,
        String country,
        String postcode,
        String username,
        Instant registeredAt,
        int registrationYear,
        String pictureUrl,
        String nationality) {

    /** The event this row is stored from, for records of the size and shape the ingestor publishes. */
    public UserEvent toEvent() {
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, eventId, source, ingestedAt, userId, title, firstName,
                lastName, gender, email, phone, cell, dateOfBirth, street, city, state, country, postcode, username,
                registeredAt, pictureUrl, nationality);
    }
}
