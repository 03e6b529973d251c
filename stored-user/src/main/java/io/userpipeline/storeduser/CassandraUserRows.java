package io.userpipeline.storeduser;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.UUID;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;

/**
 * Stored users in Cassandra's {@code users_by_id} (schema: {@code cassandra/migration}), written and read over
 * {@link UserColumn}: the statements list its columns in order, and values are bound and read by position, which
 * costs no name lookup per column and row.
 */
public final class CassandraUserRows {

    public static final String TABLE = "users_by_id";

    /**
     * An absent text, as stored: a null is a cell tombstone, which Cassandra keeps for gc_grace_seconds and reads
     * past on every page (tutorial users lack a title, a cell and a nationality: a count of 1,000,000 of them read
     * 3 tombstones per row and passed tombstone_warn_threshold on every page). The contract has no empty text
     * (TextCleaner makes a blank text absent), so the empty string is free to mean absent; it is read back as null.
     * A one-off comparison (200,000 rows with three absent texts each) found no difference in Cassandra's write CPU
     * between the two beyond run-to-run noise.
     */
    public static final String ABSENT_TEXT = "";

    private CassandraUserRows() {
    }

    /** The insert of one user's row; bind it with {@link #bind}. */
    public static String insert(String keyspace) {
        return "INSERT INTO " + keyspace + "." + TABLE + " (" + UserColumn.ALL + ") VALUES ("
                + String.join(", ", Collections.nCopies(UserColumn.inOrder().size(), "?")) + ") USING TIMESTAMP ?";
    }

    /** A select of whole rows, e.g. {@code select(keyspace, "user_id = ?")}; read each row with {@link #read}. */
    public static String select(String keyspace, String condition) {
        return "SELECT " + UserColumn.ALL + " FROM " + keyspace + "." + TABLE + " WHERE " + condition;
    }

    /** The user's row for {@link #insert}, at its {@link #writeTimestamp}; idempotent, so the driver may retry it. */
    public static BoundStatement bind(PreparedStatement insert, StoredUser user) {
        BoundStatementBuilder row = insert.boundStatementBuilder();
        for (UserColumn column : UserColumn.inOrder()) {
            int at = column.ordinal();
            Object value = column.valueOf(user);
            if (value == null) {
                if (column.type() == UserColumn.Type.TEXT) {
                    row.set(at, ABSENT_TEXT, TypeCodecs.TEXT);
                } else {
                    row.setToNull(at);
                }
                continue;
            }
            // With its codec named, a value is encoded without a look-up in the codec registry for each column.
            switch (column.type()) {
                case UUID -> row.set(at, (UUID) value, TypeCodecs.UUID);
                case TEXT -> row.set(at, (String) value, TypeCodecs.TEXT);
                case TIMESTAMP -> row.set(at, (Instant) value, TypeCodecs.TIMESTAMP);
                case DATE -> row.set(at, (LocalDate) value, TypeCodecs.DATE);
                case INT -> row.set(at, (Integer) value, TypeCodecs.INT);
            }
        }
        return row.set(UserColumn.inOrder().size(), writeTimestamp(user), TypeCodecs.BIGINT).setIdempotence(true).build();
    }

    /** The user in a row of {@link #select}. */
    public static StoredUser read(Row row) {
        return UserColumn.read(column -> row.isNull(column.ordinal()) ? null : switch (column.type()) {
            case UUID -> row.getUuid(column.ordinal());
            case TEXT -> {
                String text = row.getString(column.ordinal());
                yield ABSENT_TEXT.equals(text) ? null : text;
            }
            case TIMESTAMP -> row.getInstant(column.ordinal());
            case DATE -> row.getLocalDate(column.ordinal());
            case INT -> row.getInt(column.ordinal());
        });
    }

    /**
     * The write timestamp of a user's row: the microseconds of its ingestion time, whose last three digits (zero:
     * the stores keep milliseconds) carry the event id's place among ids, in thousandths of the id space, so that
     * timestamps follow {@link StoredUser#EVENT_ORDER}. Two events of one millisecond whose ids fall in the same
     * thousandth (1 pair in 1,000) get the same timestamp, and Cassandra merges those cell by cell (the README's
     * "Ordering" says so): the one case the order cannot carry into Cassandra.
     */
    public static long writeTimestamp(StoredUser user) {
        long thousandth = Math.unsignedMultiplyHigh(user.eventId().getMostSignificantBits(), 1000);
        return Math.addExact(Math.multiplyExact(user.ingestedAt().toEpochMilli(), 1000), thousandth);
    }
}
