package io.userpipeline.bench.ceiling;

/**
 * How much each ceiling writes before its clock starts: enough for the JIT to compile the client's and the
 * server's hot paths and for connections and buffers to settle, and little next to the measured part.
 */
final class Warmup {

    /** Fewer would be timed over a second or less here, shorter than the servers' flushes and a GC's pause. */
    static final int MINIMUM_MEASURED = 10_000;

    private Warmup() {
    }

    /** A tenth of the measured count, at least 2,000 and at most 50,000. */
    static int countFor(int measured) {
        if (measured < MINIMUM_MEASURED) {
            throw new IllegalArgumentException("A ceiling needs at least " + MINIMUM_MEASURED
                    + " records to time, not " + measured);
        }
        return Math.clamp(measured / 10, 2_000, 50_000);
    }
}
