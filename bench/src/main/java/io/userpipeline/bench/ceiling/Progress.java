package io.userpipeline.bench.ceiling;

/** A progress line every few seconds from a loop that calls {@link #update} often, cheap when nothing is due. */
final class Progress {

    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String what;
    private final long total;
    private final long startedAt = System.nanoTime();
    private long nextLineAt = startedAt + INTERVAL_NANOS;

    Progress(String what, long total) {
        this.what = what;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now >= nextLineAt) {
            nextLineAt = now + INTERVAL_NANOS;
            double seconds = (now - startedAt) / 1e9;
            System.out.printf("  %s: %,d of %,d in %.0f s (%,.0f/s)%n", what, done, total, seconds, done / seconds);
        }
    }
}
