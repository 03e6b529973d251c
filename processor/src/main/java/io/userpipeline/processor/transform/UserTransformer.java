package io.userpipeline.processor.transform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import io.userpipeline.event.UserEvent;

/**
 * Normalises a valid event and derives what the stores and analytics need. A pure function of the event:
 * replaying an event writes exactly the row it wrote the first time.
 */
public final class UserTransformer {

    private UserTransformer() {
    }

    public static StoredUser toStoredUser(UserEvent event) {
        String email = event.email().toLowerCase(Locale.ROOT);
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
                email,
                email.substring(email.lastIndexOf('@') + 1),
                phoneDigits(event.phone()),
                phoneDigits(event.cell()),
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

    /** Keeps digits and a leading {@code +}: {@code (272) 790-0888} becomes {@code 2727900888}. */
    static String phoneDigits(String phone) {
        if (phone == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9' || c == '+' && digits.isEmpty()) {
                digits.append(c);
            }
        }
        return digits.toString();
    }

    static int ageAt(LocalDate dateOfBirth, Instant at) {
        return Math.max(0, Period.between(dateOfBirth, at.atOffset(ZoneOffset.UTC).toLocalDate()).getYears());
    }
}
