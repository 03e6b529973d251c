package io.userpipeline.ingestor.schedule;

import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Run ids: short, safe in a URL path, and in the order the runs started. 16 characters of Crockford's base 32 in lower
 * case: 10 for the start's milliseconds since the epoch (until the year 10889), then 6 random ones (30 bits), so
 * that two services, or a service before and after a restart, do not give the same id.
 */
final class RunIds {

    static final int LENGTH = 16;
    private static final char[] DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int TIME_DIGITS = 10;
    private static final int RANDOM_DIGITS = LENGTH - TIME_DIGITS;

    private RunIds() {
    }

    static String next(Instant startedAt, RandomGenerator random) {
        char[] id = new char[LENGTH];
        long millis = startedAt.toEpochMilli();
        for (int i = TIME_DIGITS - 1; i >= 0; i--) {
            id[i] = DIGITS[(int) (millis & 31)];
            millis >>>= 5;
        }
        int bits = random.nextInt(1 << (5 * RANDOM_DIGITS));
        for (int i = LENGTH - 1; i >= TIME_DIGITS; i--) {
            id[i] = DIGITS[bits & 31];
            bits >>>= 5;
        }
        return new String(id);
    }
}
