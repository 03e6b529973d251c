package io.userpipeline.processor.deadletter;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Bytes from a dead letter, safe to show: UTF-8 text as text when it has no control characters but tab and line
 * breaks, anything else as hex; at most a preview's worth, with the whole size. JSON escapes the text; a page shows
 * it as text, never as markup.
 */
public record RenderedBytes(Encoding encoding, String content, int size, boolean cut) {

    public enum Encoding {
        /** UTF-8 text. */
        text,
        /** Lower-case hexadecimal, two digits per byte. */
        hex,
        /** No bytes at all (a null key or value). */
        none
    }

    public static RenderedBytes of(byte[] bytes, int previewBytes) {
        if (bytes == null) {
            return new RenderedBytes(Encoding.none, "", 0, false);
        }
        int shown = Math.min(bytes.length, previewBytes);
        while (shown < bytes.length && shown > 0 && (bytes[shown] & 0xC0) == 0x80) {
            shown--; // never cut a character in two
        }
        boolean cut = shown < bytes.length;
        String text = strictUtf8(bytes, shown);
        if (text != null && text.chars().noneMatch(RenderedBytes::isHiddenControl)) {
            return new RenderedBytes(Encoding.text, text, bytes.length, cut);
        }
        int hexShown = Math.min(bytes.length, previewBytes / 2);
        return new RenderedBytes(Encoding.hex, HexFormat.of().formatHex(bytes, 0, hexShown), bytes.length,
                hexShown < bytes.length);
    }

    private static String strictUtf8(byte[] bytes, int length) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    private static boolean isHiddenControl(int c) {
        return Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
    }
}
