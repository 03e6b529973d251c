package io.userpipeline.storeduser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The stored user's one definition holds together: {@link StoredUser}'s components, {@link UserColumn}'s list and
 * the columns both stores' migration scripts create are the same names, types and order, so a column added to one
 * and not the others, or two columns swapped, fails here before any store sees it.
 */
class StoredUserContractTest {

    /** Every value distinct, so that a column read or bound in another column's place shows. */
    private static final StoredUser USER = new StoredUser(UUID.fromString("00000000-0000-4000-8000-000000000001"),
            UUID.fromString("00000000-0000-4000-8000-000000000002"), "source", Instant.parse("2026-06-01T12:00:00.123Z"),
            "title", "first name", "last name", "gender", "e@mail.example", "mail.example", "phone", "cell",
            LocalDate.of(1990, 5, 17), 36, "street", "city", "state", "country", "postcode", "username",
            Instant.parse("2012-03-04T10:11:12.456Z"), 2012, "picture url", "nationality");

    @Test
    void theColumnsAreTheRecordsComponentsInOrder() {
        RecordComponent[] components = StoredUser.class.getRecordComponents();
        assertThat(UserColumn.inOrder().stream().map(UserColumn::columnName))
                .containsExactly(Arrays.stream(components).map(component -> snakeCase(component.getName())).toArray(String[]::new));
        for (UserColumn column : UserColumn.inOrder()) {
            RecordComponent component = components[column.ordinal()];
            assertThat(column.type().javaType()).as(column.columnName())
                    .isEqualTo(component.getType() == int.class ? Integer.class : component.getType());
            assertThat(column.valueOf(USER)).as(column.columnName()).isEqualTo(accessor(component).apply(USER));
        }
    }

    @Test
    void aUserReadFromItsColumnsIsTheSameUser() {
        assertThat(UserColumn.read(column -> column.valueOf(USER))).isEqualTo(USER);
    }

    @Test
    void anotherIdentityKeepsEveryOtherColumn() {
        UUID user = UUID.fromString("00000000-0000-4000-8000-000000000003");
        UUID event = UUID.fromString("00000000-0000-4000-8000-000000000004");
        Instant at = Instant.parse("2026-07-01T00:00:00Z");
        StoredUser other = USER.withIdentity(user, event, at);
        for (UserColumn column : UserColumn.inOrder()) {
            Object expected = switch (column) {
                case USER_ID -> user;
                case EVENT_ID -> event;
                case INGESTED_AT -> at;
                default -> column.valueOf(USER);
            };
            assertThat(column.valueOf(other)).as(column.columnName()).isEqualTo(expected);
        }
    }

    @Test
    void postgresqlsUsersTableHasExactlyTheseColumns() throws IOException {
        assertThat(columnsCreatedBy(Path.of("src/main/resources/db/migration"), "V(\\d+)__.*\\.sql",
                "CREATE TABLE users", "ALTER TABLE users"))
                .isEqualTo(expected(UserColumn.Type::sql));
    }

    @Test
    void cassandrasUsersByIdTableHasExactlyTheseColumns() throws IOException {
        assertThat(columnsCreatedBy(Path.of("src/main/resources", CassandraMigrations.SCRIPTS), "V(\\d+)\\.cql",
                "CREATE TABLE IF NOT EXISTS ${keyspace}." + CassandraUserRows.TABLE,
                "ALTER TABLE ${keyspace}." + CassandraUserRows.TABLE))
                .isEqualTo(expected(UserColumn.Type::cql));
    }

    @Test
    void theStatementsListTheColumnsInOrder() {
        int columns = UserColumn.inOrder().size();
        String insert = CassandraUserRows.insert("ks");
        assertThat(insert).startsWith("INSERT INTO ks.users_by_id (" + UserColumn.ALL + ") VALUES (").endsWith(") USING TIMESTAMP ?");
        assertThat(insert.chars().filter(c -> c == '?').count()).as("a marker per column and the write time").isEqualTo(columns + 1);
        String upsert = PostgresUserRows.upsert("users");
        assertThat(upsert).contains("(" + UserColumn.ALL + ") SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[],"
                + " $4::timestamptz[]").contains("$" + columns + "::text[])").doesNotContain("$" + (columns + 1));
    }

    private static Map<String, String> expected(Function<UserColumn.Type, String> typeName) {
        return UserColumn.inOrder().stream().collect(Collectors.toMap(UserColumn::columnName,
                column -> typeName.apply(column.type()), (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * The columns and types of a table after every script of {@code folder}, in version order: those of its
     * {@code create} statement, then those each {@code alterTable ... ADD [COLUMN] [IF NOT EXISTS]} adds; any other
     * change of the table fails, since this reading would miss it.
     */
    private static Map<String, String> columnsCreatedBy(Path folder, String scriptName, String create, String alterTable)
            throws IOException {
        String addColumn = alterTable + " ADD";
        Pattern name = Pattern.compile(scriptName);
        List<Path> scripts;
        try (Stream<Path> files = Files.list(folder)) {
            scripts = files.filter(file -> name.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(file -> version(name, file))).toList();
        }
        Map<String, String> columns = new LinkedHashMap<>();
        Pattern added = Pattern.compile(Pattern.quote(addColumn) + "(?:\\s+COLUMN)?(?:\\s+IF\\s+NOT\\s+EXISTS)?\\s+(\\w+)\\s+(\\w+)");
        Pattern altered = Pattern.compile(Pattern.quote(alterTable) + "\\s+(?!ADD\\b)(\\w+)");
        for (Path script : scripts) {
            String text = Files.readString(script);
            int table = text.indexOf(create + " (");
            if (table >= 0) {
                String definitions = text.substring(table + create.length() + 2, text.indexOf(");", table));
                for (String definition : definitions.split(",")) {
                    String[] words = definition.strip().split("\\s+");
                    columns.put(words[0], words[1]);
                }
            }
            Matcher addition = added.matcher(text);
            while (addition.find()) {
                columns.put(addition.group(1), addition.group(2));
            }
            Matcher otherChange = altered.matcher(text);
            if (otherChange.find()) {
                throw new AssertionError(script.getFileName() + " changes the table with " + otherChange.group(1)
                        + ": this test reads only columns added; a rename, drop or type change needs it extended");
            }
        }
        return columns.entrySet().stream().sorted(Comparator.comparingInt(entry -> position(entry.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Where a script's column sits in {@link UserColumn}; a column it does not know sorts last and fails the check. */
    private static int position(String column) {
        return UserColumn.inOrder().stream().filter(known -> known.columnName().equals(column))
                .mapToInt(UserColumn::ordinal).findFirst().orElse(Integer.MAX_VALUE);
    }

    private static int version(Pattern name, Path script) {
        Matcher version = name.matcher(script.getFileName().toString());
        return version.matches() ? Integer.parseInt(version.group(1)) : Integer.MAX_VALUE;
    }

    private static Function<StoredUser, Object> accessor(RecordComponent component) {
        return user -> {
            try {
                return component.getAccessor().invoke(user);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "_$1").toLowerCase();
    }
}
