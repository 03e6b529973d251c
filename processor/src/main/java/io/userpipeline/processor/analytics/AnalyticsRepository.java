package io.userpipeline.processor.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * The batch layer beside the real-time one: materialized views over the users table (see db/migration),
 * recomputed on a schedule without blocking readers, and read by {@code GET /analytics}.
 */
@ApplicationScoped
public class AnalyticsRepository {

    private static final Logger LOG = Logger.getLogger(AnalyticsRepository.class);
    private static final String[] VIEWS = { "users_by_country", "users_by_gender", "users_by_age_band",
            "registrations_per_day" };

    /** The advisory lock that makes refreshes one at a time across processor instances; any constant will do. */
    private static final long REFRESH_LOCK = 0x75736572L;

    private final Pool client;
    private final AtomicReference<Instant> refreshedAt = new AtomicReference<>();

    AnalyticsRepository(Pool client) {
        this.client = client;
    }

    @Scheduled(every = "${pipeline.analytics.refresh-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return refresh().onFailure().recoverWithUni(failure -> {
            LOG.warnf("Refreshing the analytics views failed: %s. The views keep their previous contents; the next"
                    + " refresh tries again.", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Recomputes every view from the users table, unless another processor instance is doing it now: each
     * refresh scans the whole table, and one at a time is enough.
     */
    public Uni<Void> refresh() {
        Instant started = Instant.now();
        return client.withConnection(connection -> connection
                .query("SELECT pg_try_advisory_lock(" + REFRESH_LOCK + ")").execute()
                .chain(locked -> {
                    if (!locked.iterator().next().getBoolean(0)) {
                        LOG.debug("Another processor instance is refreshing the analytics views; skipped");
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String view : VIEWS) {
                        chain = chain.chain(() -> connection.query("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view)
                                .execute()).replaceWithVoid();
                    }
                    return chain.invoke(() -> refreshedAt.set(started))
                            .eventually(() -> connection.query("SELECT pg_advisory_unlock(" + REFRESH_LOCK + ")").execute());
                }));
    }

    public Uni<Analytics> read() {
        Instant asOf = refreshedAt.get();
        return Uni.combine().all().unis(
                        counts("SELECT country, users FROM users_by_country ORDER BY users DESC, country", r -> r.getString(0)),
                        counts("SELECT gender, users FROM users_by_gender ORDER BY users DESC, gender", r -> r.getString(0)),
                        counts("SELECT age_band, users FROM users_by_age_band ORDER BY age_band", r -> r.getString(0)),
                        counts("SELECT day, users FROM registrations_per_day ORDER BY day", r -> r.getLocalDate(0)))
                .with((byCountry, byGender, byAgeBand, perDay) -> new Analytics(asOf,
                        byGender.values().stream().mapToLong(Long::longValue).sum(),
                        byCountry, byGender, byAgeBand, perDay));
    }

    private <K> Uni<Map<K, Long>> counts(String sql, Function<Row, K> key) {
        return client.query(sql).execute().map(rows -> toMap(rows, key));
    }

    private static <K> Map<K, Long> toMap(RowSet<Row> rows, Function<Row, K> key) {
        Map<K, Long> counts = new LinkedHashMap<>();
        rows.forEach(row -> counts.put(key.apply(row), row.getLong(1)));
        return counts;
    }

}
