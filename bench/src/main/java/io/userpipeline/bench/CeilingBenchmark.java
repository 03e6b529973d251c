package io.userpipeline.bench;

import java.nio.file.Path;
import java.util.EnumSet;

import io.userpipeline.bench.ceiling.Ceilings;
import io.userpipeline.bench.report.BenchmarkReport;
import io.userpipeline.servers.LocalServers;

/**
 * What Kafka, Cassandra and PostgreSQL each do alone on this machine, on fresh servers: the ceilings the
 * pipeline's figures are compared with, as a table, CSV, JSON and chart.
 * <p>
 * Usage: {@code CeilingBenchmark [users, default 200000] [results folder, default bench/target/ceiling-results]}
 */
public final class CeilingBenchmark {

    private CeilingBenchmark() {
    }

    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 200_000;
        Path results = Path.of(args.length > 1 ? args[1] : "bench/target/ceiling-results");
        System.out.println("Starting Kafka, Cassandra and PostgreSQL");
        try (LocalServers servers = LocalServers.startEphemeral(Path.of("bench/target/work-ceilings"),
                EnumSet.allOf(LocalServers.Kind.class))) {
            Ceilings ceilings = Ceilings.measure(servers.connectionProperties(), users);
            BenchmarkReport report = new BenchmarkReport(
                    String.format("What this machine does: each server alone, %,d users", users));
            ceilings.addTo(report);
            report.writeAll(results);
        }
    }
}
