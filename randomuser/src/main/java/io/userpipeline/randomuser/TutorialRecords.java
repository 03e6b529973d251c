package io.userpipeline.randomuser;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bytes the classic tutorial producer writes to {@code users_created} for one API profile: its
 * {@code format_data(res)} flattens the profile, then Python's {@code json.dumps} writes it with {@code ", "} and
 * {@code ": "} between items and every character outside printable ASCII escaped as {@code \}{@code uXXXX}
 * (lower-case hex, UTF-16 units). {@code post_code} stays the JSON scalar the API sent, number or text.
 */
public final class TutorialRecords {

    private TutorialRecords() {
    }

    /** {@code id} is the producer's own {@code uuid.uuid4()}, not the profile's login uuid. */
    public static byte[] json(RandomUserProfile profile, UUID id) {
        RandomUserProfile.Location location = profile.location();
        StringBuilder out = new StringBuilder(768).append('{');
        text(out, "id", id.toString());
        text(out.append(", "), "first_name", profile.name().first());
        text(out.append(", "), "last_name", profile.name().last());
        text(out.append(", "), "gender", profile.gender());
        text(out.append(", "), "address", RandomUserProfile.text(location.street().number()) + " "
                + location.street().name() + ", " + location.city() + ", " + location.state() + ", " + location.country());
        scalar(out.append(", "), "post_code", location.postcode());
        text(out.append(", "), "email", profile.email());
        text(out.append(", "), "username", profile.login().username());
        text(out.append(", "), "dob", profile.dob().date());
        text(out.append(", "), "registered_date", profile.registered().date());
        text(out.append(", "), "phone", profile.phone());
        text(out.append(", "), "picture", profile.picture().medium());
        return out.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void scalar(StringBuilder out, String name, JsonNode value) {
        if (value == null || value.isNull()) {
            quoted(out, name).append(": null");
        } else if (value.isTextual()) {
            text(out, name, value.asText());
        } else {
            quoted(out, name).append(": ").append(value.asText());
        }
    }

    private static void text(StringBuilder out, String name, String value) {
        quoted(out, name).append(": ");
        if (value == null) {
            out.append("null");
        } else {
            quoted(out, value);
        }
    }

    /** Python's {@code py_encode_basestring_ascii}: the short escapes it has, {@code \}{@code uXXXX} for the rest. */
    private static StringBuilder quoted(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        out.append(c);
                    } else {
                        out.append("\\u").append(Character.forDigit(c >> 12 & 0xF, 16))
                                .append(Character.forDigit(c >> 8 & 0xF, 16))
                                .append(Character.forDigit(c >> 4 & 0xF, 16))
                                .append(Character.forDigit(c & 0xF, 16));
                    }
                }
            }
        }
        return out.append('"');
    }
}
