package io.userpipeline.bench.ceiling;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserProfile;
import io.userpipeline.event.UserEvent;
import io.userpipeline.storeduser.StoredUser;

/**
 * Realistic user rows for the ceilings: the stored form of the ingestor's generator's profiles, which reproduce
 * the real randomuser.me API for all 21 nationalities. Row {@code n} depends only on {@code n}, so every ceiling
 * and every run writes the same users, and distinct indexes give distinct user ids.
 * <p>
 * The loader shares the two cores with the server it measures, so a row must cost next to nothing: the rows
 * cycle through {@value #DISTINCT_PROFILES} profiles made once, each row with its own ids and ingestion time.
 * A million rows held in memory instead would take over a gigabyte.
 */
public final class UserRows {

    /** The rows' ingestion times count from here, one millisecond apart, so that they do not depend on today. */
    private static final Instant FIRST_INGESTION = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SEED = 0x5DEECE66DL;

    private static final int DISTINCT_PROFILES = 8192;
    private static final StoredUser[] PROFILES = new RandomUserGenerator(SEED).profiles(0, DISTINCT_PROFILES).stream()
            .map(UserRows::profile)
            .toArray(StoredUser[]::new);

    private UserRows() {
    }

    /** The row at {@code index}. */
    public static StoredUser row(long index) {
        StoredUser profile = PROFILES[(int) (index % DISTINCT_PROFILES)];
        SplittableRandom ids = new SplittableRandom(~SEED * 0x9E3779B97F4A7C15L + index);
        return profile.withIdentity(uuid(ids), uuid(ids), FIRST_INGESTION.plusMillis(index));
    }

    /** The event {@code user} is stored from, of the size and shape the ingestor publishes. */
    public static UserEvent event(StoredUser user) {
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, user.eventId(), user.source(), user.ingestedAt(),
                user.userId(), user.title(), user.firstName(), user.lastName(), user.gender(), user.email(), user.phone(),
                user.cell(), user.dateOfBirth(), user.street(), user.city(), user.state(), user.country(), user.postcode(),
                user.username(), user.registeredAt(), user.pictureUrl(), user.nationality());
    }

    /** A row without ids, stored as the processor stores the profile: {@link #row} gives each row its own. */
    private static StoredUser profile(RandomUserProfile profile) {
        LocalDate born = Instant.parse(profile.dob().date()).atOffset(ZoneOffset.UTC).toLocalDate();
        Instant registered = Instant.parse(profile.registered().date());
        RandomUserProfile.Location location = profile.location();
        String email = profile.email();
        return new StoredUser(
                null,
                null,
                "generator",
                FIRST_INGESTION,
                profile.name().title(),
                profile.name().first().strip(),
                profile.name().last().strip(),
                profile.gender(),
                email,
                email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT),
                profile.phone(),
                profile.cell(),
                born,
                Period.between(born, FIRST_INGESTION.atOffset(ZoneOffset.UTC).toLocalDate()).getYears(),
                (RandomUserProfile.text(location.street().number()) + " " + location.street().name()).strip(),
                location.city().strip(),
                location.state().strip(),
                location.country(),
                RandomUserProfile.text(location.postcode()),
                profile.login().username(),
                registered,
                registered.atOffset(ZoneOffset.UTC).getYear(),
                profile.picture().large(),
                profile.nat());
    }

    private static UUID uuid(SplittableRandom random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
