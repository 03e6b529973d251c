package io.userpipeline.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/**
 * Every user the processor stored, read back whole from each store: by user id, every column as text, instants
 * in ISO-8601 UTC, so that a test can compare the two stores with each other and with the events sent.
 */
public final class StoredUsers {

    /** A whole-table read: on two busy cores a page of it takes longer than the driver's 2 s default. */
    private static final Duration WHOLE_TABLE_READ_TIMEOUT = Duration.ofSeconds(60);

    private StoredUsers() {
    }

    /** The {@code users} table. */
    public static Map<UUID, Map<String, String>> inPostgres(Connection postgres) throws SQLException {
        Map<UUID, Map<String, String>> rows = new HashMap<>();
        try (ResultSet result = postgres.createStatement().executeQuery("SELECT * FROM users")) {
            ResultSetMetaData columns = result.getMetaData();
            while (result.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    if (value != null && columns.getColumnTypeName(i).equals("timestamptz")) {
                        value = result.getObject(i, OffsetDateTime.class).toInstant();
                    }
                    row.put(columns.getColumnName(i), Objects.toString(value, null));
                }
                rows.put(UUID.fromString(row.get("user_id")), row);
            }
        }
        return rows;
    }

    /** The keyspace's {@code users_by_id} table. */
    public static Map<UUID, Map<String, String>> inCassandra(CqlSession cassandra, String keyspace) {
        Map<UUID, Map<String, String>> rows = new HashMap<>();
        SimpleStatement wholeTable = SimpleStatement.newInstance("SELECT * FROM " + keyspace + ".users_by_id")
                .setTimeout(WHOLE_TABLE_READ_TIMEOUT);
        for (Row result : cassandra.execute(wholeTable)) {
            Map<String, String> row = new HashMap<>();
            for (ColumnDefinition column : result.getColumnDefinitions()) {
                row.put(column.getName().asInternal(), Objects.toString(result.getObject(column.getName()), null));
            }
            rows.put(result.getUuid("user_id"), row);
        }
        return rows;
    }
}
