package io.userpipeline.bench.ceiling;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.flywaydb.core.Flyway;

import io.userpipeline.storeduser.PostgresUserRows;
import io.userpipeline.storeduser.StoredUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * How fast PostgreSQL alone stores the processor's user rows on this machine, through the processor's client
 * (the Vert.x reactive PostgreSQL client, without Quarkus around it) and the processor's batching: one upsert per
 * {@value #ROWS_PER_STATEMENT} users, the rows as parallel arrays unnested server-side, replacing a row only with
 * a newer event ({@link PostgresUserRows}, as the processor's {@code PostgresUserStore}).
 * <p>
 * The table is the processor's own: its Flyway migrations (the stored-user module's) run in a schema of the ceiling's,
 * {@value #SCHEMA}, dropped before and after, so that it can run against a pipeline's server without touching
 * its data or leaving dead rows to vacuum.
 */
public final class PostgresCeiling {

    public static final String SCHEMA = "ceiling";
    public static final int ROWS_PER_STATEMENT = 1000;
    /**
     * The processor's pool size ({@code quarkus.datasource.reactive.max-size}): the most it could have in flight.
     * One statement runs on one server process, so one in flight leaves a core idle while the client encodes the
     * next and the answer travels back; in trials here (a busy machine) 1 in flight gave about half the rate of 8.
     */
    public static final int DEFAULT_STATEMENTS_IN_FLIGHT = 8;

    private static final String UPSERT = PostgresUserRows.upsert(SCHEMA + "." + PostgresUserRows.TABLE);

    private static final long SCHEMA_TIMEOUT_SECONDS = 60;

    /**
     * @param rows               rows (one per user) stored in the measured part
     * @param statementsInFlight upserts sent and not yet answered, at most; each has its own connection
     * @param cpu                the cores the loader and the servers used meanwhile
     */
    public record Result(long rows, double seconds, int rowsPerStatement, int statementsInFlight, CpuUsage cpu) {

        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private PostgresCeiling() {
    }

    /** {@link #measure(Map, int, int)} with {@value #DEFAULT_STATEMENTS_IN_FLIGHT} statements in flight. */
    public static Result measure(Map<String, String> connection, int rows) {
        return measure(connection, rows, DEFAULT_STATEMENTS_IN_FLIGHT);
    }

    /** The processor's Flyway migrations (the stored-user module's db/migration), applied in {@code schema}. */
    private static void migrate(Map<String, String> connection, String schema) {
        Flyway.configure()
                .dataSource(ConnectionProperties.required(connection, "quarkus.datasource.jdbc.url"),
                        ConnectionProperties.required(connection, "quarkus.datasource.username"),
                        ConnectionProperties.required(connection, "quarkus.datasource.password"))
                .schemas(schema).defaultSchema(schema).createSchemas(true)
                .load().migrate();
    }

    /** The processor's database and credentials, for the benchmark's own reads too. */
    public static PgConnectOptions connectOptions(Map<String, String> connection) {
        return PgConnectOptions.fromUri(ConnectionProperties.required(connection, "quarkus.datasource.reactive.url"))
                .setUser(ConnectionProperties.required(connection, "quarkus.datasource.username"))
                .setPassword(ConnectionProperties.required(connection, "quarkus.datasource.password"));
    }

    /**
     * Upserts a warm-up's worth of new users, then {@code rows} more, timed, and checks they are all there.
     *
     * @param connection the servers' connection properties: {@code quarkus.datasource.reactive.url}
     *                   ({@code postgresql://host:port/database}), {@code quarkus.datasource.jdbc.url} (for the
     *                   migrations), {@code quarkus.datasource.username} and {@code quarkus.datasource.password}
     */
    public static Result measure(Map<String, String> connection, int rows, int statementsInFlight) {
        String url = ConnectionProperties.required(connection, "quarkus.datasource.reactive.url");
        int warmup = Warmup.countFor(rows);
        PgConnectOptions options = connectOptions(connection);
        System.out.printf("PostgreSQL ceiling: %,d users, %,d rows per statement, statements in flight: %d, at %s%n", rows,
                ROWS_PER_STATEMENT, statementsInFlight, url);
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(statementsInFlight))
                .connectingTo(options)
                .using(vertx)
                .build();
        try {
            await(pool.query("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").execute());
            migrate(connection, SCHEMA);
            write(pool, 0, warmup, statementsInFlight, "warm-up");
            CpuUsage.Clock cpu = CpuUsage.start(connection);
            long start = System.nanoTime();
            write(pool, warmup, warmup + (long) rows, statementsInFlight, "measured");
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuUsage used = cpu.stop();
            long stored = await(pool.query("SELECT count(*) FROM " + SCHEMA + ".users").execute())
                    .iterator().next().getLong(0);
            if (stored != warmup + (long) rows) {
                throw new IllegalStateException(stored + " rows in " + SCHEMA + ".users after upserting "
                        + (warmup + (long) rows) + " distinct users");
            }
            await(pool.query("DROP SCHEMA " + SCHEMA + " CASCADE").execute());
            Result result = new Result(rows, seconds, ROWS_PER_STATEMENT, statementsInFlight, used);
            System.out.printf("PostgreSQL ceiling: %,.0f users/s, %,d users in %.1f s; CPU: %s%n", result.rowsPerSecond(),
                    rows, seconds, used.describe());
            return result;
        } catch (RuntimeException e) {
            throw new IllegalStateException("PostgreSQL ceiling at " + url + " failed: " + e.getMessage()
                    + ". Check that PostgreSQL is up, that the user may create schemas, and its log for errors.", e);
        } finally {
            pool.close();
            vertx.close();
        }
    }

    /** Upserts users {@code from} (inclusive) to {@code to} (exclusive) and returns once all are answered. */
    private static void write(Pool pool, long from, long to, int statementsInFlight, String phase) {
        Semaphore inFlight = new Semaphore(statementsInFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Progress progress = new Progress("PostgreSQL " + phase, to - from);
        for (long first = from; first < to && failure.get() == null; first += ROWS_PER_STATEMENT) {
            List<StoredUser> users = LongStream.range(first, Math.min(to, first + ROWS_PER_STATEMENT))
                    .mapToObj(UserRows::row).toList();
            Tuple arrays = PostgresUserRows.arrays(users);
            inFlight.acquireUninterruptibly();
            pool.preparedQuery(UPSERT).execute(arrays).onComplete(answer -> {
                if (answer.failed()) {
                    failure.compareAndSet(null, answer.cause());
                }
                inFlight.release();
            });
            progress.update(first - from + users.size());
        }
        inFlight.acquireUninterruptibly(statementsInFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("an upsert failed during the " + phase + " part: " + failure.get(),
                    failure.get());
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(SCHEMA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + SCHEMA_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
