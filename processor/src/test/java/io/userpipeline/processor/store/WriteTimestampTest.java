package io.userpipeline.processor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.userpipeline.processor.TestUsers;
import io.userpipeline.storeduser.CassandraUserRows;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.storeduser.UserTransformer;

/** Cassandra's write timestamps follow the one order of events, so Cassandra keeps the event PostgreSQL keeps. */
class WriteTimestampTest {

    private static final StoredUser USER = UserTransformer.toStoredUser(TestUsers.event(1));

    @Test
    void theMillisecondsOfIngestionThenTheEventIdsThousandth() {
        Instant at = Instant.parse("2026-06-01T12:00:00.123Z");
        long micros = at.toEpochMilli() * 1000;
        assertThat(CassandraUserRows.writeTimestamp(at(at, new UUID(0, -1)))).isEqualTo(micros);
        assertThat(CassandraUserRows.writeTimestamp(at(at, UUID.fromString("80000000-0000-4000-8000-000000000000"))))
                .isEqualTo(micros + 500);
        assertThat(CassandraUserRows.writeTimestamp(at(at, new UUID(-1, -1)))).isEqualTo(micros + 999);
        assertThat(CassandraUserRows.writeTimestamp(at(Instant.parse("1900-01-01T00:00:00Z"), new UUID(-1, 0))))
                .isEqualTo(Instant.parse("1900-01-01T00:00:00Z").toEpochMilli() * 1000 + 999);
    }

    @Test
    void ofTwoEventsTheLaterInTheOrderNeverHasTheSmallerTimestamp() {
        Random random = new Random(17);
        Instant base = Instant.parse("2026-06-01T12:00:00Z");
        int equalTimestamps = 0;
        for (int i = 0; i < 100_000; i++) {
            StoredUser one = at(base.plusMillis(random.nextInt(3)), new UUID(random.nextLong(), random.nextLong()));
            StoredUser other = at(base.plusMillis(random.nextInt(3)), new UUID(random.nextLong(), random.nextLong()));
            StoredUser earlier = StoredUser.EVENT_ORDER.compare(one, other) <= 0 ? one : other;
            StoredUser later = earlier == one ? other : one;
            assertThat(CassandraUserRows.writeTimestamp(earlier)).as("%s before %s", earlier, later)
                    .isLessThanOrEqualTo(CassandraUserRows.writeTimestamp(later));
            if (CassandraUserRows.writeTimestamp(earlier) == CassandraUserRows.writeTimestamp(later)) {
                equalTimestamps++;
            }
        }
        // A third of the pairs share a millisecond; of those, about 1 in 1,000 share a timestamp: the README's limit.
        assertThat(equalTimestamps).isBetween(1, 100);
    }

    /** The order is PostgreSQL's: uuid values compared as unsigned bytes, which is their text's order. */
    @Test
    void eventIdsOfOneMillisecondAreOrderedAsPostgreSqlOrdersUuids() {
        Random random = new Random(3);
        Instant at = Instant.parse("2026-06-01T12:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            UUID one = new UUID(random.nextLong(), random.nextLong());
            UUID other = new UUID(random.nextLong(), random.nextLong());
            assertThat(Integer.signum(StoredUser.EVENT_ORDER.compare(at(at, one), at(at, other))))
                    .as("%s against %s", one, other).isEqualTo(Integer.signum(one.toString().compareTo(other.toString())));
        }
    }

    private static StoredUser at(Instant ingestedAt, UUID eventId) {
        return USER.withIdentity(USER.userId(), eventId, ingestedAt);
    }
}
