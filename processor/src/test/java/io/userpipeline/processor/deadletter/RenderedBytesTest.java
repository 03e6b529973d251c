package io.userpipeline.processor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** How a dead letter's bytes are shown, and how a record's place is written and read. */
class RenderedBytesTest {

    @Test
    void utf8TextIsShownAsText() {
        assertThat(RenderedBytes.of("Zoë <b>\n\tŞ".getBytes(StandardCharsets.UTF_8), 1024))
                .isEqualTo(new RenderedBytes(RenderedBytes.Encoding.text, "Zoë <b>\n\tŞ", 12, false));
    }

    @Test
    void bytesThatAreNotUtf8OrHoldControlCharactersAreShownAsHex() {
        assertThat(RenderedBytes.of(new byte[] { (byte) 0xc3, 0x28 }, 1024))
                .isEqualTo(new RenderedBytes(RenderedBytes.Encoding.hex, "c328", 2, false));
        assertThat(RenderedBytes.of("a\u0000b".getBytes(StandardCharsets.UTF_8), 1024).encoding())
                .isEqualTo(RenderedBytes.Encoding.hex);
        assertThat(RenderedBytes.of("bell\u0007".getBytes(StandardCharsets.UTF_8), 1024).encoding())
                .isEqualTo(RenderedBytes.Encoding.hex);
    }

    @Test
    void aLongValueIsCutWithoutSplittingACharacterAndKeepsItsSize() {
        byte[] value = "ab€€€".getBytes(StandardCharsets.UTF_8); // € is three bytes
        assertThat(RenderedBytes.of(value, 4)).isEqualTo(new RenderedBytes(RenderedBytes.Encoding.text, "ab", 11, true));
        assertThat(RenderedBytes.of(value, 5)).isEqualTo(new RenderedBytes(RenderedBytes.Encoding.text, "ab€", 11, true));
        assertThat(RenderedBytes.of(new byte[100], 10))
                .isEqualTo(new RenderedBytes(RenderedBytes.Encoding.hex, "0000000000", 100, true));
    }

    @Test
    void noBytesAtAll() {
        assertThat(RenderedBytes.of(null, 1024)).isEqualTo(new RenderedBytes(RenderedBytes.Encoding.none, "", 0, false));
        assertThat(RenderedBytes.of(new byte[0], 1024)).isEqualTo(new RenderedBytes(RenderedBytes.Encoding.text, "", 0, false));
    }

    @Test
    void aPlaceIsWrittenAndReadAsTopicPartitionOffset() {
        SourceCoordinates place = SourceCoordinates.parse(" user-profiles/3/1234 ");
        assertThat(place).isEqualTo(new SourceCoordinates("user-profiles", 3, 1234));
        assertThat(place).hasToString("user-profiles/3/1234");
        assertThatThrownBy(() -> SourceCoordinates.parse("user-profiles/3")).hasMessageContaining("topic/partition/offset");
        assertThatThrownBy(() -> SourceCoordinates.parse("user-profiles/x/1")).hasMessageContaining("topic/partition/offset");
        assertThatThrownBy(() -> SourceCoordinates.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
