package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.processor.TestUsers;

/** Text as stored: white space at the ends removed, an empty text absent, everything else kept or refused, never changed. */
class TextCleanerTest {

    static Stream<Arguments> kept() {
        return Stream.of(
                Arguments.of("  Ayşe ", "Ayşe"),
                Arguments.of("Rua Treze de Maio \t", "Rua Treze de Maio"),
                Arguments.of("O'Brien\"; DROP KEYSPACE user_pipeline; --", "O'Brien\"; DROP KEYSPACE user_pipeline; --"),
                Arguments.of("😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
                Arguments.of("Zoë\u0301", "Zoë\u0301"),
                Arguments.of("محمد", "محمد"));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = { "", " ", " \t " })
    void aTextLeftEmptyIsAbsent(String raw) throws RecordRejectedException {
        assertThat(TextCleaner.clean("title", raw)).isNull();
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("kept")
    void textIsKeptButForWhiteSpaceAtItsEnds(String raw, String stored) throws RecordRejectedException {
        assertThat(TextCleaner.clean("city", raw)).isEqualTo(stored);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("NUL", "Null\u0000Byte", RejectionReason.CONTROL_CHARACTERS, "U+0000 at position 4"),
                Arguments.of("a newline inside", "Izmir\nDROP", RejectionReason.CONTROL_CHARACTERS, "U+000A at position 5"),
                Arguments.of("DEL", "a\u007Fb", RejectionReason.CONTROL_CHARACTERS, "U+007F"),
                Arguments.of("a C1 control", "a\u0085b", RejectionReason.CONTROL_CHARACTERS, "U+0085"),
                Arguments.of("a lone high surrogate at the end", "Izmir\ud800", RejectionReason.INVALID_UNICODE, "position 5"),
                Arguments.of("a lone low surrogate", "\udc00Izmir", RejectionReason.INVALID_UNICODE, "position 0"),
                Arguments.of("two high surrogates", "\ud800\ud800\udc00", RejectionReason.INVALID_UNICODE, "position 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void controlCharactersAndBrokenUtf16AreRefusedNamingFieldAndPosition(String label, String raw, RejectionReason reason,
            String where) {
        assertThatThrownBy(() -> TextCleaner.clean("city", raw)).isInstanceOfSatisfying(RecordRejectedException.class, e -> {
            assertThat(e.rejection().reason()).isEqualTo(reason.wireName());
            assertThat(e.rejection().field()).isEqualTo("city");
            assertThat(e.rejection().message()).startsWith("city ").contains(where);
        });
    }

    @Test
    void anEventIsCleanedFieldByFieldAndARefusalNamesTheField() throws RecordRejectedException {
        var event = TestUsers.event(1);
        assertThat(TextCleaner.clean(event).firstName()).isEqualTo("Ayşe");
        assertThat(TextCleaner.clean(event).eventId()).isEqualTo(event.eventId());

        assertThatThrownBy(() -> TextCleaner.clean(ValidateFixtures.with(event, "username", "blue\u0007bird")))
                .isInstanceOfSatisfying(RecordRejectedException.class,
                        e -> assertThat(e.rejection().field()).isEqualTo("username"));
    }
}
