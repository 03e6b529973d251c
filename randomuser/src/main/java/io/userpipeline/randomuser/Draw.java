package io.userpipeline.randomuser;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** The random draws of the API's generator ({@code range}, {@code randomItem}, {@code random(mode, length)}), over one profile's random source. */
record Draw(SplittableRandom random) {

    /** {@code range(min, max)}: both ends included. */
    int range(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    <T> T item(List<T> items) {
        return items.get(index(items));
    }

    int index(List<?> items) {
        return random.nextInt(items.size());
    }

    /** {@code random(3, n)}: n decimal digits. */
    String digits(int length) {
        return chars("0123456789", length);
    }

    /** {@code random(4, n)}: n upper-case letters. */
    String letters(int length) {
        return chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", length);
    }

    /** {@code random(5, n)}: n of the digits 2 to 9. */
    String digitsFromTwo(int length) {
        return chars("23456789", length);
    }

    String chars(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    UUID uuid() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    /** A value the API writes as a JSON number. */
    static JsonNode number(int value) {
        return IntNode.valueOf(value);
    }

    /** A value the API writes as a JSON string. */
    static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }
}
