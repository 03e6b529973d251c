package io.userpipeline.ingestor.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Holds a run to {@code ingestion.max-rate} profiles per second: pages are cut into slices worth 1/20 s each,
 * and each slice is let through when the rate allows it, so the load on the source and on Kafka is even rather
 * than a burst per page.
 */
public final class PacedPages {

    private static final int SLICES_PER_SECOND = 20;

    private PacedPages() {
    }

    public static Multi<List<RandomUserProfile>> pace(Multi<List<RandomUserProfile>> pages, int profilesPerSecond) {
        int sliceSize = Math.max(1, profilesPerSecond / SLICES_PER_SECOND);
        return Multi.createFrom().deferred(() -> {
            long startedAt = System.nanoTime();
            AtomicLong letThrough = new AtomicLong();
            return pages.onItem().transformToIterable(page -> slices(page, sliceSize))
                    .onItem().call(slice -> {
                        long dueAt = startedAt + letThrough.getAndAdd(slice.size()) * 1_000_000_000L / profilesPerSecond;
                        long wait = dueAt - System.nanoTime();
                        return wait <= 0 ? Uni.createFrom().voidItem()
                                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(wait));
                    });
        });
    }

    private static List<List<RandomUserProfile>> slices(List<RandomUserProfile> page, int sliceSize) {
        List<List<RandomUserProfile>> slices = new ArrayList<>();
        for (int from = 0; from < page.size(); from += sliceSize) {
            slices.add(page.subList(from, Math.min(page.size(), from + sliceSize)));
        }
        return slices;
    }
}
