package io.userpipeline.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import io.userpipeline.storeduser.CassandraUserRows;

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

    /** The keyspace's {@code users_by_id} table, an absent text as null (Cassandra holds it as the empty text). */
    public static Map<UUID, Map<String, String>> inCassandra(CqlSession cassandra, String keyspace) {
        Map<UUID, Map<String, String>> rows = new HashMap<>();
        SimpleStatement wholeTable = SimpleStatement.newInstance("SELECT * FROM " + keyspace + ".users_by_id")
                .setTimeout(WHOLE_TABLE_READ_TIMEOUT);
        for (Row result : cassandra.execute(wholeTable)) {
            Map<String, String> row = new HashMap<>();
            for (ColumnDefinition column : result.getColumnDefinitions()) {
                Object value = result.getObject(column.getName());
                row.put(column.getName().asInternal(),
                        CassandraUserRows.ABSENT_TEXT.equals(value) ? null : Objects.toString(value, null));
            }
            rows.put(result.getUuid("user_id"), row);
        }
        return rows;
    }

    /**
     * What the index on {@code users_by_id.country} answers, compared with the rows themselves: for every country
     * of {@code rows} (a {@link #inCassandra} read), each user the index lists that is not a user of that country,
     * or a user of it that the index misses. Empty when the index agrees with the table.
     */
    public static List<String> countryIndexDisagreements(CqlSession cassandra, String keyspace,
            Map<UUID, Map<String, String>> rows) {
        Map<String, Set<UUID>> byCountry = rows.values().stream().collect(Collectors.groupingBy(row -> row.get("country"),
                Collectors.mapping(row -> UUID.fromString(row.get("user_id")), Collectors.toSet())));
        List<String> disagreements = new ArrayList<>();
        byCountry.forEach((country, users) -> {
            Set<UUID> listed = new HashSet<>();
            cassandra.execute(SimpleStatement.newInstance("SELECT user_id FROM " + keyspace + ".users_by_id WHERE country = ?",
                    country).setTimeout(WHOLE_TABLE_READ_TIMEOUT)).forEach(row -> {
                        if (!listed.add(row.getUuid("user_id"))) {
                            disagreements.add(country + " lists user " + row.getUuid("user_id") + " twice");
                        }
                    });
            listed.stream().filter(user -> !users.contains(user))
                    .forEach(user -> disagreements.add(country + " lists user " + user + ", whose row says "
                            + (rows.containsKey(user) ? rows.get(user).get("country") : "nothing: it has none")));
            users.stream().filter(user -> !listed.contains(user))
                    .forEach(user -> disagreements.add(country + " misses its user " + user));
        });
        return disagreements;
    }
}
