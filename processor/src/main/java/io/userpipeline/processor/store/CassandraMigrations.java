package io.userpipeline.processor.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

/**
 * Brings a keyspace to the newest schema, once, however many processors start together: the CQL scripts
 * {@code V1.cql}, {@code V2.cql}, ... of a classpath folder, applied in version order and recorded with their
 * checksum in {@code schema_migrations}, as Flyway does for PostgreSQL's {@code db/migration}.
 * <p>
 * Schema changes made at the same time through different Cassandra nodes can give one table two ids, and the
 * data written to the losing one is lost at a later restart (CASSANDRA-10699). So scripts run under a lock, a
 * lightweight transaction on {@code schema_migration_lock}; that table and the history table are the only ones
 * created outside it, with fixed table ids, so that processors creating them at once create the same table.
 * The lock expires {@link #LOCK_LEASE} after it was taken, so a processor killed while holding it cannot block
 * the others for longer than that.
 * <p>
 * A script is a series of CQL statements, each ended by a {@code ;} at the end of a line; {@code ${keyspace}}
 * stands for the keyspace; its first line, a {@code --} comment, says what it does. Scripts are append-only:
 * changing one that was applied stops start-up.
 */
final class CassandraMigrations {

    private static final Logger LOG = Logger.getLogger(CassandraMigrations.class);
    static final Duration LOCK_LEASE = Duration.ofSeconds(120);
    private static final Duration LOCK_RETRY = Duration.ofSeconds(1);
    private static final Duration SCHEMA_AGREEMENT_WAIT = Duration.ofSeconds(60);
    private static final String LOCK_NAME = "migrations";

    private final CqlSession session;
    private final String keyspace;
    private final String folder;
    private final Duration lockWait;
    private final String holder;

    /**
     * @param folder   the classpath folder of the scripts, e.g. {@code cassandra/migration}
     * @param lockWait how long to wait for another processor's migration before giving up
     */
    CassandraMigrations(CqlSession session, String keyspace, String folder, Duration lockWait) {
        this.session = session;
        this.keyspace = keyspace;
        this.folder = folder;
        this.lockWait = lockWait;
        this.holder = System.getenv().getOrDefault("HOSTNAME", "processor") + " pid " + ProcessHandle.current().pid()
                + " " + UUID.randomUUID();
    }

    /** Applies the scripts not yet applied; returns the keyspace's schema version afterwards. */
    int migrate() {
        List<Script> scripts = scripts();
        createBookkeepingTables();
        lock();
        try {
            Map<Integer, String> applied = appliedChecksums();
            for (Script script : scripts) {
                String checksum = applied.get(script.version());
                if (checksum == null) {
                    apply(script);
                } else if (!checksum.equals(script.checksum())) {
                    throw new IllegalStateException("Cassandra migration " + script.name() + " was changed after it was"
                            + " applied to keyspace " + keyspace + " (checksum " + checksum + " then, " + script.checksum()
                            + " now). Applied scripts are never changed: restore it and add the change as V"
                            + (scripts.get(scripts.size() - 1).version() + 1) + ".cql.");
                }
            }
            applied.keySet().stream().filter(version -> version > scripts.size()).findFirst().ifPresent(newer ->
                    LOG.warnf("Keyspace %s is at schema version %d, newer than this processor's %d: a newer processor"
                            + " migrated it. Running on, as every version only adds to the schema the older ones use.",
                            keyspace, newer, scripts.size()));
            return Math.max(scripts.size(), applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0));
        } finally {
            unlock();
        }
    }

    private void createBookkeepingTables() {
        execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migration_lock (name text PRIMARY KEY, holder text,"
                + " since timestamp) WITH ID = '" + tableId("schema_migration_lock") + "'");
        execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".schema_migrations (version int PRIMARY KEY, description text,"
                + " checksum text, applied_at timestamp, applied_by text) WITH ID = '" + tableId("schema_migrations") + "'");
    }

    /** The same id for the same table of the same keyspace, in every processor. */
    private UUID tableId(String table) {
        return UUID.nameUUIDFromBytes((keyspace + "." + table).getBytes(StandardCharsets.UTF_8));
    }

    private void lock() {
        Instant giveUp = Instant.now().plus(lockWait);
        SimpleStatement take = SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_migration_lock"
                + " (name, holder, since) VALUES (?, ?, toTimestamp(now())) IF NOT EXISTS USING TTL "
                + LOCK_LEASE.toSeconds(), LOCK_NAME, holder);
        while (true) {
            Row outcome = session.execute(take).one();
            if (outcome.getBoolean("[applied]")) {
                return;
            }
            String other = outcome.getString("holder");
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("Another processor (" + other + ") has held the schema migration lock of"
                        + " keyspace " + keyspace + " for longer than " + lockWait.toSeconds() + " s. If it is gone, the"
                        + " lock expires " + LOCK_LEASE.toSeconds() + " s after it was taken; else see its log.");
            }
            LOG.infof("Waiting for %s to finish migrating keyspace %s", other, keyspace);
            sleep(LOCK_RETRY);
        }
    }

    private void unlock() {
        session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".schema_migration_lock WHERE name = ?"
                + " IF holder = ?", LOCK_NAME, holder));
    }

    private Map<Integer, String> appliedChecksums() {
        Map<Integer, String> applied = new TreeMap<>();
        // Quorum reads and writes: the history another processor wrote under the lock, whichever replicas answer.
        session.execute(SimpleStatement.newInstance("SELECT version, checksum FROM " + keyspace + ".schema_migrations")
                .setConsistencyLevel(ConsistencyLevel.QUORUM))
                .forEach(row -> applied.put(row.getInt("version"), row.getString("checksum")));
        return applied;
    }

    private void apply(Script script) {
        long started = System.nanoTime();
        for (String statement : script.statements(keyspace)) {
            try {
                execute(statement);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cassandra migration " + script.name() + " (" + script.description()
                        + ") failed on keyspace " + keyspace + " at: " + statement + " -- " + e.getMessage(), e);
            }
        }
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".schema_migrations (version, description,"
                + " checksum, applied_at, applied_by) VALUES (?, ?, ?, toTimestamp(now()), ?)", script.version(),
                script.description(), script.checksum(), holder).setConsistencyLevel(ConsistencyLevel.QUORUM));
        LOG.infof("Cassandra keyspace %s migrated to version %d (%s) in %d ms", keyspace, script.version(),
                script.description(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Runs a schema change and waits until every node has it, so the next one builds on it everywhere. */
    private void execute(String statement) {
        ResultSet result = session.execute(statement);
        Instant giveUp = Instant.now().plus(SCHEMA_AGREEMENT_WAIT);
        boolean agreed = result.getExecutionInfo().isSchemaInAgreement();
        while (!agreed && Instant.now().isBefore(giveUp)) {
            sleep(LOCK_RETRY);
            agreed = session.checkSchemaAgreement();
        }
        if (!agreed) {
            throw new IllegalStateException("Cassandra nodes disagree on the schema of keyspace " + keyspace + " "
                    + SCHEMA_AGREEMENT_WAIT.toSeconds() + " s after: " + statement + ". Check `nodetool describecluster`"
                    + " (one schema version for all nodes) and that every node is up.");
        }
    }

    /** V1.cql, V2.cql, ... up to the first missing version. */
    private List<Script> scripts() {
        List<Script> scripts = new ArrayList<>();
        for (int version = 1;; version++) {
            String name = "V" + version + ".cql";
            try (InputStream in = CassandraMigrations.class.getClassLoader().getResourceAsStream(folder + "/" + name)) {
                if (in == null) {
                    break;
                }
                scripts.add(Script.of(version, name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read Cassandra migration " + folder + "/" + name, e);
            }
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("No Cassandra migrations in " + folder + " (V1.cql, V2.cql, ...)");
        }
        return scripts;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while migrating the Cassandra schema", e);
        }
    }

    record Script(int version, String name, String description, String text, String checksum) {

        static Script of(int version, String name, String text) {
            String firstLine = text.lines().findFirst().orElse("");
            if (!firstLine.startsWith("--")) {
                throw new IllegalStateException("Cassandra migration " + name + " must start with a -- comment saying"
                        + " what it does");
            }
            return new Script(version, name, firstLine.substring(2).strip(), text, sha256(text));
        }

        /** The statements, comments and blank lines left out, the keyspace filled in. */
        List<String> statements(String keyspace) {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.lines().toList()) {
                String code = line.strip();
                if (code.isEmpty() || code.startsWith("--")) {
                    continue;
                }
                current.append(current.isEmpty() ? "" : " ").append(code);
                if (code.endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1).replace("${keyspace}", keyspace));
                    current.setLength(0);
                }
            }
            if (!current.isEmpty()) {
                throw new IllegalStateException("Cassandra migration " + name + " ends without a ; after: " + current);
            }
            return statements;
        }

        private static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every JDK has SHA-256", e);
            }
        }
    }
}
