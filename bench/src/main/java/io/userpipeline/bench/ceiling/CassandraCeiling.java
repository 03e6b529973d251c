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
    /**
     * A Cassandra just started here stores these rows at a third of the rate it reaches after about 3 minutes at
     * full load, its CPU near 1.8 cores all along (bench/README.md, "Ceilings"): a ceiling timed after a warm-up of
     * seconds measured that start.
     */
    public static final Duration FRESH_SERVER_WARM_UP = Duration.ofMinutes(3);
    /** The end of a warm-up whose rate is reported: next to the timed rate, it shows whether the warm-up was long enough. */
    private static final int WARM_UP_END_SECONDS = 15;
    private static final Duration WARM_UP_END = Duration.ofSeconds(WARM_UP_END_SECONDS);

    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param users            users stored in the measured part, each as one row
     * @param maxInFlight      inserts sent and not yet acknowledged, at most
     * @param cpu              the cores the loader and the servers used meanwhile
     * @param warmUpSeconds    how long the warm-up before it wrote
     * @param warmUpEndRate    users/s over the warm-up's last {@value #WARM_UP_END_SECONDS} s, or NaN if it was
     *                         shorter
     */
    public record Result(long users, double seconds, int maxInFlight, CpuUsage cpu, double warmUpSeconds,
            double warmUpEndRate) {

        public double usersPerSecond() {
            return users / seconds;
        }
    }

    private CassandraCeiling() {
    }

    /**
     * {@link #measure(Map, int, int, Duration)} on a Cassandra that has just started: {@value #DEFAULT_MAX_IN_FLIGHT}
     * inserts in flight after a {@link #FRESH_SERVER_WARM_UP}.
     */
    public static Result measureFresh(Map<String, String> connection, int users) {
        return measure(connection, users, DEFAULT_MAX_IN_FLIGHT, FRESH_SERVER_WARM_UP);
    }

    /**
     * Stores users for a warm-up, then {@code users} more, timed.
     *
     * @param connection the servers' connection properties: {@code quarkus.cassandra.contact-points} (host:port,
     *                   comma-separated) and {@code quarkus.cassandra.local-datacenter}
     * @param warmUp     how long the warm-up writes at least; it writes at least {@link Warmup#countFor} users too
     *                   (a tenth of {@code users}, 2,000 to 50,000)
     */
    public static Result measure(Map<String, String> connection, int users, int maxInFlight, Duration warmUp) {
        String contactPoints = ConnectionProperties.required(connection, "quarkus.cassandra.contact-points");
        String datacenter = ConnectionProperties.required(connection, "quarkus.cassandra.local-datacenter");
        System.out.printf("Cassandra ceiling: %,d users, inserts in flight: %d, at %s, after a warm-up of at least %d s%n",
                users, maxInFlight, contactPoints, warmUp.toSeconds());
        try (CqlSession session = connect(connection)) {
            PreparedStatement insert = createSchema(session, datacenter);
            long warmUpStart = System.nanoTime();
            boolean endTimed = warmUp.compareTo(WARM_UP_END) >= 0;
            long beforeEnd = write(session, insert, 0, Warmup.countFor(users),
                    endTimed ? warmUp.minus(WARM_UP_END) : warmUp, maxInFlight, "warm-up");
            long endStart = System.nanoTime();
            long warmedUp = endTimed
                    ? write(session, insert, beforeEnd, beforeEnd, WARM_UP_END, maxInFlight, "warm-up's end")
                    : beforeEnd;
            double warmUpEndRate = endTimed ? (warmedUp - beforeEnd) / ((System.nanoTime() - endStart) / 1e9) : Double.NaN;
            double warmUpSeconds = (System.nanoTime() - warmUpStart) / 1e9;
            CpuUsage.Clock cpu = CpuUsage.start(connection);
            long start = System.nanoTime();
            write(session, insert, warmedUp, warmedUp + users, Duration.ZERO, maxInFlight, "measured");
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuUsage used = cpu.stop();
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE " + KEYSPACE).setTimeout(SCHEMA_TIMEOUT));
            Result result = new Result(users, seconds, maxInFlight, used, warmUpSeconds, warmUpEndRate);
            System.out.printf("Cassandra ceiling: %,.0f users/s, %,d users in %.1f s (the warm-up's last %d s: %,.0f/s);"
                    + " CPU: %s%n", result.usersPerSecond(), users, seconds, WARM_UP_END_SECONDS, warmUpEndRate,
                    used.describe());
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

    /**
     * Writes users from {@code from} (inclusive), at least to {@code minimumTo} (exclusive) and for at least
     * {@code minimumTime}, and returns the index after the last one once all are acknowledged.
     */
    private static long write(CqlSession session, PreparedStatement insert, long from, long minimumTo,
            Duration minimumTime, int maxInFlight, String phase) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Progress progress = new Progress("Cassandra " + phase, minimumTime.isZero() ? minimumTo - from : 0);
        long until = System.nanoTime() + minimumTime.toNanos();
        long index = from;
        while ((index < minimumTo || System.nanoTime() < until) && failure.get() == null) {
            StoredUser user = UserRows.row(index);
            inFlight.acquireUninterruptibly();
            session.executeAsync(CassandraUserRows.bind(insert, user)).whenComplete((written, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
                inFlight.release();
            });
            index++;
            progress.update(index - from);
        }
        inFlight.acquireUninterruptibly(maxInFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("an insert failed during the " + phase + " part: "
                    + failure.get(), failure.get());
        }
        return index;
    }
}
