package io.userpipeline.storeduser;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Stored users in PostgreSQL's {@code users} (schema: Flyway's {@code db/migration}), written and read over
 * {@link UserColumn}. A batch is one statement: the users as one array per column, unnested server-side, so one
 * round trip and one plan serve the whole batch.
 */
public final class PostgresUserRows {

    public static final String TABLE = "users";

    private PostgresUserRows() {
    }

    /**
     * The upsert of a batch of users into {@code table} ({@value #TABLE}, or schema-qualified); bind it with
     * {@link #arrays}. A row is replaced only by a newer event in {@link StoredUser#EVENT_ORDER}
     * ({@code ingested_at}, then {@code event_id}), so a replay leaves rows unchanged and an old event arriving late
     * never overwrites a newer one. The users must have distinct ids: one statement cannot update a row twice.
     */
    public static String upsert(String table) {
        List<UserColumn> columns = UserColumn.inOrder();
        return "INSERT INTO " + table + " AS stored (" + UserColumn.ALL + ") SELECT * FROM unnest("
                + columns.stream().map(column -> "$" + (column.ordinal() + 1) + "::" + column.type().sql() + "[]")
                        .collect(Collectors.joining(", "))
                + ") ON CONFLICT (" + UserColumn.USER_ID.columnName() + ") DO UPDATE SET "
                + columns.stream().filter(column -> column != UserColumn.USER_ID)
                        .map(column -> column.columnName() + " = EXCLUDED." + column.columnName())
                        .collect(Collectors.joining(", "))
                + " WHERE (stored.ingested_at, stored.event_id) < (EXCLUDED.ingested_at, EXCLUDED.event_id)";
    }

    /** A select of whole rows, e.g. {@code select(TABLE, "user_id = $1")}; read each row with {@link #read}. */
    public static String select(String table, String condition) {
        return "SELECT " + UserColumn.ALL + " FROM " + table + " WHERE " + condition;
    }

    /** The users as {@link #upsert}'s parameters: one array per column, in column order. */
    public static Tuple arrays(List<StoredUser> users) {
        Tuple arrays = Tuple.tuple();
        for (UserColumn column : UserColumn.inOrder()) {
            switch (column.type()) {
                case UUID -> arrays.addArrayOfUUID(values(users, column, UUID[]::new, UUID.class::cast));
                case TEXT -> arrays.addArrayOfString(values(users, column, String[]::new, String.class::cast));
                case TIMESTAMP -> arrays.addArrayOfOffsetDateTime(values(users, column, OffsetDateTime[]::new,
                        value -> ((Instant) value).atOffset(ZoneOffset.UTC)));
                case DATE -> arrays.addArrayOfLocalDate(values(users, column, LocalDate[]::new, LocalDate.class::cast));
                case INT -> arrays.addArrayOfInteger(values(users, column, Integer[]::new, Integer.class::cast));
            }
        }
        return arrays;
    }

    /** One column of the users, as the client's array type; a null stays null. */
    private static <T> T[] values(List<StoredUser> users, UserColumn column, IntFunction<T[]> array,
            Function<Object, T> convert) {
        T[] values = array.apply(users.size());
        for (int i = 0; i < values.length; i++) {
            Object value = column.valueOf(users.get(i));
            values[i] = value == null ? null : convert.apply(value);
        }
        return values;
    }

    /** The user in a row of {@link #select}. */
    public static StoredUser read(Row row) {
        return UserColumn.read(column -> switch (column.type()) {
            case UUID -> row.getUUID(column.ordinal());
            case TEXT -> row.getString(column.ordinal());
            case TIMESTAMP -> {
                OffsetDateTime value = row.getOffsetDateTime(column.ordinal());
                yield value == null ? null : value.toInstant();
            }
            case DATE -> row.getLocalDate(column.ordinal());
            case INT -> row.getInteger(column.ordinal());
        });
    }
}
