package io.userpipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.userpipeline.bench.ceiling.CpuUsage;
import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.QuarkusService;

/**
 * The pipeline under a steady input: the ingestor publishes at a fixed rate (a run triggered with
 * {@code max-rate}), the processor keeps up or not. One ingestor JVM serves every rate, as in production where it
 * runs for days: a fresh JVM per rate spent up to 1.8 cores on class loading and JIT compilation in its first
 * seconds, on the same two cores as everything else, and the processor's batches at 5,000/s then took 100–240 ms
 * for 16 to 33 s instead of 10–60 ms (bench/run's processor log, /proc per second). Each rate still starts with a
 * warm-up at that rate, the first one warming the JVM too, and is measured after it; the warm-up's latency is
 * reported as well. Latency is the processor's own event-to-stored histogram (from the event's ingestion to the
 * end of its writes in both stores) over the events stored in the measured window; the backlog is what the
 * ingestor has published and the processor not yet stored, sampled every second of that window. Every second of
 * the run, warm-up included, goes to a timeline with the CPU of each process.
 */
final class SteadyStateBenchmark {

    static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final String LATENCY = "processor_event_to_stored_latency_seconds";
    private static final long DRAIN_AFTER_RUN_LIMIT_MILLIS = 60_000;

    record Result(int targetRate, double achievedRate, LatencyPercentiles latency, LatencyPercentiles warmUpLatency,
            long maxBacklog, boolean backlogGrowing, CpuUsage cpu, List<Second> timeline) {
    }

    /**
     * One second of a run, counted from its trigger: what the ingestor had published and the processor stored
     * by then, and the cores each process used in that second.
     */
    record Second(int rate, int second, boolean warmUp, long published, long stored, CpuUsage cpu) {
    }

    private SteadyStateBenchmark() {
    }

    /**
     * @param ingestor  started with {@link #ingestorSettings}, no run in progress
     * @param runNumber the ingestor's number for this run: runs count from 1 since it started
     */
    static Result run(QuarkusService ingestor, int runNumber, QuarkusService processor, Map<String, String> connection,
            int rate, int seconds) throws IOException, InterruptedException {
        MetricsScrape beforeRun = MetricsScrape.of(processor.url());
        long storedBeforeRun = PipelineMetrics.usersInBothStores(beforeRun);
        long publishedBeforeRun = (long) MetricsScrape.of(ingestor.url()).sum("ingestion_records_published_total");
        long triggeredAt = System.nanoTime();
        CpuUsage.Clock secondClock = CpuUsage.start(connection);
        IngestionRun.trigger(ingestor, rate * (WARM_UP.toSeconds() + seconds), rate);

        MetricsScrape windowStart = null;
        long storedAtWindowStart = 0;
        long windowStartedAt = 0;
        CpuUsage.Clock windowClock = null;
        List<Second> timeline = new ArrayList<>();
        List<Long> backlog = new ArrayList<>();
        Optional<IngestionRun> ended = Optional.empty();
        while (ended.isEmpty()) {
            Thread.sleep(1000);
            CpuUsage lastSecond = secondClock.stop();
            secondClock = CpuUsage.start(connection);
            long published = (long) MetricsScrape.of(ingestor.url()).sum("ingestion_records_published_total")
                    - publishedBeforeRun;
            long stored = PipelineMetrics.usersInBothStores(MetricsScrape.of(processor.url())) - storedBeforeRun;
            boolean warmingUp = windowStart == null;
            timeline.add(new Second(rate, timeline.size() + 1, warmingUp, published, stored, lastSecond));
            if (!warmingUp) {
                backlog.add(Math.max(0, published - stored));
            } else if (System.nanoTime() - triggeredAt >= WARM_UP.toNanos()) {
                windowStart = MetricsScrape.of(processor.url());
                storedAtWindowStart = PipelineMetrics.usersInBothStores(windowStart) - storedBeforeRun;
                windowStartedAt = System.nanoTime();
                windowClock = CpuUsage.start(connection);
            }
            ended = IngestionRun.ended(ingestor, runNumber);
        }
        if (windowStart == null) {
            throw new IllegalStateException(String.format("The run at %,d events/s ended within its %d s warm-up; see %s",
                    rate, WARM_UP.toSeconds(), ingestor.logFile()));
        }
        IngestionRun run = ended.get();
        CpuUsage used = windowClock.stop();
        long storedInWindow = PipelineMetrics.usersInBothStores(MetricsScrape.of(processor.url())) - storedBeforeRun
                - storedAtWindowStart;
        // Until the run's end as the ingestor timed it, not until this loop noticed it.
        double windowSeconds = (triggeredAt + run.durationMillis() * 1_000_000 - windowStartedAt) / 1e9;
        long waitedSince = System.currentTimeMillis();
        while (PipelineMetrics.usersInBothStores(MetricsScrape.of(processor.url())) - storedBeforeRun
                < run.published()) {
            if (System.currentTimeMillis() - waitedSince > DRAIN_AFTER_RUN_LIMIT_MILLIS) {
                throw new IllegalStateException(String.format("At %,d events/s the processor had not stored the run's"
                        + " %,d events 60 s after it ended; see %s", rate, run.published(), processor.logFile()));
            }
            Thread.sleep(100);
        }
        LatencyPercentiles warmUp = LatencyPercentiles.between(beforeRun.buckets(LATENCY), windowStart.buckets(LATENCY));
        LatencyPercentiles latency = LatencyPercentiles.between(windowStart.buckets(LATENCY),
                MetricsScrape.of(processor.url()).buckets(LATENCY));
        return new Result(rate, storedInWindow / windowSeconds, latency, warmUp,
                backlog.stream().mapToLong(Long::longValue).max().orElse(0), isGrowing(backlog, rate), used, timeline);
    }

    /**
     * Every second of every rate as CSV, to see what a figure hides: a warm-up, a backlog that forms and clears,
     * a process that takes the cores for a while.
     */
    static void writeTimeline(List<Result> results, Path file) {
        List<String> processes = List.of("Cassandra", "processor", "ingestor", "Kafka", "PostgreSQL");
        StringBuilder csv = new StringBuilder("rate,second,phase,published,stored,backlog");
        processes.forEach(process -> csv.append(",cores_").append(process.toLowerCase(Locale.ROOT)));
        csv.append('\n');
        for (Result result : results) {
            for (Second second : result.timeline()) {
                csv.append(second.rate()).append(',').append(second.second()).append(',')
                        .append(second.warmUp() ? "warm-up" : "measured").append(',').append(second.published())
                        .append(',').append(second.stored()).append(',')
                        .append(Math.max(0, second.published() - second.stored()));
                processes.forEach(process -> csv.append(String.format(Locale.ROOT, ",%.2f",
                        second.cpu().coresByProcess().getOrDefault(process, 0.0))));
                csv.append('\n');
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
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

    /** The ingestor for every steady rate: runs only when triggered, new users (not the drain's) in every run. */
    static Map<String, String> ingestorSettings() {
        return Map.of("ingestion.interval", "off", "ingestion.generator.seed", "1000");
    }
}
