package io.userpipeline.storeduser;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import io.userpipeline.event.UserEvent;

/**
 * Normalises a valid event and derives what the stores and analytics need. A pure function of the event:
 * replaying an event writes exactly the row it wrote the first time. Only what is lossless or derived is
 * normalised (gender and nationality case, the country's one name, the e-mail domain); names, e-mail
 * addresses, phone numbers and postcodes are stored as sent, surrounding white space aside.
 */
public final class UserTransformer {

    private UserTransformer() {
    }

    public static StoredUser toStoredUser(UserEvent event) {
        // Cassandra keeps milliseconds: both stores hold the same instant only if it has no finer part.
        Instant ingestedAt = event.ingestedAt().truncatedTo(ChronoUnit.MILLIS);
        Instant registeredAt = event.registeredAt().truncatedTo(ChronoUnit.MILLIS);
        return new StoredUser(
                event.userId(),
                event.eventId(),
                event.source(),
                ingestedAt,
                event.title(),
                event.firstName(),
                event.lastName(),
                event.gender().toLowerCase(Locale.ROOT),
                event.email(),
                emailDomain(event.email()),
                event.phone(),
                event.cell(),
                event.dateOfBirth(),
                ageAt(event.dateOfBirth(), ingestedAt),
                event.street(),
                event.city(),
                event.state(),
                CountryNames.canonical(event.country()),
                event.postcode(),
                event.username(),
                registeredAt,
                registeredAt.atOffset(ZoneOffset.UTC).getYear(),
                event.pictureUrl(),
                event.nationality() == null ? null : event.nationality().toUpperCase(Locale.ROOT));
    }

    /** Domains are case-insensitive, so analytics group them in lower case; the address itself is kept as sent. */
    static String emailDomain(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    static int ageAt(LocalDate dateOfBirth, Instant at) {
        return Math.max(0, Period.between(dateOfBirth, at.atOffset(ZoneOffset.UTC).toLocalDate()).getYears());
    }
}
