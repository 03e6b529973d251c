package io.userpipeline.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.userpipeline.bench.ceiling.Ceilings;
import io.userpipeline.bench.report.BenchmarkReport;
import io.userpipeline.bench.report.BenchmarkReport.Section;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.LocalServers;
import io.userpipeline.servers.QuarkusService;

/**
 * The whole benchmark, in one run on one set of fresh servers: what each server does alone (the ceilings), the
 * ingestor publishing a backlog of N events, the processor draining it into both stores, then the pipeline
 * under steady input rates. Prints a table with each figure and its ratio to the ceiling it is bounded by, and
 * writes bench/results/latest.{csv,json,png} and the steady rates' second-by-second steady-timeline.csv.
 * <p>
 * Usage: {@code PipelineBenchmark <ingestor quarkus-run.jar> <processor quarkus-run.jar> <work folder> <results folder>
 * [events, default 1,000,000] [seconds per steady rate, default 60]}
 */
public final class PipelineBenchmark {

    private static final int CEILING_USERS = 300_000;
    private static final int[] STEADY_RATES = {1_000, 5_000, 10_000};
    private static final String STEADY_TIMELINE = "steady-timeline.csv";
    /** The processor's heap as its container runs it: the target is a peak RSS within 512 MB. */
    private static final List<String> PROCESSOR_MEMORY = List.of("-Xmx256m");

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path ingestorJar = Path.of(args[0]);
        Path processorJar = Path.of(args[1]);
        Path work = Path.of(args[2]);
        Path results = Path.of(args[3]);
        int events = args.length > 4 ? Integer.parseInt(args[4].replace("_", "")) : 1_000_000;
        int steadySeconds = args.length > 5 ? Integer.parseInt(args[5]) : 60;

        BenchmarkReport report = new BenchmarkReport(String.format("User pipeline on one machine: %,d-event drain,"
                + " %d s per steady rate", events, steadySeconds));
        try (LocalServers servers = LocalServers.startEphemeral(work, EnumSet.allOf(LocalServers.Kind.class))) {
            Map<String, String> connection = servers.connectionProperties();

            int ceilingUsers = Math.min(CEILING_USERS, events);
            System.out.printf("%n== 1/4 Ceilings: each server alone, %,d users%n", ceilingUsers);
            Ceilings.measure(connection, ceilingUsers).addTo(report);

            System.out.printf("%n== 2/4 Ingestor: %,d generated events published to Kafka%n", events);
            QuarkusService preload = ingestor(ingestorJar, work, "ingestor", connection, Map.of(
                    "ingestion.interval", "off", "ingestion.batch-size", Integer.toString(events)));
            preload.start();
            IngestionRun published;
            try {
                published = IngestionRun.triggerAndAwait(preload, 1);
            } finally {
                preload.stop();
            }
            if (published.published() != events) {
                throw new IllegalStateException(String.format("The ingestor published %,d of %,d events (%,d failed); see %s",
                        published.published(), events, published.failed(), preload.logFile()));
            }
            report.drainRate("Ingestor publish (generator to Kafka)", published.publishedPerSecond(), "events/s",
                    Ceilings.KAFKA_PRODUCE_ALONE);

            System.out.printf("%n== 3/4 Processor drain: %,d events from Kafka into Cassandra and PostgreSQL%n", events);
            Map<String, String> processorSettings = new HashMap<>(connection);
            processorSettings.put("pipeline.analytics.refresh-interval", "1h");
            QuarkusService processor = new QuarkusService("processor", processorJar, work.resolve("processor"),
                    FreePorts.next(), processorSettings, QuarkusService.StartedWhen.READY, Duration.ofSeconds(120),
                    PROCESSOR_MEMORY);
            try {
                DrainBenchmark.Result drain = DrainBenchmark.run(processor, connection, events);
                if (drain.cassandraRows() != events || drain.postgresRows() != events) {
                    throw new IllegalStateException(String.format("After the drain Cassandra holds %,d users and PostgreSQL"
                            + " %,d; expected %,d in each. See %s", drain.cassandraRows(), drain.postgresRows(), events,
                            processor.logFile()));
                }
                report.drainRate("Processor drain into both stores", drain.eventsPerSecond(), "events/s",
                        Ceilings.CASSANDRA_ALONE);
                drain.cpu().coresByProcess().forEach((process, cores) ->
                        report.detail(Section.DRAIN, "CPU during the drain: " + process, cores, "cores"));
                report.detail(Section.DRAIN, "Processor peak RSS", drain.processorPeakResidentBytes() / 1048576.0, "MiB");
                report.detail(Section.DRAIN, "Users in Cassandra after the drain", drain.cassandraRows(), "rows");
                report.detail(Section.DRAIN, "Users in PostgreSQL after the drain", drain.postgresRows(), "rows");

                System.out.printf("%n== 4/4 Steady state: at each of %s events/s from one ingestor, a %d s warm-up, then %d s measured%n",
                        Arrays.toString(STEADY_RATES), SteadyStateBenchmark.WARM_UP.toSeconds(), steadySeconds);
                Duration settled = SteadyStateBenchmark.awaitCassandraSettled(connection, Duration.ofMinutes(3));
                System.out.printf("  Cassandra settled after the drain in %d s%n", settled.toSeconds());
                report.detail(Section.STEADY_STATE, "Wait for Cassandra's compactions after the drain", settled.toSeconds(),
                        "s");
                QuarkusService steadyIngestor = ingestor(ingestorJar, work, "ingestor-steady", connection,
                        SteadyStateBenchmark.ingestorSettings());
                steadyIngestor.start();
                List<SteadyStateBenchmark.Result> steadyRuns = new ArrayList<>();
                try {
                    for (int run = 1; run <= STEADY_RATES.length; run++) {
                        int rate = STEADY_RATES[run - 1];
                        SteadyStateBenchmark.Result steady = SteadyStateBenchmark.run(steadyIngestor, run, processor,
                                connection, rate, steadySeconds);
                        steadyRuns.add(steady);
                        System.out.printf("  %,d events/s: achieved %,.0f/s, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, backlog max %,d%s%n",
                                rate, steady.achievedRate(), steady.latency().p50Millis(), steady.latency().p95Millis(),
                                steady.latency().p99Millis(), steady.maxBacklog(), steady.backlogGrowing() ? " (growing)" : "");
                        System.out.printf("    its warm-up: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms%n",
                                steady.warmUpLatency().p50Millis(), steady.warmUpLatency().p95Millis(),
                                steady.warmUpLatency().p99Millis());
                        report.detail(Section.STEADY_STATE, String.format("Warm-up at %,d/s: latency p99", rate),
                                steady.warmUpLatency().p99Millis(), "ms");
                        steady.cpu().coresByProcess().forEach((process, cores) -> report.detail(Section.STEADY_STATE,
                                String.format("CPU at %,d/s: %s", rate, process), cores, "cores"));
                        report.steadyState(rate, steady.achievedRate(), steady.latency().p50Millis(),
                                steady.latency().p95Millis(), steady.latency().p99Millis(), steady.maxBacklog(),
                                steady.backlogGrowing());
                    }
                } finally {
                    steadyIngestor.stop();
                    SteadyStateBenchmark.writeTimeline(steadyRuns, results.resolve(STEADY_TIMELINE));
                }
            } finally {
                processor.stop();
            }
        }
        report.note("Kafka, Cassandra, PostgreSQL, the ingestor and the processor all on this machine; topic with 1 partition;"
                + " processor " + String.join(" ", PROCESSOR_MEMORY) + ", JDK " + Runtime.version().feature()
                + "; each steady rate measured after a " + SteadyStateBenchmark.WARM_UP.toSeconds() + " s warm-up at that rate");
        report.writeAll(results);
    }

    private static QuarkusService ingestor(Path jar, Path work, String name, Map<String, String> connection,
            Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("kafka.bootstrap.servers", connection.get("kafka.bootstrap.servers"));
        return new QuarkusService(name, jar, work.resolve(name), FreePorts.next(), all);
    }
}
