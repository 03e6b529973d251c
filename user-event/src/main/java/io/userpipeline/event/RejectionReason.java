package io.userpipeline.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a record was not stored, as the dead-letter header {@link DeadLetterHeaders#REASON} and the metric tag
 * {@code reason} carry it. The wire names are stable: dashboards, alerts and dead-letter consumers match on them.
 */
public enum RejectionReason {
    PAYLOAD_TOO_LARGE("payload-too-large"),
    EMPTY_PAYLOAD("empty-payload"),
    MALFORMED_JSON("malformed-json"),
    WRONG_TYPE("wrong-type"),
    INVALID_UUID("invalid-uuid"),
    INVALID_DATE("invalid-date"),
    UNSUPPORTED_SCHEMA_VERSION("unsupported-schema-version"),
    MISSING_FIELD("missing-field"),
    INVALID_EMAIL("invalid-email"),
    INVALID_GENDER("invalid-gender"),
    INVALID_PHONE("invalid-phone"),
    TOO_LONG("too-long"),
    DATE_NOT_IN_PAST("date-not-in-past"),
    REGISTERED_BEFORE_BIRTH("registered-before-birth"),
    DATE_OUT_OF_RANGE("date-out-of-range"),
    DATE_IN_FUTURE("date-in-future"),
    INVALID_ADDRESS("invalid-address"),
    CONTROL_CHARACTERS("control-characters"),
    INVALID_UNICODE("invalid-unicode"),
    INVALID_VALUE("invalid-value"),
    /**
     * Valid by the contract, but a store refused it for good (the store's words in the message): stored in the
     * stores that took it, if any. Fix the store or the contract, then replay it from the dead-letter topic.
     */
    STORE_REJECTED("store-rejected"),
    /** The processor failed on the record: a defect to report, not a fault of the record's producer. */
    PROCESSING_ERROR("processing-error");

    private static final Map<String, RejectionReason> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(RejectionReason::wireName, Function.identity()));

    private final String wireName;

    RejectionReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the value and the known reasons when it is none of them */
    public static RejectionReason fromWireName(String wireName) {
        RejectionReason reason = BY_WIRE_NAME.get(wireName);
        if (reason == null) {
            throw new IllegalArgumentException("'" + wireName + "' is not a rejection reason; the reasons are "
                    + Arrays.stream(values()).map(RejectionReason::wireName).collect(Collectors.joining(", ")));
        }
        return reason;
    }
}
