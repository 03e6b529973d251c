package io.userpipeline.bench.ceiling;

import java.util.Map;

import io.userpipeline.bench.report.BenchmarkReport;
import io.userpipeline.bench.report.BenchmarkReport.Section;

/**
 * The three ceilings of one run, measured one after the other so that each server has the cores to itself (the
 * others idle), and their figures for a {@link BenchmarkReport} under the names below, which drain figures
 * compare with.
 */
public record Ceilings(CassandraCeiling.Result cassandra, PostgresCeiling.Result postgres, KafkaCeiling.Result kafka) {

    public static final String CASSANDRA_ALONE = "Cassandra alone";
    public static final String POSTGRES_ALONE = "PostgreSQL alone";
    public static final String KAFKA_PRODUCE_ALONE = "Kafka produce alone";
    public static final String KAFKA_CONSUME_ALONE = "Kafka consume alone";

    /** Below this, a process only ticked over (timers, heartbeats) while another ceiling ran. */
    private static final double IDLE_CORES = 0.05;

    /** Each ceiling with its default settings and {@code users} users (records). */
    public static Ceilings measure(Map<String, String> connection, int users) {
        CassandraCeiling.Result cassandra = CassandraCeiling.measureFresh(connection, users);
        PostgresCeiling.Result postgres = PostgresCeiling.measure(connection, users);
        KafkaCeiling.Result kafka = KafkaCeiling.measure(connection, users);
        return new Ceilings(cassandra, postgres, kafka);
    }

    /** The four ceilings as chart bars, the rest as details, and the settings as a note. */
    public void addTo(BenchmarkReport report) {
        report.ceiling(CASSANDRA_ALONE, cassandra.usersPerSecond(), "users/s")
                .ceiling(POSTGRES_ALONE, postgres.rowsPerSecond(), "users/s")
                .ceiling(KAFKA_PRODUCE_ALONE, kafka.producedPerSecond(), "records/s")
                .ceiling(KAFKA_CONSUME_ALONE, kafka.consumedPerSecond(), "records/s")
                .detail(Section.CEILING, "Kafka record size, uncompressed", kafka.averageRecordBytes(), "bytes");
        report.detail(Section.CEILING, "Cassandra alone: warm-up before it", cassandra.warmUpSeconds(), "s");
        if (!Double.isNaN(cassandra.warmUpEndRate())) {
            report.detail(Section.CEILING, "Cassandra alone: rate at the warm-up's end", cassandra.warmUpEndRate(),
                    "users/s");
        }
        addCpu(report, CASSANDRA_ALONE, cassandra.cpu());
        addCpu(report, POSTGRES_ALONE, postgres.cpu());
        addCpu(report, KAFKA_PRODUCE_ALONE, kafka.produceCpu());
        addCpu(report, KAFKA_CONSUME_ALONE, kafka.consumeCpu());
        report.note(String.format("Ceilings: %,d users each, after a warm-up (Cassandra's %.0f s at full load); Cassandra %d inserts in flight, LOCAL_QUORUM; PostgreSQL %,d rows per upsert, %d in flight; Kafka acks=all, idempotent, lz4,"
                + " linger 5 ms, batch 256 KiB", cassandra.users(),
                cassandra.warmUpSeconds(), cassandra.maxInFlight(), postgres.rowsPerStatement(),
                postgres.statementsInFlight()));
    }

    /** The processes that were busy while a ceiling was timed: which side limited it. */
    private static void addCpu(BenchmarkReport report, String ceiling, CpuUsage cpu) {
        cpu.coresByProcess().forEach((process, cores) -> {
            if (cores >= IDLE_CORES) {
                report.detail(Section.CEILING, ceiling + ": CPU of " + process, cores, "cores");
            }
        });
    }
}
