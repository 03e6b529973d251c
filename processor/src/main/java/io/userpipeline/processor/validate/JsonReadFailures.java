package io.userpipeline.processor.validate;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.userpipeline.event.RejectionReason;

/**
 * Which rejection a failure to read JSON is: Jackson says where (the path to the field) and what it expected
 * (the target type); a bad UUID or date, a value of the wrong JSON type and bytes that are not JSON at all are
 * different reasons for the people who read the dead letters.
 */
final class JsonReadFailures {

    private JsonReadFailures() {
    }

    static RecordRejectedException rejection(IOException failure) {
        if (failure instanceof JsonMappingException mapping) {
            return mappingProblem(mapping);
        }
        if (failure instanceof JsonProcessingException notJson) {
            return new RecordRejectedException(RejectionReason.MALFORMED_JSON, null,
                    "the value is not JSON: " + notJson.getOriginalMessage());
        }
        return new RecordRejectedException(RejectionReason.MALFORMED_JSON, null,
                "the value cannot be read: " + failure.getMessage());
    }

    private static RecordRejectedException mappingProblem(JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."));
        String path = joined.isEmpty() ? null : joined;
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() == UUID.class) {
            return new RecordRejectedException(RejectionReason.INVALID_UUID, path,
                    path + " is not a UUID: '" + invalid.getValue() + "'");
        }
        if (e instanceof MismatchedInputException mismatch
                && (mismatch.getTargetType() == LocalDate.class || mismatch.getTargetType() == Instant.class)) {
            return new RecordRejectedException(RejectionReason.INVALID_DATE, path, path + " is not an ISO-8601 "
                    + (mismatch.getTargetType() == LocalDate.class ? "date (yyyy-MM-dd)" : "instant") + ": "
                    + e.getOriginalMessage());
        }
        if (e.getCause() instanceof DateTimeParseException) {
            return new RecordRejectedException(RejectionReason.INVALID_DATE, path,
                    path + " is not an ISO-8601 date: " + e.getCause().getMessage());
        }
        if (path == null) {
            return new RecordRejectedException(RejectionReason.MALFORMED_JSON, null,
                    "the value is not a JSON object of the expected shape: " + e.getOriginalMessage());
        }
        return new RecordRejectedException(RejectionReason.WRONG_TYPE, path,
                path + " has the wrong type: " + e.getOriginalMessage());
    }
}
