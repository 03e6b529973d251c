package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.processor.TestUsers;

/** The bytes of either format read as its object, or refused before anything is stored. */
class JsonRecordReaderTest {

    private static final int LIMIT = 2_048;
    private static final JsonRecordReader READER = new JsonRecordReader(LIMIT);

    static Stream<Arguments> refused() {
        byte[] overLimit = new byte[LIMIT + 1];
        Arrays.fill(overLimit, (byte) ' ');
        return Stream.of(
                Arguments.of("no value", InputFormat.USER_EVENT, null, RejectionReason.EMPTY_PAYLOAD, null),
                Arguments.of("zero bytes", InputFormat.TUTORIAL, new byte[0], RejectionReason.EMPTY_PAYLOAD, null),
                Arguments.of("a byte over the limit", InputFormat.USER_EVENT, overLimit, RejectionReason.PAYLOAD_TOO_LARGE, null),
                Arguments.of("a tutorial record over the limit", InputFormat.TUTORIAL, overLimit, RejectionReason.PAYLOAD_TOO_LARGE, null),
                Arguments.of("JSON null as an event", InputFormat.USER_EVENT, utf8("null"), RejectionReason.MALFORMED_JSON, null),
                Arguments.of("JSON null as a tutorial record", InputFormat.TUTORIAL, utf8("null"), RejectionReason.MALFORMED_JSON, null),
                Arguments.of("binary", InputFormat.TUTORIAL, new byte[] { (byte) 0x89, 'P', 'N', 'G' }, RejectionReason.MALFORMED_JSON, null),
                Arguments.of("schema version 99", InputFormat.USER_EVENT, utf8(json(TestUsers.event(0)).replace("\"schemaVersion\":1", "\"schemaVersion\":99")),
                        RejectionReason.UNSUPPORTED_SCHEMA_VERSION, "schemaVersion"),
                Arguments.of("a number for a tutorial name", InputFormat.TUTORIAL,
                        utf8(TestUsers.tutorialJson(UUID.randomUUID(), 1).replace("\"Jennie\"", "7")), RejectionReason.WRONG_TYPE, "first_name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void whatCannotBeReadIsRefusedWithItsReason(String label, InputFormat format, byte[] value, RejectionReason reason, String field) {
        assertThatThrownBy(() -> read(format, value)).isInstanceOfSatisfying(RecordRejectedException.class, e -> {
            assertThat(e.rejection().reason()).as(e.rejection().message()).isEqualTo(reason.wireName());
            assertThat(e.rejection().field()).isEqualTo(field);
        });
    }

    @Test
    void aRecordAtTheLimitIsRead() throws RecordRejectedException {
        UserEvent event = TestUsers.event(3);
        String json = json(event);
        byte[] atLimit = utf8(json + " ".repeat(LIMIT - utf8(json).length));

        assertThat(atLimit).hasSize(LIMIT);
        assertThat(READER.readUserEvent(atLimit)).isEqualTo(event);
    }

    @Test
    void aTutorialRecordIsReadWithItsNumericPostcode() throws RecordRejectedException {
        TutorialUserRecord tutorial = READER.readTutorial(utf8(TestUsers.tutorialJson(UUID.randomUUID(), 5)));

        assertThat(tutorial.firstName()).isEqualTo("Jennie");
        assertThat(tutorial.postCode().isNumber()).isTrue();
    }

    private static Object read(InputFormat format, byte[] value) throws RecordRejectedException {
        return switch (format) {
            case USER_EVENT -> READER.readUserEvent(value);
            case TUTORIAL -> READER.readTutorial(value);
        };
    }

    private static String json(UserEvent event) {
        return new String(UserEventJson.write(event), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
