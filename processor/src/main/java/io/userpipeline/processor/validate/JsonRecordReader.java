package io.userpipeline.processor.validate;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;

/**
 * Reads a record's value as the object of its input format, with the wire format's strictness (types, duplicate
 * fields, trailing content): what is empty, too large, not JSON or not of the format's shape is refused, saying
 * which field when Jackson knows it.
 */
final class JsonRecordReader {

    private static final ObjectMapper TUTORIAL_MAPPER = UserEventJson.configure(JsonMapper.builder()).build();

    private final int maxRecordBytes;

    JsonRecordReader(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    UserEvent readUserEvent(byte[] value) throws RecordRejectedException {
        checkSize(value);
        UserEvent event;
        try {
            event = UserEventJson.read(value);
        } catch (IOException e) {
            throw JsonReadFailures.rejection(e);
        }
        if (event == null) {
            throw new RecordRejectedException(RejectionReason.MALFORMED_JSON, null, "the value is JSON null, not an event");
        }
        if (event.schemaVersion() != null && event.schemaVersion() != UserEvent.CURRENT_SCHEMA_VERSION) {
            throw new RecordRejectedException(RejectionReason.UNSUPPORTED_SCHEMA_VERSION, "schemaVersion", "schema version "
                    + event.schemaVersion() + " is not supported; this processor reads version "
                    + UserEvent.CURRENT_SCHEMA_VERSION);
        }
        return event;
    }

    TutorialUserRecord readTutorial(byte[] value) throws RecordRejectedException {
        checkSize(value);
        TutorialUserRecord tutorial;
        try {
            tutorial = TUTORIAL_MAPPER.readValue(value, TutorialUserRecord.class);
        } catch (IOException e) {
            throw JsonReadFailures.rejection(e);
        }
        if (tutorial == null) {
            throw new RecordRejectedException(RejectionReason.MALFORMED_JSON, null, "the value is JSON null, not a user record");
        }
        return tutorial;
    }

    private void checkSize(byte[] value) throws RecordRejectedException {
        if (value == null || value.length == 0) {
            throw new RecordRejectedException(RejectionReason.EMPTY_PAYLOAD, null, "the record has no value");
        }
        if (value.length > maxRecordBytes) {
            throw new RecordRejectedException(RejectionReason.PAYLOAD_TOO_LARGE, null, "the value is " + value.length
                    + " bytes; the limit is " + maxRecordBytes + " (pipeline.max-record-bytes)");
        }
    }
}
