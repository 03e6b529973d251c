package io.userpipeline.processor.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The batch views over the users table, as of {@code refreshedAt}: counts by country, gender and age band, and
 * registrations per day. They count every user stored before {@code refreshedAt}, which comes from PostgreSQL and
 * so is the same on every processor instance; null: never refreshed since the views were created.
 */
public record Analytics(
        Instant refreshedAt,
        long users,
        Map<String, Long> byCountry,
        Map<String, Long> byGender,
        Map<String, Long> byAgeBand,
        Map<LocalDate, Long> registrationsPerDay) {
}
