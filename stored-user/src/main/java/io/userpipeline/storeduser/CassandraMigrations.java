package io.userpipeline.storeduser;

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
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
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
 * The lock expires {@link #LOCK_LEASE} after it was last renewed, so a processor killed while holding it cannot
 * block the others for longer than that; the holder renews it before every statement and stops if it lost it.
 * <p>
 * A script is a series of CQL statements, each ended by a {@code ;} that ends its line (no comment after it);
 * {@code ${keyspace}} stands for the keyspace; its first line, a {@code --} comment, says what it does. Scripts are
 * append-only (changing one that was applied stops start-up) and re-runnable ({@code IF [NOT] EXISTS}): a script
 * interrupted halfway runs again from its first statement.
 */
public final class CassandraMigrations {

    /** The classpath folder of the stored user's scripts, beside Flyway's {@code db/migration}. */
    public static final String SCRIPTS = "cassandra/migration";
    private static final Logger LOG = Logger.getLogger(CassandraMigrations.class);
    static final Duration LOCK_LEASE = Duration.ofSeconds(120);
    private static final Duration LOCK_RETRY = Duration.ofSeconds(1);
    private static final Duration SCHEMA_AGREEMENT_WAIT = Duration.ofSeconds(60);
    /** A schema change waits for the table's compactions to stop, longer than a query's time-out. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCK_NAME = "migrations";

    private final CqlSession session;
    private final String keyspace;
    private final String folder;
    private final Duration lockWait;
    private final String holder;

    /**
     * @param folder   the classpath folder of the scripts: {@link #SCRIPTS}, or a test's
     * @param lockWait how long to wait for another processor's migration before giving up
     */
    public CassandraMigrations(CqlSession session, String keyspace, String folder, Duration lockWait) {
        this.session = session;
        this.keyspace = keyspace;
        this.folder = folder;
        this.lockWait = lockWait;
        this.holder = System.getenv().getOrDefault("HOSTNAME", "processor") + " pid " + ProcessHandle.current().pid()
                + " " + UUID.randomUUID();
    }

    /** The version of the last script in the folder: the keyspace's version once {@link #migrate} has run. */
    public int latestVersion() {
        return scripts().size();
    }

    /** Applies the scripts not yet applied; returns the keyspace's schema version afterwards. */
    public int migrate() {
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
        SimpleStatement take = statement("INSERT INTO " + keyspace + ".schema_migration_lock (name, holder, since)"
                + " VALUES (?, ?, toTimestamp(now())) IF NOT EXISTS USING TTL " + LOCK_LEASE.toSeconds(), LOCK_NAME, holder);
        while (true) {
            String other;
            try {
                Row outcome = session.execute(take).one();
                if (outcome.getBoolean("[applied]")) {
                    return;
                }
                other = outcome.getString("holder");
            } catch (DriverException unknownOutcome) {
                // A time-out leaves the insert's outcome unknown: the lock may be ours.
                other = currentHolder();
                if (holder.equals(other)) {
                    return;
                }
                LOG.infof("Taking the schema migration lock of keyspace %s failed (%s); trying again", keyspace,
                        unknownOutcome.getMessage());
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("Another processor (" + other + ") has held the schema migration lock of"
                        + " keyspace " + keyspace + " for longer than " + lockWait.toSeconds() + " s. If it is gone, the"
                        + " lock expires " + LOCK_LEASE.toSeconds() + " s after it was last renewed; else see its log.");
            }
            LOG.infof("Waiting for %s to finish migrating keyspace %s", other, keyspace);
            // Spread out so that processors waiting together do not contend for the lock's partition in step.
            sleep(LOCK_RETRY.plusMillis(ThreadLocalRandom.current().nextLong(LOCK_RETRY.toMillis())));
        }
    }

    private String currentHolder() {
        try {
            Row row = session.execute(statement("SELECT holder FROM " + keyspace + ".schema_migration_lock WHERE name = ?",
                    LOCK_NAME).setConsistencyLevel(ConsistencyLevel.SERIAL)).one();
            return row == null ? null : row.getString("holder");
        } catch (DriverException unreadable) {
            return null;
        }
    }

    /** Extends the lease before the next change; stops the migration if another processor has the lock now. */
    private void renewLock() {
        Row outcome = session.execute(statement("UPDATE " + keyspace + ".schema_migration_lock USING TTL "
                + LOCK_LEASE.toSeconds() + " SET holder = ?, since = toTimestamp(now()) WHERE name = ? IF holder = ?",
                holder, LOCK_NAME, holder)).one();
        if (!outcome.getBoolean("[applied]")) {
            throw new IllegalStateException("The schema migration lock of keyspace " + keyspace + " expired and went to "
                    + outcome.getString("holder") + " while this processor migrated; it stops so as not to change the"
                    + " schema beside it. The next start goes on from the last version recorded.");
        }
    }

    /** Best effort: a lock left behind expires with its lease, and the migration's own outcome matters more. */
    private void unlock() {
        try {
            session.execute(statement("DELETE FROM " + keyspace + ".schema_migration_lock WHERE name = ? IF holder = ?",
                    LOCK_NAME, holder));
        } catch (DriverException e) {
            LOG.warnf("Could not release the schema migration lock of keyspace %s (%s); it expires within %d s",
                    keyspace, e.getMessage(), LOCK_LEASE.toSeconds());
        }
    }

    private Map<Integer, String> appliedChecksums() {
        Map<Integer, String> applied = new TreeMap<>();
        // Quorum reads and writes: the history another processor wrote under the lock, whichever replicas answer.
        session.execute(statement("SELECT version, checksum FROM " + keyspace + ".schema_migrations")
                .setConsistencyLevel(ConsistencyLevel.QUORUM))
                .forEach(row -> applied.put(row.getInt("version"), row.getString("checksum")));
        return applied;
    }

    private void apply(Script script) {
        long started = System.nanoTime();
        for (String statement : script.statements(keyspace)) {
            try {
                renewLock();
                execute(statement);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cassandra migration " + script.name() + " (" + script.description()
                        + ") failed on keyspace " + keyspace + " at: " + statement + " -- " + e.getMessage(), e);
            }
        }
        renewLock();
        session.execute(statement("INSERT INTO " + keyspace + ".schema_migrations (version, description,"
                + " checksum, applied_at, applied_by) VALUES (?, ?, ?, toTimestamp(now()), ?)", script.version(),
                script.description(), script.checksum(), holder).setConsistencyLevel(ConsistencyLevel.QUORUM));
        LOG.infof("Cassandra keyspace %s migrated to version %d (%s) in %d ms", keyspace, script.version(),
                script.description(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** Runs a schema change and waits until every node has it, so the next one builds on it everywhere. */
    private void execute(String cql) {
        ResultSet result = session.execute(statement(cql));
        Instant giveUp = Instant.now().plus(SCHEMA_AGREEMENT_WAIT);
        boolean agreed = result.getExecutionInfo().isSchemaInAgreement();
        while (!agreed && Instant.now().isBefore(giveUp)) {
            sleep(LOCK_RETRY);
            agreed = session.checkSchemaAgreement();
        }
        if (!agreed) {
            throw new IllegalStateException("Cassandra nodes disagree on the schema of keyspace " + keyspace + " "
                    + SCHEMA_AGREEMENT_WAIT.toSeconds() + " s after: " + cql + ". Check `nodetool describecluster`"
                    + " (one schema version for all nodes) and that every node is up.");
        }
    }

    /** V1.cql, V2.cql, ... up to the first missing version. */
    /** From the application's class loader first: a test's folder of scripts is there, not beside this class. */
    private static InputStream resource(String path) {
        ClassLoader application = Thread.currentThread().getContextClassLoader();
        InputStream in = application == null ? null : application.getResourceAsStream(path);
        return in != null ? in : CassandraMigrations.class.getClassLoader().getResourceAsStream(path);
    }

    private List<Script> scripts() {
        List<Script> scripts = new ArrayList<>();
        for (int version = 1;; version++) {
            String name = "V" + version + ".cql";
            try (InputStream in = resource(folder + "/" + name)) {
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

    private static SimpleStatement statement(String cql, Object... values) {
        return SimpleStatement.newInstance(cql, values).setTimeout(STATEMENT_TIMEOUT);
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
            // Line endings normalised, so that a checkout with CRLF line endings has the same checksum.
            String normalised = String.join("\n", text.lines().toList());
            return new Script(version, name, firstLine.substring(2).strip(), normalised, sha256(normalised));
        }

        /** The statements, comments and blank lines left out, the keyspace filled in. */
        List<String> statements(String keyspace) {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.lines().toList()) {
                String code = line.strip();
                if (current.isEmpty() && (code.isEmpty() || code.startsWith("--"))) {
                    continue;
                }
                // Lines kept apart: a comment at the end of one must not swallow the next.
                current.append(current.isEmpty() ? "" : "\n").append(line.stripTrailing());
                if (code.endsWith(";")) {
                    statements.add(current.substring(0, current.length() - 1).strip().replace("${keyspace}", keyspace));
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
