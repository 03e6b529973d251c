package io.userpipeline.bench;

import java.time.Duration;
import java.util.Map;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;

import io.userpipeline.bench.ceiling.CassandraCeiling;
import io.userpipeline.bench.ceiling.CpuUsage;
import io.userpipeline.bench.ceiling.PostgresCeiling;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.ProcessMemory;
import io.userpipeline.servers.QuarkusService;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;

/**
 * How fast the processor drains a backlog into both stores: with N events already in Kafka, the processor
 * starts; the rate counts from the moment it is ready to the moment its metrics say every event is in both
 * stores, and the stores' own row counts confirm it.
 */
final class DrainBenchmark {

    private static final long NO_PROGRESS_LIMIT_NANOS = 120_000_000_000L;

    record Result(long events, double seconds, CpuUsage cpu, long processorPeakResidentBytes, long cassandraRows,
            long postgresRows) {

        double eventsPerSecond() {
            return events / seconds;
        }
    }

    private DrainBenchmark() {
    }

    /** @param processor not started yet: the drain starts with it */
    static Result run(QuarkusService processor, Map<String, String> connection, long events) throws InterruptedException {
        processor.start();
        CpuUsage.Clock cpu = CpuUsage.start(connection);
        long startedAt = System.nanoTime();
        long storedAtStart = PipelineMetrics.usersInBothStores(MetricsScrape.of(processor.url()));
        long stored = storedAtStart;
        long lastProgressAt = startedAt;
        long reportedAt = startedAt;
        while (stored < events) {
            Thread.sleep(250);
            long now = System.nanoTime();
            long latest = PipelineMetrics.usersInBothStores(MetricsScrape.of(processor.url()));
            if (latest > stored) {
                lastProgressAt = now;
            } else if (now - lastProgressAt > NO_PROGRESS_LIMIT_NANOS) {
                throw new IllegalStateException(String.format("The processor stored nothing for 120 s at %,d of %,d events;"
                        + " see its log at %s", latest, events, processor.logFile()));
            }
            stored = latest;
            if (now - reportedAt > 10_000_000_000L) {
                System.out.printf("  drain: %,d of %,d events in both stores%n", stored, events);
                reportedAt = now;
            }
        }
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        CpuUsage used = cpu.stop();
        long peak = ProcessMemory.peakResidentBytes(processor.process().orElseThrow()).orElseThrow(() ->
                new IllegalStateException("Cannot read the processor's peak memory from /proc: the benchmark needs Linux"));
        return new Result(events - storedAtStart, seconds, used, peak, cassandraRows(connection), postgresRows(connection));
    }


    /** Read page by page: a count(*) over a million rows outlasts Cassandra's own range-read timeout. */
    private static long cassandraRows(Map<String, String> connection) {
        try (CqlSession session = CassandraCeiling.connect(connection)) {
            long rows = 0;
            for (Row ignored : session.execute(SimpleStatement.newInstance("SELECT user_id FROM user_pipeline.users_by_id")
                    .setPageSize(5_000).setTimeout(Duration.ofSeconds(60)))) {
                rows++;
            }
            return rows;
        }
    }

    private static long postgresRows(Map<String, String> connection) {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().connectingTo(PostgresCeiling.connectOptions(connection)).using(vertx).build();
        try {
            return pool.query("SELECT count(*) FROM users").execute().toCompletionStage().toCompletableFuture().join()
                    .iterator().next().getLong(0);
        } finally {
            pool.close();
            vertx.close();
        }
    }
}
