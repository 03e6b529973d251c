package io.userpipeline.processor.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.userpipeline.processor.ProcessorConfig;

/**
 * The dead letters an operator looks at: each identity once (its newest dead letter), newest first, counted by
 * reason and over time. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class DeadLetterBrowser {

    /** The dead letters of one time bucket, by reason. */
    public record Bucket(Instant start, Map<String, Long> byReason) {
    }

    /**
     * A page of dead letters.
     *
     * @param reading what part of the topic was read
     * @param duplicates dead letters read that repeat an identity already counted (resent, or replayed and rejected again)
     * @param matching identities the selection matches
     * @param byReason identities matching every condition but the reason, by reason
     * @param timeline the same, by time bucket (of their rejection) and reason, oldest first
     * @param deadLetters the newest {@code limit} matching, newest first
     */
    public record Listing(DeadLetterTopic.Reading reading, long duplicates, long matching, Map<String, Long> byReason,
            Duration bucket, List<Bucket> timeline, List<DeadLetter> deadLetters) {
    }

    private final DeadLetterTopic topic;
    private final int previewBytes;

    DeadLetterBrowser(DeadLetterTopic topic, ProcessorConfig config) {
        this.topic = topic;
        this.previewBytes = config.deadLetters().previewBytes();
    }

    public Listing list(DeadLetterSelection selection, int limit, Duration bucket) {
        Map<SourceCoordinates, DeadLetter> newest = new HashMap<>();
        long[] letters = { 0 };
        DeadLetterTopic.Reading reading = topic.read(record -> {
            DeadLetter letter = DeadLetter.read(record, previewBytes);
            if (letter != null) {
                letters[0]++;
                newest.merge(letter.identity(), letter, DeadLetterBrowser::newer);
            }
        });
        Map<String, Long> byReason = new TreeMap<>();
        Map<Instant, Map<String, Long>> timeline = new TreeMap<>();
        List<DeadLetter> matching = new ArrayList<>();
        for (DeadLetter letter : newest.values()) {
            if (selection.matchesIgnoringReason(letter)) {
                byReason.merge(letter.reason(), 1L, Long::sum);
                if (letter.rejectedAt() != null) {
                    Instant start = Instant.ofEpochMilli(Math.floorDiv(letter.rejectedAt().toEpochMilli(), bucket.toMillis())
                            * bucket.toMillis());
                    timeline.computeIfAbsent(start, any -> new TreeMap<>()).merge(letter.reason(), 1L, Long::sum);
                }
                if (selection.matches(letter)) {
                    matching.add(letter);
                }
            }
        }
        matching.sort(NEWEST_FIRST);
        return new Listing(reading, letters[0] - newest.size(), matching.size(), byReason, bucket,
                timeline.entrySet().stream().map(entry -> new Bucket(entry.getKey(), entry.getValue())).toList(),
                List.copyOf(matching.subList(0, Math.min(limit, matching.size()))));
    }

    /** Newest by rejection time, then by place in the dead-letter topic. */
    static final Comparator<DeadLetter> NEWEST_FIRST = Comparator
            .comparing(DeadLetter::rejectedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparingInt(DeadLetter::partition)
            .thenComparingLong(DeadLetter::offset)
            .reversed();

    static DeadLetter newer(DeadLetter one, DeadLetter other) {
        return NEWEST_FIRST.compare(one, other) <= 0 ? one : other;
    }
}
