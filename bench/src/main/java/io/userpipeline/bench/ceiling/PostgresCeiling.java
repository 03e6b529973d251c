package io.userpipeline.bench.ceiling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

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
 * a newer event (see the processor's {@code PostgresUserStore}).
 * <p>
 * The table is the processor's own: its Flyway migrations (db/migration) run in a schema of the ceiling's,
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

    private static final String COLUMNS = "user_id, event_id, source, ingested_at, title, first_name, last_name, gender,"
            + " email, email_domain, phone, cell, date_of_birth, age, street, city, state, country, postcode, username,"
            + " registered_at, registration_year, picture_url, nationality";

    /** The processor's Flyway migrations, read from the repository: bench/run starts from its root. */
    private static final Path MIGRATIONS = Path.of("processor/src/main/resources/db/migration");
    private static final Pattern MIGRATION_VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private static final String UPSERT = "INSERT INTO " + SCHEMA + ".users (" + COLUMNS + ") SELECT * FROM unnest("
            + "$1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[],"
            + " $9::text[], $10::text[], $11::text[], $12::text[], $13::date[], $14::int[], $15::text[], $16::text[],"
            + " $17::text[], $18::text[], $19::text[], $20::text[], $21::timestamptz[], $22::int[], $23::text[],"
            + " $24::text[]) ON CONFLICT (user_id) DO UPDATE SET "
            + String.join(", ", Arrays.stream(COLUMNS.split(", ")).skip(1).map(c -> c + " = EXCLUDED." + c).toList())
            + " WHERE users.ingested_at < EXCLUDED.ingested_at";

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

    /** Every migration of the processor, in version order, as one script that creates its objects in {@code schema}. */
    private static String migrationsInto(String schema) {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            List<Path> migrations = files.filter(file -> MIGRATION_VERSION.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(PostgresCeiling::version)).toList();
            StringBuilder script = new StringBuilder("SET search_path TO " + schema + ";\n");
            for (Path migration : migrations) {
                script.append(Files.readString(migration)).append(";\n");
            }
            return script.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the processor's migrations in " + MIGRATIONS.toAbsolutePath()
                    + "; run the benchmark from the repository's root, as bench/run does", e);
        }
    }

    private static int version(Path migration) {
        Matcher version = MIGRATION_VERSION.matcher(migration.getFileName().toString());
        return version.matches() ? Integer.parseInt(version.group(1)) : Integer.MAX_VALUE;
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
     *                   ({@code postgresql://host:port/database}), {@code quarkus.datasource.username} and
     *                   {@code quarkus.datasource.password}
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
            await(pool.query("CREATE SCHEMA " + SCHEMA).execute());
            await(pool.query(migrationsInto(SCHEMA)).execute());
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
            List<UserRow> users = LongStream.range(first, Math.min(to, first + ROWS_PER_STATEMENT))
                    .mapToObj(UserRows::row).toList();
            Tuple arrays = arrays(users);
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

    private static Tuple arrays(List<UserRow> users) {
        return Tuple.tuple()
                .addArrayOfUUID(column(users, UserRow::userId, UUID[]::new))
                .addArrayOfUUID(column(users, UserRow::eventId, UUID[]::new))
                .addArrayOfString(column(users, UserRow::source, String[]::new))
                .addArrayOfOffsetDateTime(column(users, u -> utc(u.ingestedAt()), OffsetDateTime[]::new))
                .addArrayOfString(column(users, UserRow::title, String[]::new))
                .addArrayOfString(column(users, UserRow::firstName, String[]::new))
                .addArrayOfString(column(users, UserRow::lastName, String[]::new))
                .addArrayOfString(column(users, UserRow::gender, String[]::new))
                .addArrayOfString(column(users, UserRow::email, String[]::new))
                .addArrayOfString(column(users, UserRow::emailDomain, String[]::new))
                .addArrayOfString(column(users, UserRow::phone, String[]::new))
                .addArrayOfString(column(users, UserRow::cell, String[]::new))
                .addArrayOfLocalDate(column(users, UserRow::dateOfBirth, LocalDate[]::new))
                .addArrayOfInteger(column(users, UserRow::age, Integer[]::new))
                .addArrayOfString(column(users, UserRow::street, String[]::new))
                .addArrayOfString(column(users, UserRow::city, String[]::new))
                .addArrayOfString(column(users, UserRow::state, String[]::new))
                .addArrayOfString(column(users, UserRow::country, String[]::new))
                .addArrayOfString(column(users, UserRow::postcode, String[]::new))
                .addArrayOfString(column(users, UserRow::username, String[]::new))
                .addArrayOfOffsetDateTime(column(users, u -> utc(u.registeredAt()), OffsetDateTime[]::new))
                .addArrayOfInteger(column(users, UserRow::registrationYear, Integer[]::new))
                .addArrayOfString(column(users, UserRow::pictureUrl, String[]::new))
                .addArrayOfString(column(users, UserRow::nationality, String[]::new));
    }

    private static <T> T[] column(List<UserRow> users, Function<UserRow, T> field, IntFunction<T[]> array) {
        T[] values = array.apply(users.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(users.get(i));
        }
        return values;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
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
