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
        text("not-json", "this is not JSON at all", "malformed-json");
        text("open-brace", "{", "malformed-json");
        text("close-brace", "}", "malformed-json");
        text("json-null", "null", "malformed-json");
        text("json-empty-array", "[]", "malformed-json");
        text("json-array", "[1,2,3]", "malformed-json");
        text("json-true", "true", "malformed-json");
        text("json-string", "\"just a string\"", "malformed-json");
        text("json-number", "42", "malformed-json");
        text("truncated-third", valid.substring(0, valid.length() / 3), "malformed-json");
        text("truncated-two-thirds", valid.substring(0, 2 * valid.length() / 3), "malformed-json");
        text("missing-last-brace", valid.substring(0, valid.length() - 1), "malformed-json");
        text("trailing-object", valid + " {}", "malformed-json");
        text("trailing-garbage", valid + "x", "malformed-json");
        text("single-quotes", valid.replace('"', '\''), "malformed-json");
        text("trailing-comma", valid.substring(0, valid.length() - 1) + ",}", "malformed-json");
        text("comment", "/* hi */" + valid, "malformed-json");
        text("duplicate-key", valid.replaceFirst("\\{", "{\"email\":\"a@b.com\","), "malformed-json");
        text("nan", field("schemaVersion", "NaN").apply(valid), "malformed-json");
        text("unquoted-key", valid.replace("\"firstName\"", "firstName"), "malformed-json");
        text("empty-object", "{}", "missing-field");
        text("whitespace-only", "   \n\t ", null);
        text("empty", "", "empty-payload");
    }

    private void wrongTypes() {
        edited("type-first-name-number", field("firstName", "42"), "wrong-type");
        edited("type-last-name-boolean", field("lastName", "true"), "wrong-type");
        edited("type-email-number", field("email", "123"), "wrong-type");
        edited("type-phone-object", field("phone", "{\"n\":1}"), "wrong-type");
        edited("type-city-array", field("city", "[\"London\"]"), "wrong-type");
        edited("type-street-float", field("street", "1.5"), "wrong-type");
        edited("type-country-boolean", field("country", "false"), "wrong-type");
        edited("type-username-number", field("username", "7"), "wrong-type");
        edited("type-gender-number", field("gender", "1"), "wrong-type");
        edited("type-postcode-object", field("postcode", "{}"), "wrong-type");
        edited("type-schema-version-text", field("schemaVersion", "\"one\""), null);
        edited("type-date-of-birth-number", field("dateOfBirth", "19900517"), null);
    }

    private void missingFields() {
        for (String name : List.of("eventId", "userId", "firstName", "lastName", "gender", "email", "phone",
                "dateOfBirth", "street", "city", "country", "username", "registeredAt")) {
            edited("missing-" + name, without(name), "missing-field");
        }
        edited("missing-schema-version", without("schemaVersion"), null);
        edited("missing-source", without("source"), "missing-field");
        edited("missing-ingested-at", without("ingestedAt"), "missing-field");
        edited("null-first-name", field("firstName", "null"), "missing-field");
        edited("null-email", field("email", "null"), "missing-field");
        edited("blank-first-name", field("firstName", "\"   \""), "missing-field");
        edited("empty-last-name", field("lastName", "\"\""), "missing-field");
    }

    private void badUuids() {
        edited("uuid-words", field("userId", "\"not-a-uuid\""), "invalid-uuid");
        edited("uuid-number", field("userId", "12345"), "invalid-uuid");
        edited("uuid-short", field("userId", "\"6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b5\""), "invalid-uuid");
        edited("uuid-long", field("userId", "\"6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b55a\""), "invalid-uuid");
        edited("uuid-not-hex", field("userId", "\"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz\""), "invalid-uuid");
        edited("uuid-braces", field("userId", "\"{6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b55}\""), "invalid-uuid");
        edited("uuid-sql-injection", field("userId", "\"' OR 1=1 --\""), "invalid-uuid");
        edited("uuid-empty", field("userId", "\"\""), null);
        edited("event-uuid-words", field("eventId", "\"not-a-uuid\""), "invalid-uuid");
        edited("event-uuid-number", field("eventId", "7"), "invalid-uuid");
    }

    private void outOfRangeDates() {
        edited("birth-in-future", field("dateOfBirth", "\"2999-01-01\""), "date-not-in-past");
        edited("birth-before-1900", field("dateOfBirth", "\"1850-01-01\""), "date-out-of-range");
        edited("birth-february-30", field("dateOfBirth", "\"2023-02-30\""), "invalid-date");
        edited("birth-month-13", field("dateOfBirth", "\"1990-13-01\""), "invalid-date");
        edited("birth-zeros", field("dateOfBirth", "\"0000-00-00\""), "invalid-date");
        edited("birth-day-first", field("dateOfBirth", "\"17/05/1990\""), "invalid-date");
        edited("birth-hour-25", field("dateOfBirth", "\"1990-05-17T25:00:00Z\""), "invalid-date");
        edited("ingested-in-future", field("ingestedAt", "\"2999-01-01T00:00:00Z\""), "date-in-future");
        edited("ingested-year-300000", field("ingestedAt", "\"+300000-01-01T00:00:00Z\""), "date-in-future");
        edited("registered-before-birth", field("registeredAt", "\"1980-01-01T00:00:00Z\""), "registered-before-birth");
        edited("registered-in-future", field("registeredAt", "\"2999-01-01T00:00:00Z\""), null);
        edited("registered-words", field("registeredAt", "\"yesterday\""), "invalid-date");
    }

    private void largePayloads() {
        byte[] megabyte = new byte[1_000_000];
        Arrays.fill(megabyte, (byte) 'x');
        bytes("one-megabyte-of-x", megabyte, "payload-too-large");
        edited("one-megabyte-first-name", field("firstName", "\"" + "A".repeat(999_000) + "\""), "payload-too-large");
        edited("padded-past-limit", json -> json.replaceFirst("\\{", "{\"padding\":\"" + "p".repeat(70_000) + "\","),
                "payload-too-large");
        edited("long-first-name", field("firstName", "\"" + "A".repeat(101) + "\""), "too-long");
    }

    private void binary() {
        byte[] descending = new byte[256];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = (byte) (255 - i);
        }
        bytes("binary-descending", descending, "malformed-json");
        byte[] random = new byte[1024];
        new Random(9).nextBytes(random);
        random[0] = 0x7f;
        bytes("binary-random", random, "malformed-json");
        bytes("binary-gzip", new byte[] { 0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 }, "malformed-json");
        bytes("binary-png", new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, "malformed-json");
        bytes("binary-zeros", new byte[1024], null);
        bytes("invalid-utf8-in-string", concat("{\"schemaVersion\":1,\"firstName\":\"", new byte[] { (byte) 0xc3, 0x28 }, "\"}"),
                null);
        bytes("overlong-utf8-in-string", concat("{\"schemaVersion\":1,\"firstName\":\"", new byte[] { (byte) 0xc0, (byte) 0xaf },
                "\"}"), null);
    }

    private void controlCharacters() {
        edited("control-nul", field("lastName", "\"Null\\u0000Byte\""), "control-characters");
        edited("control-newline", field("city", "\"Izmir\\nDROP\""), "control-characters");
        edited("control-bell", field("firstName", "\"Bell\\u0007\""), "control-characters");
        edited("control-escape", field("street", "\"Esc\\u001b[31m Road\""), "control-characters");
        edited("control-tab-inside", field("username", "\"tab\\there\""), "control-characters");
        edited("control-carriage-return", field("lastName", "\"cr\\rlf\""), "control-characters");
        edited("control-delete", field("city", "\"del\\u007fete\""), null);
        edited("control-c1-next-line", field("firstName", "\"nel\\u0085\""), null);
    }

    private void injectionInRuledFields() {
        edited("sql-in-email", field("email", "\"x'; DROP TABLE users; --@example.com\""), "invalid-email");
        edited("sql-in-email-tail", field("email", "\"a@b.com'); TRUNCATE users_by_id;--\""), "invalid-email");
        edited("sql-in-gender", field("gender", "\"male' OR '1'='1\""), "invalid-gender");
        edited("sql-in-gender-statement", field("gender", "\"female; DROP TABLE users\""), "invalid-gender");
        edited("cql-in-phone", field("phone", "\"1; DROP KEYSPACE user_pipeline\""), "invalid-phone");
        edited("sql-dollar-quote-in-phone", field("phone", "\"$$ DROP $$\""), "invalid-phone");
        edited("sql-in-nationality", field("nationality", "\"'; --\""), "too-long");
        edited("sql-in-date-of-birth", field("dateOfBirth", "\"1990-01-01'; DROP TABLE users;--\""), "invalid-date");
        edited("cql-in-schema-version", field("schemaVersion", "\"1; DROP TABLE users\""), null);
    }

    private void brokenUnicode() {
        edited("lone-high-surrogate", field("city", "\"Izmir\\ud800\""), "invalid-unicode");
        edited("lone-low-surrogate", field("firstName", "\"\\udc00Ayse\""), "invalid-unicode");
        edited("reversed-surrogates", field("lastName", "\"\\udc00\\ud800\""), "invalid-unicode");
        edited("emoji-too-long", field("firstName", "\"" + "😀".repeat(101) + "\""), "too-long");
        edited("name-too-long", field("lastName", "\"" + "Ö".repeat(101) + "\""), "too-long");
    }

    private void otherRules() {
        edited("gender-robot", field("gender", "\"robot\""), "invalid-gender");
        edited("email-no-at", field("email", "\"not-an-email\""), "invalid-email");
        edited("email-no-dot", field("email", "\"someone@localhost\""), "invalid-email");
        edited("phone-words", field("phone", "\"call me maybe\""), "invalid-phone");
        edited("schema-version-99", field("schemaVersion", "99"), "unsupported-schema-version");
        edited("schema-version-0", field("schemaVersion", "0"), "unsupported-schema-version");
        edited("nationality-three-letters", field("nationality", "\"TUR\""), "too-long");
    }

    private void text(String label, String value, String reason) {
        bytes(label, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    private void bytes(String label, byte[] value, String reason) {
        bad.add(new Hostile(label, value, reason));
    }

    /** A fresh valid event's JSON with one change. */
    private void edited(String label, UnaryOperator<String> edit, String reason) {
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
