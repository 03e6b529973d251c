package io.userpipeline.processor.validate;

/**
 * Why a record was not stored: a short, stable reason code (a metric tag and a dead-letter header), the field
 * at fault when there is one, and a message for people.
 */
public record Rejection(String reason, String field, String message) {

    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    public static final String EMPTY_PAYLOAD = "empty-payload";
    public static final String MALFORMED_JSON = "malformed-json";
    public static final String WRONG_TYPE = "wrong-type";
    public static final String INVALID_UUID = "invalid-uuid";
    public static final String INVALID_DATE = "invalid-date";
    public static final String UNSUPPORTED_SCHEMA_VERSION = "unsupported-schema-version";
    public static final String MISSING_FIELD = "missing-field";
    public static final String INVALID_EMAIL = "invalid-email";
    public static final String INVALID_GENDER = "invalid-gender";
    public static final String INVALID_PHONE = "invalid-phone";
    public static final String TOO_LONG = "too-long";
    public static final String DATE_NOT_IN_PAST = "date-not-in-past";
    public static final String REGISTERED_BEFORE_BIRTH = "registered-before-birth";
    public static final String DATE_OUT_OF_RANGE = "date-out-of-range";
    public static final String DATE_IN_FUTURE = "date-in-future";
    public static final String INVALID_ADDRESS = "invalid-address";
    public static final String CONTROL_CHARACTERS = "control-characters";
    public static final String INVALID_UNICODE = "invalid-unicode";
    public static final String INVALID_VALUE = "invalid-value";
    /**
     * Valid by the contract, but a store refused it for good (the store's words in the message): stored in the
     * stores that took it, if any. Fix the store or the contract, then replay it from the dead-letter topic.
     */
    public static final String STORE_REJECTED = "store-rejected";
    /** The processor failed on the record: a defect to report, not a fault of the record's producer. */
    public static final String PROCESSING_ERROR = "processing-error";

    public static Rejection of(String reason, String field, String message) {
        return new Rejection(reason, field, message);
    }
}
