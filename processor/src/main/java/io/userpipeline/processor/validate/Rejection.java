package io.userpipeline.processor.validate;

import io.userpipeline.event.RejectionReason;

/**
 * Why a record was not stored: the reason's wire name (a metric tag and the dead-letter header
 * {@code dlq-reason}), the field at fault when there is one, and a message for people.
 */
public record Rejection(String reason, String field, String message) {

    public Rejection {
        RejectionReason.fromWireName(reason);
    }

    public static Rejection of(RejectionReason reason, String field, String message) {
        return new Rejection(reason.wireName(), field, message);
    }
}
