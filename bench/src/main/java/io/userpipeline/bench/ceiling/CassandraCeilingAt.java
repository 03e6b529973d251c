package io.userpipeline.bench.ceiling;

import java.time.Duration;
import java.util.Map;

/**
 * The {@link CassandraCeiling} against a Cassandra that runs already (the side-by-side's, which the Spark harness
 * started): the processor's rows, table and index, as the best single-row loader writes them. Its warm-up is a
 * tenth of the users (at most 50,000) only: the caller warms Cassandra up first (a fresh one needs minutes, see
 * {@link CassandraCeiling#FRESH_SERVER_WARM_UP}). Its CPU is measured by the caller, which knows the server's process.
 * <p>
 * Usage: {@code CassandraCeilingAt host:port users [inserts in flight, default 256]}; the last line printed is
 * {@code rate=<users/s> seconds=<s> users=<n> in_flight=<n> client_cpu_s=<s>}: the client's CPU is what the bare
 * driver spends on these rows, a floor for any client that writes them.
 */
public final class CassandraCeilingAt {

    private CassandraCeilingAt() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: CassandraCeilingAt host:port users [inserts in flight]");
        }
        int users = Integer.parseInt(args[1].replace("_", ""));
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : CassandraCeiling.DEFAULT_MAX_IN_FLIGHT;
        CassandraCeiling.Result result = CassandraCeiling.measure(Map.of("quarkus.cassandra.contact-points", args[0],
                "quarkus.cassandra.local-datacenter", "datacenter1"), users, inFlight, Duration.ZERO);
        double clientCpu = result.cpu().coresByProcess().get(CpuUsage.LOADER) * result.seconds();
        System.out.printf("rate=%.0f seconds=%.1f users=%d in_flight=%d client_cpu_s=%.1f%n", result.usersPerSecond(),
                result.seconds(), result.users(), result.maxInFlight(), clientCpu);
    }
}
