package io.userpipeline.storeduser;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.UUID;

/**
 * A user as both stores hold it: the validated event, normalised, with derived values. One definition for the
 * Cassandra and PostgreSQL rows and the REST API, so that the stores cannot drift apart: its components are the
 * columns of {@link UserColumn}, in the same order, and {@code StoredUserContractTest} fails when they differ.
 *
 * <p>
 * Of several events of one user, the stores keep the last in {@link #EVENT_ORDER}.
 *
 * @param age              whole years from birth to {@code ingestedAt}, not to today, so that a replay writes
 *                         the same row
 * @param emailDomain      the part of the email after the {@code @}
 * @param registrationYear the UTC year of {@code registeredAt}
 */
public record StoredUser(
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

    /**
     * The one order of a user's events, by which the batch merge, PostgreSQL's upsert and Cassandra's write
     * timestamps keep the newest: ingestion time, then, for events ingested in the same millisecond, the event id
     * compared as unsigned bytes, which is PostgreSQL's order of {@code uuid} values.
     */
    public static final Comparator<StoredUser> EVENT_ORDER = Comparator.comparing(StoredUser::ingestedAt)
            .thenComparing(StoredUser::eventId, StoredUser::compareAsBytes);

    /** This user's content under other ids and another ingestion time: another event of a user, or another user. */
    public StoredUser withIdentity(UUID otherUserId, UUID otherEventId, Instant otherIngestedAt) {
        return new StoredUser(otherUserId, otherEventId, source, otherIngestedAt, title, firstName, lastName, gender,
                email, emailDomain, phone, cell, dateOfBirth, age, street, city, state, country, postcode, username,
                registeredAt, registrationYear, pictureUrl, nationality);
    }

    private static int compareAsBytes(UUID left, UUID right) {
        int high = Long.compareUnsigned(left.getMostSignificantBits(), right.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(left.getLeastSignificantBits(), right.getLeastSignificantBits());
    }
}
