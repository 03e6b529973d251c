package io.userpipeline.processor.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.CassandraMigrations;

/** The Cassandra schema is migrated once, in order, whatever number of processors start at the same moment. */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class CassandraMigrationsTest {

    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    QuarkusCqlSession session;

    @Test
    void processorsStartingTogetherApplyEachScriptOnce() throws Exception {
        String keyspace = freshKeyspace("migrations_race");
        int processors = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(processors);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int i = 0; i < processors; i++) {
                versions.add(threads.submit(() -> {
                    start.await();
                    return new CassandraMigrations(session, keyspace, "cassandra/migration-race", LOCK_WAIT).migrate();
                }));
            }
            start.countDown();
            for (Future<Integer> version : versions) {
                assertThat(version.get()).isEqualTo(2);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(session.execute("SELECT times FROM " + keyspace + ".script_runs WHERE script = 'V2'").one()
                .getLong("times")).as("runs of V2").isEqualTo(1);
        assertThat(session.execute("SELECT version, description FROM " + keyspace + ".schema_migrations").all())
                .extracting(row -> row.getInt("version") + " " + row.getString("description"))
                .containsExactlyInAnyOrder("1 a table, and a counter of how often each script ran",
                        "2 a column added (refused if added twice) and the run counted (counted twice if run twice)");
        assertThat(session.execute("SELECT * FROM " + keyspace + ".schema_migration_lock").all())
                .as("the lock, released").isEmpty();
    }

    @Test
    void aScriptChangedAfterItWasAppliedStopsStartUp() {
        String keyspace = freshKeyspace("migrations_changed");
        new CassandraMigrations(session, keyspace, "cassandra/migration-race", LOCK_WAIT).migrate();

        assertThatThrownBy(() -> new CassandraMigrations(session, keyspace, "cassandra/migration-changed", LOCK_WAIT)
                .migrate())
                .hasMessageContaining("V1.cql was changed after it was applied to keyspace " + keyspace)
                .hasMessageContaining("add the change as V3.cql");
        assertThat(columnsOf(keyspace, "notes")).as("V2 of the changed folder never ran").doesNotContain("other");
    }

    @Test
    void aLockHeldByAnotherProcessorIsWaitedForThenNamed() {
        String keyspace = freshKeyspace("migrations_locked");
        new CassandraMigrations(session, keyspace, "cassandra/migration-race", LOCK_WAIT).migrate();
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_migration_lock (name, holder,"
                + " since) VALUES ('migrations', 'processor-7c9f pid 1', toTimestamp(now())) USING TTL 60"));

        long started = System.nanoTime();
        assertThatThrownBy(() -> new CassandraMigrations(session, keyspace, "cassandra/migration-race",
                Duration.ofSeconds(2)).migrate())
                .hasMessageContaining("Another processor (processor-7c9f pid 1) has held the schema migration lock of"
                        + " keyspace " + keyspace);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited for the lock").isGreaterThan(Duration.ofSeconds(2));
    }

    /** A keyspace made by the processor before versioned migrations: its two tables, a user. */
    @Test
    void aKeyspaceFromBeforeMigrationsIsMigratedToTheCountryIndex() {
        String keyspace = freshKeyspace("migrations_upgrade");
        String columns = "event_id uuid, source text, ingested_at timestamp, title text, first_name text, last_name text,"
                + " gender text, email text, email_domain text, phone text, cell text, date_of_birth date, age int,"
                + " street text, city text, state text, postcode text, username text, registered_at timestamp,"
                + " registration_year int, picture_url text, nationality text";
        schemaChange("CREATE TABLE " + keyspace + ".users_by_id (user_id uuid PRIMARY KEY, country text, " + columns + ")");
        schemaChange("CREATE TABLE " + keyspace + ".users_by_country (country text, user_id uuid, " + columns
                + ", PRIMARY KEY ((country), user_id))");
        session.execute("INSERT INTO " + keyspace + ".users_by_id (user_id, country, first_name) VALUES"
                + " (5f0c2c36-7f39-4f7e-9d59-3b1f4a3c2b11, 'Norway', 'Ola')");

        CassandraMigrations migrations = new CassandraMigrations(session, keyspace, CassandraMigrations.SCRIPTS,
                LOCK_WAIT);
        assertThat(migrations.migrate()).as("the version of the last script, V2 (the country index) or later")
                .isEqualTo(migrations.latestVersion()).isGreaterThanOrEqualTo(2);

        assertThat(tablesOf(keyspace)).as("users_by_country is left for the operator to drop")
                .containsExactlyInAnyOrder("users_by_id", "users_by_country", "schema_migrations", "schema_migration_lock");
        // Cassandra builds the index from the existing rows in the background.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(session.execute(
                "SELECT first_name FROM " + keyspace + ".users_by_id WHERE country = 'Norway'").all())
                .extracting(row -> row.getString("first_name")).containsExactly("Ola"));
    }

    private String freshKeyspace(String name) {
        schemaChange("DROP KEYSPACE IF EXISTS " + name);
        schemaChange("CREATE KEYSPACE " + name + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        return name;
    }

    private void schemaChange(String cql) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(SCHEMA_TIMEOUT));
    }

    private Set<String> tablesOf(String keyspace) {
        return session.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables WHERE"
                + " keyspace_name = ?", keyspace)).all().stream().map(row -> row.getString("table_name"))
                .collect(Collectors.toSet());
    }

    private Set<String> columnsOf(String keyspace, String table) {
        return session.execute(SimpleStatement.newInstance("SELECT column_name FROM system_schema.columns WHERE"
                + " keyspace_name = ? AND table_name = ?", keyspace, table)).all().stream()
                .map((Row row) -> row.getString("column_name")).collect(Collectors.toSet());
    }
}
