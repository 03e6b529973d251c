package io.userpipeline.processor.validate;

import io.userpipeline.event.RejectionReason;

/** A record that cannot be accepted, and why; thrown and caught within this package only. */
final class RecordRejectedException extends Exception {

    private final transient Rejection rejection;

    RecordRejectedException(RejectionReason reason, String field, String message) {
        super(message, null, false, false);
        this.rejection = Rejection.of(reason, field, message);
    }

    Rejection rejection() {
        return rejection;
    }
}
