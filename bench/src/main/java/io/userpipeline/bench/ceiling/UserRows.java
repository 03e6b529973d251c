package io.userpipeline.bench.ceiling;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;

import io.userpipeline.event.UserEvent;
import io.userpipeline.randomuser.ProfileMapper;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.storeduser.UserTransformer;

/**
 * Realistic users for the ceilings, made the way the pipeline makes them: the generator's profiles (the real
 * randomuser.me API for all 21 nationalities), mapped to events by {@link ProfileMapper} as the ingestor maps them
 * and to rows by {@link UserTransformer} as the processor stores them. User {@code n} depends only on {@code n}, so every ceiling
 * and every run writes the same users, and distinct indexes give distinct user ids.
 * <p>
 * The loader shares the two cores with the server it measures, so a user must cost next to nothing: the users
 * cycle through {@value #DISTINCT_PROFILES} profiles made once, each with its own ids and ingestion time. A
 * million users held in memory instead would take over a gigabyte.
 */
public final class UserRows {

    /** The users' ingestion times count from here, one millisecond apart, so that they do not depend on today. */
    private static final Instant FIRST_INGESTION = Instant.parse("2026-01-01T00:00:00Z");
    private static final long SEED = 0x5DEECE66DL;

    private static final int DISTINCT_PROFILES = 8192;
    private static final UserEvent[] EVENTS = new RandomUserGenerator(SEED).profiles(0, DISTINCT_PROFILES).stream()
            .map(profile -> ProfileMapper.toEvent(profile, new UUID(0, 0), "generator", FIRST_INGESTION))
            .toArray(UserEvent[]::new);
    private static final StoredUser[] ROWS = Arrays.stream(EVENTS)
            .map(UserTransformer::toStoredUser)
            .toArray(StoredUser[]::new);

    private UserRows() {
    }

    /** The row user {@code index} is stored as. */
    public static StoredUser row(long index) {
        Identity identity = Identity.of(index);
        return ROWS[profileOf(index)].withIdentity(identity.userId(), identity.eventId(), identity.ingestedAt());
    }

    /** The event user {@code index} is published as, of the size and shape the ingestor publishes. */
    public static UserEvent event(long index) {
        Identity identity = Identity.of(index);
        return EVENTS[profileOf(index)].withIdentity(identity.userId(), identity.eventId(), identity.ingestedAt());
    }

    private static int profileOf(long index) {
        return (int) (index % DISTINCT_PROFILES);
    }

    private record Identity(UUID userId, UUID eventId, Instant ingestedAt) {

        static Identity of(long index) {
            SplittableRandom ids = new SplittableRandom(~SEED * 0x9E3779B97F4A7C15L + index);
            return new Identity(uuid(ids), uuid(ids), FIRST_INGESTION.plusMillis(index));
        }

        private static UUID uuid(SplittableRandom random) {
            long most = (random.nextLong() & ~0xF000L) | 0x4000L;
            long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(most, least);
        }
    }
}
