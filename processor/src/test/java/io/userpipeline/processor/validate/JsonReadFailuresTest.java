package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestUsers;

/** What Jackson's failures to read the wire format become: the reason, and the field when Jackson names one. */
class JsonReadFailuresTest {

    private static final String VALID = new String(UserEventJson.write(TestUsers.event(0)), StandardCharsets.UTF_8);

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("not JSON", (UnaryOperator<String>) json -> "this is not JSON at all", RejectionReason.MALFORMED_JSON, null),
                Arguments.of("truncated", (UnaryOperator<String>) json -> json.substring(0, json.length() / 2), RejectionReason.MALFORMED_JSON, null),
                Arguments.of("trailing content", (UnaryOperator<String>) json -> json + " {\"more\":1}", RejectionReason.MALFORMED_JSON, null),
                Arguments.of("a duplicated field", (UnaryOperator<String>) json -> json.replaceFirst("\\{", "{\"email\":\"a@b.com\","),
                        RejectionReason.MALFORMED_JSON, null),
                Arguments.of("an array", (UnaryOperator<String>) json -> "[1,2,3]", RejectionReason.MALFORMED_JSON, null),
                Arguments.of("a UUID that is not one", field("userId", "\"not-a-uuid\""), RejectionReason.INVALID_UUID, "userId"),
                Arguments.of("a UUID that is a number", field("eventId", "12345"), RejectionReason.INVALID_UUID, "eventId"),
                Arguments.of("a date that is not ISO-8601", field("dateOfBirth", "\"17/05/1990\""), RejectionReason.INVALID_DATE, "dateOfBirth"),
                Arguments.of("an instant that is not one", field("registeredAt", "\"yesterday\""), RejectionReason.INVALID_DATE, "registeredAt"),
                Arguments.of("a date that is a number", field("dateOfBirth", "[1990]"), RejectionReason.INVALID_DATE, "dateOfBirth"),
                Arguments.of("a number for text", field("lastName", "42"), RejectionReason.WRONG_TYPE, "lastName"),
                Arguments.of("an object for text", field("phone", "{\"n\":1}"), RejectionReason.WRONG_TYPE, "phone"),
                Arguments.of("text for a number", field("schemaVersion", "\"one\""), RejectionReason.WRONG_TYPE, "schemaVersion"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void eachFailureToReadIsItsReasonNamingTheField(String label, UnaryOperator<String> edit, RejectionReason reason, String field) {
        String json = edit.apply(VALID);
        try {
            UserEventJson.read(json.getBytes(StandardCharsets.UTF_8));
            fail("%s was read: %s", label, json);
        } catch (IOException e) {
            Rejection rejection = JsonReadFailures.rejection(e).rejection();
            assertThat(rejection.reason()).as(rejection.message()).isEqualTo(reason.wireName());
            assertThat(rejection.field()).isEqualTo(field);
            if (field != null) {
                assertThat(rejection.message()).startsWith(field + " ");
            }
        }
    }

    @Test
    void aFailureToReadTheBytesAtAllIsMalformedWithItsMessage() {
        Rejection rejection = JsonReadFailures.rejection(new IOException("stream closed")).rejection();

        assertThat(rejection.reason()).isEqualTo(RejectionReason.MALFORMED_JSON.wireName());
        assertThat(rejection.message()).contains("stream closed");
    }

    private static UnaryOperator<String> field(String name, String json) {
        return record -> {
            String edited = record.replaceFirst("\"" + name + "\":\\s*(\"[^\"]*\"|[0-9]+|null)", "\"" + name + "\":"
                    + json.replace("\\", "\\\\").replace("$", "\\$"));
            if (edited.equals(record)) {
                throw new IllegalStateException("The sample has no field " + name);
            }
            return edited;
        };
    }
}
