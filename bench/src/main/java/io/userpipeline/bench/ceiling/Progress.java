package io.userpipeline.bench.ceiling;

/**
 * A progress line every few seconds from a loop that calls {@link #update} often, cheap when nothing is due: the
 * rate so far and over the last interval, which shows a server still warming up.
 */
final class Progress {

    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String what;
    private final long total;
    private final long startedAt = System.nanoTime();
    private long nextLineAt = startedAt + INTERVAL_NANOS;
    private long lastLineAt = startedAt;
    private long doneAtLastLine;

    /** @param total what {@code done} counts up to, or 0 where that is not known in advance */
    Progress(String what, long total) {
        this.what = what;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (now >= nextLineAt) {
            nextLineAt = now + INTERVAL_NANOS;
            double seconds = (now - startedAt) / 1e9;
            double lastRate = (done - doneAtLastLine) / ((now - lastLineAt) / 1e9);
            System.out.printf("  %s: %,d%s in %.0f s (%,.0f/s; the last %.0f s %,.0f/s)%n", what, done,
                    total > 0 ? String.format(" of %,d", total) : "", seconds, done / seconds, (now - lastLineAt) / 1e9,
                    lastRate);
            lastLineAt = now;
            doneAtLastLine = done;
        }
    }
}
