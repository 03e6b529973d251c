package io.userpipeline.processor.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * The batch views over the users table, as of {@code refreshedAt}: counts by country, gender and age band, and
 * registrations per day. Null {@code refreshedAt}: not computed yet since this instance started.
 */
public record Analytics(
        Instant refreshedAt,
        long users,
        Map<String, Long> byCountry,
        Map<String, Long> byGender,
        Map<String, Long> byAgeBand,
        Map<LocalDate, Long> registrationsPerDay) {
}
