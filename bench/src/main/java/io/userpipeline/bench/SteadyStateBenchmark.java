package io.userpipeline.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.userpipeline.bench.ceiling.CpuUsage;
import io.userpipeline.servers.QuarkusService;

/**
 * The pipeline under a steady input: the ingestor publishes at a fixed rate ({@code ingestion.max-rate}) for a
 * while, the processor keeps up or not. Latency is the processor's own event-to-stored histogram (from the
 * event's ingestion to the end of its writes in both stores) over the events of this run only; the backlog is
 * what the ingestor has published and the processor not yet stored, sampled every second.
 */
final class SteadyStateBenchmark {

    private static final String LATENCY = "processor_event_to_stored_latency_seconds";
    private static final long DRAIN_AFTER_RUN_LIMIT_MILLIS = 60_000;

    record Result(int targetRate, double achievedRate, LatencyPercentiles latency, long maxBacklog, boolean backlogGrowing,
            CpuUsage cpu) {
    }

    private SteadyStateBenchmark() {
    }

    /** @param ingestor not started yet, configured with the rate, a batch of rate × seconds, and no schedule */
    static Result run(QuarkusService ingestor, QuarkusService processor, Map<String, String> connection, int rate)
            throws IOException, InterruptedException {
        ServiceMetrics processorMetrics = new ServiceMetrics(processor);
        ingestor.start();
        try {
            ServiceMetrics ingestorMetrics = new ServiceMetrics(ingestor);
            ServiceMetrics.Scrape before = processorMetrics.scrape();
            long storedBefore = before.usersInBothStores();
            CpuUsage.Clock cpu = CpuUsage.start(connection);
            IngestionRun.trigger(ingestor);
            List<Long> backlog = new ArrayList<>();
            Optional<IngestionRun> ended = Optional.empty();
            while (ended.isEmpty()) {
                Thread.sleep(1000);
                long published = (long) ingestorMetrics.scrape().sum("ingestion_records_published_total");
                backlog.add(Math.max(0, published - (processorMetrics.scrape().usersInBothStores() - storedBefore)));
                ended = IngestionRun.ended(ingestor, 1);
            }
            IngestionRun run = ended.get();
            CpuUsage used = cpu.stop();
            long storedByRunEnd = processorMetrics.scrape().usersInBothStores() - storedBefore;
            long waitedSince = System.currentTimeMillis();
            while (processorMetrics.scrape().usersInBothStores() - storedBefore < run.published()) {
                if (System.currentTimeMillis() - waitedSince > DRAIN_AFTER_RUN_LIMIT_MILLIS) {
                    throw new IllegalStateException(String.format("At %,d events/s the processor had not stored the run's"
                            + " %,d events 60 s after it ended; see %s", rate, run.published(), processor.logFile()));
                }
                Thread.sleep(100);
            }
            LatencyPercentiles latency = LatencyPercentiles.between(before.buckets(LATENCY),
                    processorMetrics.scrape().buckets(LATENCY));
            double achieved = storedByRunEnd * 1000.0 / run.durationMillis();
            return new Result(rate, achieved, latency, backlog.stream().mapToLong(Long::longValue).max().orElse(0),
                    isGrowing(backlog, rate), used);
        } finally {
            ingestor.stop();
        }
    }

    /**
     * Waits until Cassandra is done with the compactions a drain leaves behind (its CPU under 0.2 cores over 5 s,
     * at most {@code limit}), so that a steady rate is measured in a steady state. Returns how long it took.
     */
    static Duration awaitCassandraSettled(Map<String, String> connection, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() - started < limit.toNanos()) {
            CpuUsage.Clock clock = CpuUsage.start(connection);
            Thread.sleep(5_000);
            if (clock.stop().coresByProcess().getOrDefault("Cassandra", 0.0) < 0.2) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * A pipeline that keeps up holds a backlog of about its latency times the rate, however long the run; one that
     * does not keep up piles more on every second. Growing: the last quarter's mean backlog exceeds the second
     * quarter's by more than half a second of input.
     */
    private static boolean isGrowing(List<Long> backlog, int rate) {
        int quarter = backlog.size() / 4;
        if (quarter == 0) {
            return false;
        }
        double second = backlog.subList(quarter, 2 * quarter).stream().mapToLong(Long::longValue).average().orElse(0);
        double last = backlog.subList(backlog.size() - quarter, backlog.size()).stream().mapToLong(Long::longValue)
                .average().orElse(0);
        return last - second > rate / 2.0;
    }


    static Map<String, String> ingestorSettings(int rate, int seconds) {
        return Map.of("ingestion.interval", "off",
                "ingestion.max-rate", Integer.toString(rate),
                "ingestion.batch-size", Integer.toString(rate * seconds),
                // New users for every rate, not updates of the drain's.
                "ingestion.generator.seed", Integer.toString(1_000 + rate));
    }
}
