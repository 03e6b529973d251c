package io.userpipeline.event;

/**
 * The names of the headers the processor adds to a dead letter, beside the original record's own headers: the
 * wire contract of the dead-letter topic, read by its consumers, the tests and the dashboards.
 */
public final class DeadLetterHeaders {

    /** Why the record was not stored: a {@link RejectionReason#wireName()}. */
    public static final String REASON = "dlq-reason";
    /** The field at fault, when there is one, as the record's format names it. */
    public static final String FIELD = "dlq-field";
    /** The rule and the value, for people. */
    public static final String MESSAGE = "dlq-message";
    /** The event's id, when the record could be read as an event. */
    public static final String EVENT_ID = "dlq-event-id";
    /** With {@link #SOURCE_PARTITION} and {@link #SOURCE_OFFSET}, the dead letter's identity: its record's place. */
    public static final String SOURCE_TOPIC = "dlq-source-topic";
    public static final String SOURCE_PARTITION = "dlq-source-partition";
    public static final String SOURCE_OFFSET = "dlq-source-offset";
    /**
     * The original record's timestamp, milliseconds since the epoch: a replay re-publishes the original with it, so
     * that a tutorial record (whose time is its record's timestamp) does not become newer than what came after it.
     */
    public static final String SOURCE_TIMESTAMP = "dlq-source-timestamp";
    /** When the processor rejected it, ISO-8601. */
    public static final String REJECTED_AT = "dlq-rejected-at";
    /** Present when the original's value and headers were left out because the dead letter was too large. */
    public static final String DROPPED = "dlq-dropped";
    /** The original value's size in bytes, present when only its head is kept. */
    public static final String ORIGINAL_SIZE = "dlq-original-size";
    /**
     * On a record re-published from the dead-letter topic, and so on its dead letter if it is rejected again: the
     * first rejected record's place, {@code topic/partition/offset}. A dead letter's identity is this place when
     * present, else its source coordinates, so a record replayed any number of times is one dead letter.
     */
    public static final String REPLAY_OF = "dlq-replay-of";
    /** On a replayed record: when it was re-published, ISO-8601. */
    public static final String REPLAYED_AT = "dlq-replayed-at";
    /** The prefix of every header above: a replay removes them all before re-publishing the original. */
    public static final String PREFIX = "dlq-";

    private DeadLetterHeaders() {
    }
}
