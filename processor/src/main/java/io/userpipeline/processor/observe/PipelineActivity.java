package io.userpipeline.processor.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.userpipeline.storeduser.StoredUser;

/**
 * What the status page shows, kept in memory for the last ten minutes: records stored and dead-lettered per
 * ten seconds, event-to-stored latencies, dead letters by reason, and the latest stored users. Bounded: a
 * fixed number of time slots, latency samples and users, whatever the traffic.
 */
@ApplicationScoped
public class PipelineActivity {

    static final Duration SLOT = Duration.ofSeconds(10);
    static final int SLOTS = 60;
    private static final int LATENCY_SAMPLES = 2048;
    private static final int LATEST_USERS = 10;

    /** Counts of one ten-second slot. */
    public record Slot(Instant start, long stored, long deadLettered) {
    }

    /** Percentiles of the most recent event-to-stored latencies, in milliseconds. */
    public record Latency(int samples, long p50Millis, long p95Millis, long p99Millis) {
    }

    /** A stored user as the page lists it. */
    public record LatestUser(String userId, String name, String country, Instant ingestedAt, Instant storedAt) {
    }

    public record Summary(Instant now, List<Slot> slots, Latency latency, Map<String, Long> deadLetteredByReason,
            List<LatestUser> latestUsers) {
    }

    private final long[] slotStart = new long[SLOTS];
    private final long[] stored = new long[SLOTS];
    private final long[] deadLettered = new long[SLOTS];
    private final long[] latencies = new long[LATENCY_SAMPLES];
    private int latencyCount;
    private int latencyNext;
    private final Map<String, Long> reasons = new TreeMap<>();
    private final Deque<LatestUser> latest = new ArrayDeque<>();

    /** Records a stored batch: the users in the order stored, and when their writes finished. */
    public synchronized void stored(List<StoredUser> users, Instant at) {
        slotAt(at, stored, users.size());
        for (StoredUser user : users) {
            latencies[latencyNext] = Math.max(0, Duration.between(user.ingestedAt(), at).toMillis());
            latencyNext = (latencyNext + 1) % LATENCY_SAMPLES;
            latencyCount = Math.min(LATENCY_SAMPLES, latencyCount + 1);
        }
        for (StoredUser user : users.subList(Math.max(0, users.size() - LATEST_USERS), users.size())) {
            latest.addFirst(new LatestUser(user.userId().toString(), user.firstName() + " " + user.lastName(),
                    user.country(), user.ingestedAt(), at));
            if (latest.size() > LATEST_USERS) {
                latest.removeLast();
            }
        }
    }

    public synchronized void deadLettered(Map<String, Integer> byReason, Instant at) {
        slotAt(at, deadLettered, byReason.values().stream().mapToInt(Integer::intValue).sum());
        byReason.forEach((reason, count) -> reasons.merge(reason, (long) count, Long::sum));
    }

    public synchronized Summary summary(Instant now) {
        long current = now.toEpochMilli() / SLOT.toMillis();
        List<Slot> slots = new ArrayList<>(SLOTS);
        for (long slot = current - SLOTS + 1; slot <= current; slot++) {
            int index = (int) Math.floorMod(slot, (long) SLOTS);
            boolean live = slotStart[index] == slot;
            slots.add(new Slot(Instant.ofEpochMilli(slot * SLOT.toMillis()), live ? stored[index] : 0,
                    live ? deadLettered[index] : 0));
        }
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        Latency latency = new Latency(latencyCount, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99));
        return new Summary(now, slots, latency, Map.copyOf(reasons), List.copyOf(latest));
    }

    private void slotAt(Instant at, long[] counts, long amount) {
        long slot = at.toEpochMilli() / SLOT.toMillis();
        int index = (int) Math.floorMod(slot, (long) SLOTS);
        if (slotStart[index] != slot) {
            slotStart[index] = slot;
            stored[index] = 0;
            deadLettered[index] = 0;
        }
        counts[index] += amount;
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
