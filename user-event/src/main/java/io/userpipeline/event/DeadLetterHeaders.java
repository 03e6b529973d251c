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
    /** When the processor rejected it, ISO-8601. */
    public static final String REJECTED_AT = "dlq-rejected-at";
    /** Present when the original's value and headers were left out because the dead letter was too large. */
    public static final String DROPPED = "dlq-dropped";
    /** The original value's size in bytes, present when only its head is kept. */
    public static final String ORIGINAL_SIZE = "dlq-original-size";

    private DeadLetterHeaders() {
    }
}
