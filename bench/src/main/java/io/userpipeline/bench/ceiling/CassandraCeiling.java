package io.userpipeline.bench.ceiling;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import io.userpipeline.storeduser.CassandraMigrations;
import io.userpipeline.storeduser.CassandraUserRows;
import io.userpipeline.storeduser.StoredUser;

/**
 * How fast Cassandra alone stores the processor's user rows on this machine: a bare DataStax driver (the version
 * the processor's Cassandra extension brings) writing each user into {@code users_by_id} with its storage-attached
 * index on {@code country}, with the processor's table definition, write timestamps and consistency level, as
 * async prepared single-row inserts with a bounded number in flight (the processor's
 * {@code pipeline.cassandra.max-concurrent-writes} is 256).
 * <p>
 * It writes into its own keyspace, {@value #KEYSPACE} (replication factor 1), dropped before and after, so it
 * can run against the servers a pipeline uses without touching the pipeline's data or leaving work behind
 * (memtables to flush, compactions) for what is measured next.
 */
public final class CassandraCeiling {

    public static final String KEYSPACE = "ceiling";
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param users       users stored in the measured part, each as one row
     * @param maxInFlight inserts sent and not yet acknowledged, at most
     * @param cpu         the cores the loader and the servers used meanwhile
     */
    public record Result(long users, double seconds, int maxInFlight, CpuUsage cpu) {

        public double usersPerSecond() {
            return users / seconds;
        }
    }

    private CassandraCeiling() {
    }

    /** {@link #measure(Map, int, int)} with {@value #DEFAULT_MAX_IN_FLIGHT} inserts in flight. */
    public static Result measure(Map<String, String> connection, int users) {
        return measure(connection, users, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * Stores a warm-up's worth of users, then {@code users} more, timed.
     *
     * @param connection the servers' connection properties: {@code quarkus.cassandra.contact-points} (host:port,
     *                   comma-separated) and {@code quarkus.cassandra.local-datacenter}
     */
    public static Result measure(Map<String, String> connection, int users, int maxInFlight) {
        String contactPoints = ConnectionProperties.required(connection, "quarkus.cassandra.contact-points");
        String datacenter = ConnectionProperties.required(connection, "quarkus.cassandra.local-datacenter");
        int warmup = Warmup.countFor(users);
        System.out.printf("Cassandra ceiling: %,d users, inserts in flight: %d, at %s%n", users, maxInFlight,
                contactPoints);
        try (CqlSession session = connect(connection)) {
            PreparedStatement insert = createSchema(session, datacenter);
            write(session, insert, 0, warmup, maxInFlight, "warm-up");
            CpuUsage.Clock cpu = CpuUsage.start(connection);
            long start = System.nanoTime();
            write(session, insert, warmup, warmup + (long) users, maxInFlight, "measured");
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuUsage used = cpu.stop();
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE " + KEYSPACE).setTimeout(SCHEMA_TIMEOUT));
            Result result = new Result(users, seconds, maxInFlight, used);
            System.out.printf("Cassandra ceiling: %,.0f users/s, %,d users in %.1f s; CPU: %s%n",
                    result.usersPerSecond(), users, seconds, used.describe());
            return result;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cassandra ceiling at " + contactPoints + " (datacenter " + datacenter
                    + ") failed: " + e.getMessage() + ". Check that Cassandra is up and its log for errors.", e);
        }
    }

    /** A session with the processor's request settings, for the benchmark's own reads too. */
    public static CqlSession connect(Map<String, String> connection) {
        String contactPoints = ConnectionProperties.required(connection, "quarkus.cassandra.contact-points");
        String datacenter = ConnectionProperties.required(connection, "quarkus.cassandra.local-datacenter");
        // The processor's request settings (application.properties); the rest are the driver's defaults, as there.
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "LOCAL_QUORUM")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, SCHEMA_TIMEOUT)
                .build();
        return CqlSession.builder()
                .addContactPoints(Arrays.stream(contactPoints.split(",")).map(CassandraCeiling::address).toList())
                .withLocalDatacenter(datacenter)
                .withConfigLoader(config)
                .build();
    }

    private static InetSocketAddress address(String hostAndPort) {
        String trimmed = hostAndPort.trim();
        int colon = trimmed.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(trimmed, 9042)
                : new InetSocketAddress(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
    }

    /** The processor's keyspace and schema (its migration scripts) in {@value #KEYSPACE}; its insert, prepared. */
    private static PreparedStatement createSchema(CqlSession session, String datacenter) {
        for (String ddl : List.of(
                "DROP KEYSPACE IF EXISTS " + KEYSPACE,
                "CREATE KEYSPACE " + KEYSPACE + " WITH replication = {'class': 'NetworkTopologyStrategy', '" + datacenter
                        + "': 1}")) {
            session.execute(SimpleStatement.newInstance(ddl).setTimeout(SCHEMA_TIMEOUT));
        }
        new CassandraMigrations(session, KEYSPACE, CassandraMigrations.SCRIPTS, SCHEMA_TIMEOUT).migrate();
        return session.prepare(CassandraUserRows.insert(KEYSPACE));
    }

    /** Writes users {@code from} (inclusive) to {@code to} (exclusive) and returns once all are acknowledged. */
    private static void write(CqlSession session, PreparedStatement insert, long from, long to, int maxInFlight,
            String phase) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Progress progress = new Progress("Cassandra " + phase, to - from);
        for (long index = from; index < to && failure.get() == null; index++) {
            StoredUser user = UserRows.row(index);
            inFlight.acquireUninterruptibly();
            session.executeAsync(CassandraUserRows.bind(insert, user)).whenComplete((written, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
            progress.update(index - from + 1);
        }
        inFlight.acquireUninterruptibly(maxInFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("an insert failed during the " + phase + " part: "
                    + failure.get(), failure.get());
        }
    }
}
