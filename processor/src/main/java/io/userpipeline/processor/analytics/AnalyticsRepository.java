package io.userpipeline.processor.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The batch layer beside the real-time one: materialized views over the users table (see db/migration),
 * recomputed on a schedule without blocking readers, and read by {@code GET /analytics}. When they were last
 * recomputed is kept in PostgreSQL ({@code analytics_refresh}), not in this instance: any instance answers the same.
 */
@ApplicationScoped
public class AnalyticsRepository {

    private static final Logger LOG = Logger.getLogger(AnalyticsRepository.class);
    private static final String[] VIEWS = { "users_by_country", "users_by_gender", "users_by_age_band",
            "registrations_per_day" };

    /** The advisory lock that makes refreshes one at a time across processor instances; any constant will do. */
    static final long REFRESH_LOCK = 0x75736572L;
    /** PostgreSQL's lock_not_available: lock_timeout passed. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final Pool client;
    private final Duration refreshWait;

    @Inject
    AnalyticsRepository(Pool client, ProcessorConfig config) {
        this(client, config.analytics().refreshWait());
    }

    AnalyticsRepository(Pool client, Duration refreshWait) {
        this.client = client;
        this.refreshWait = refreshWait;
    }

    @Scheduled(every = "${pipeline.analytics.refresh-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return client.withTransaction(connection -> connection
                        .query("SELECT pg_try_advisory_xact_lock(" + REFRESH_LOCK + ")").execute()
                        .chain(locked -> {
                            if (!locked.iterator().next().getBoolean(0)) {
                                LOG.debug("Another processor instance is refreshing the analytics views; skipped");
                                return Uni.createFrom().voidItem();
                            }
                            return recompute(connection);
                        }))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("Refreshing the analytics views failed: %s. The views keep their previous contents; the"
                            + " next refresh tries again.", failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Recomputes every view from the users table, so that they count every user stored before this call. Another
     * processor instance's refresh runs to its end first (each scans the whole table, one at a time is enough);
     * if it takes longer than {@code pipeline.analytics.refresh-wait}, this fails with
     * {@link AnalyticsUnavailableException} rather than leave the views as they were.
     */
    public Uni<Void> refresh() {
        return client.withTransaction(connection -> connection
                .query("SET LOCAL lock_timeout = " + refreshWait.toMillis()).execute()
                .chain(() -> connection.query("SELECT pg_advisory_xact_lock(" + REFRESH_LOCK + ")").execute())
                .onFailure(AnalyticsRepository::isLockTimeout).transform(timedOut -> new AnalyticsUnavailableException(
                        "Another processor instance is refreshing the analytics views and has not finished within "
                                + refreshWait.toSeconds() + " s (pipeline.analytics.refresh-wait); try again shortly",
                        timedOut))
                .chain(() -> recompute(connection)));
    }

    /**
     * Under the lock, in one transaction: the time first, then the views. Each REFRESH reads the users committed
     * before it starts, so the views hold at least every user stored before {@code refreshed_at}, and readers see
     * the new time only with the new views.
     */
    private static Uni<Void> recompute(SqlConnection connection) {
        Uni<Void> chain = connection.query("UPDATE analytics_refresh SET refreshed_at = clock_timestamp()").execute()
                .replaceWithVoid();
        for (String view : VIEWS) {
            chain = chain.chain(() -> connection.query("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view).execute())
                    .replaceWithVoid();
        }
        return chain;
    }

    private static boolean isLockTimeout(Throwable failure) {
        return failure instanceof PgException refused && LOCK_NOT_AVAILABLE.equals(refused.getSqlState());
    }

    /** The views and their refresh time, read in one snapshot, so that a refresh cannot land between them. */
    public Uni<Analytics> read() {
        return client.withTransaction(connection -> connection
                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
                .chain(() -> connection.query("SELECT refreshed_at FROM analytics_refresh").execute())
                .chain(refreshed -> {
                    OffsetDateTime at = refreshed.iterator().next().getOffsetDateTime(0);
                    Instant asOf = at == null ? null : at.toInstant();
                    return Uni.combine().all().unis(
                                    counts(connection, "SELECT country, users FROM users_by_country ORDER BY users DESC, country", r -> r.getString(0)),
                                    counts(connection, "SELECT gender, users FROM users_by_gender ORDER BY users DESC, gender", r -> r.getString(0)),
                                    counts(connection, "SELECT age_band, users FROM users_by_age_band ORDER BY age_band", r -> r.getString(0)),
                                    counts(connection, "SELECT day, users FROM registrations_per_day ORDER BY day", r -> r.getLocalDate(0)))
                            .with((byCountry, byGender, byAgeBand, perDay) -> new Analytics(asOf,
                                    byGender.values().stream().mapToLong(Long::longValue).sum(),
                                    byCountry, byGender, byAgeBand, perDay));
                }));
    }

    private static <K> Uni<Map<K, Long>> counts(SqlConnection connection, String sql, Function<Row, K> key) {
        return connection.query(sql).execute().map(rows -> toMap(rows, key));
    }

    private static <K> Map<K, Long> toMap(RowSet<Row> rows, Function<Row, K> key) {
        Map<K, Long> counts = new LinkedHashMap<>();
        rows.forEach(row -> counts.put(key.apply(row), row.getLong(1)));
        return counts;
    }

}
