package io.userpipeline.processor.deadletter;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters a listing shows or a replay re-publishes: every condition given must hold, an empty one holds
 * for all. Applied to the newest dead letter of each identity.
 *
 * @param reasons {@code dlq-reason} values
 * @param from rejected at or after
 * @param to rejected before
 * @param sourceTopic the topic the record was read from
 * @param sources the identities ({@code topic/partition/offset} of the first rejected record)
 * @param eventId the event's id
 */
public record DeadLetterSelection(Set<String> reasons, Instant from, Instant to, String sourceTopic,
        Set<SourceCoordinates> sources, String eventId) {

    public DeadLetterSelection {
        reasons = reasons == null ? Set.of() : Set.copyOf(reasons);
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        sourceTopic = sourceTopic == null || sourceTopic.isBlank() ? null : sourceTopic.strip();
        eventId = eventId == null || eventId.isBlank() ? null : eventId.strip();
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    /** True when no condition is given: everything is selected. */
    public boolean selectsAll() {
        return reasons.isEmpty() && from == null && to == null && sourceTopic == null && sources.isEmpty()
                && eventId == null;
    }

    public boolean matches(DeadLetter letter) {
        return (reasons.isEmpty() || reasons.contains(letter.reason())) && matchesIgnoringReason(letter);
    }

    /** Every condition but the reason: what the counts by reason are taken over. */
    public boolean matchesIgnoringReason(DeadLetter letter) {
        Instant at = letter.rejectedAt();
        return (from == null || (at != null && !at.isBefore(from)))
                && (to == null || (at != null && at.isBefore(to)))
                && (sourceTopic == null || sourceTopic.equals(letter.identity().topic()))
                && (sources.isEmpty() || sources.contains(letter.identity()))
                && (eventId == null || eventId.equals(letter.eventId()));
    }
}
