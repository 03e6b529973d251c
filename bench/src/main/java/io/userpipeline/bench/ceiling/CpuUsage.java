package io.userpipeline.bench.ceiling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cores each process used while a ceiling was timed: this JVM (the loader), each server it started (a child
 * process, with its own children), and the PostgreSQL server of the connection properties, which is no child:
 * pg_ctl detaches it. It tells which side limited a ceiling; on a machine shared with other work, a CPU-bound
 * process shows fewer cores than it would alone, but still the larger share.
 *
 * @param coresByProcess CPU seconds per second of wall time, by process: {@value #LOADER}, Cassandra, Kafka,
 *                       PostgreSQL, or the executable's name for other children
 */
public record CpuUsage(Map<String, Double> coresByProcess) {

    public static final String LOADER = "loader";
    private static final String POSTGRESQL = "PostgreSQL";
    /** A service run from its packaged application: {@code .../processor/target/quarkus-app/...}. */
    private static final Pattern QUARKUS_SERVICE = Pattern.compile("([\\w-]+)/target/quarkus-app/");
    private static final Pattern POSTGRES_PORT = Pattern.compile("//[^/:]+:(\\d+)/");

    /** Call {@link Clock#stop()} at the end of the timed part. */
    public static Clock start(Map<String, String> connection) {
        Optional<String> postgresPort = Optional.ofNullable(connection.get("quarkus.datasource.reactive.url"))
                .map(POSTGRES_PORT::matcher)
                .filter(Matcher::find)
                .map(port -> port.group(1));
        return new Clock(postgresPort, System.nanoTime());
    }

    public static final class Clock {
        private final Optional<String> postgresPort;
        private final Map<String, Duration> atStart;
        private final long startedAt;

        private Clock(Optional<String> postgresPort, long startedAt) {
            this.postgresPort = postgresPort;
            this.atStart = cpuByProcess(postgresPort);
            this.startedAt = startedAt;
        }

        public CpuUsage stop() {
            Map<String, Duration> atEnd = cpuByProcess(postgresPort);
            double seconds = (System.nanoTime() - startedAt) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            atEnd.forEach((process, cpu) -> cores.put(process,
                    cpu.minus(atStart.getOrDefault(process, Duration.ZERO)).toNanos() / 1e9 / seconds));
            return new CpuUsage(cores);
        }
    }

    /** One line, the busiest process first. */
    public String describe() {
        return coresByProcess.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(entry -> String.format("%s %.2f", entry.getKey(), entry.getValue()))
                .reduce((a, b) -> a + ", " + b)
                .map(line -> line + " cores")
                .orElse("no CPU figures on this system");
    }

    private static Map<String, Duration> cpuByProcess(Optional<String> postgresPort) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        cpu.put(LOADER, cpu(ProcessHandle.current()));
        ProcessHandle.current().children().forEach(child -> cpu.merge(name(child), withDescendants(child), Duration::plus));
        postgresPort.ifPresent(port -> {
            Pattern postmaster = Pattern.compile("/postgres\\s.*-p\\s+" + port + "(\\s|$)");
            ProcessHandle.allProcesses()
                    .filter(process -> postmaster.matcher(commandLine(process)).find())
                    .forEach(server -> cpu.merge(POSTGRESQL, withDescendants(server), Duration::plus));
        });
        return cpu;
    }

    private static Duration withDescendants(ProcessHandle process) {
        return process.descendants().map(CpuUsage::cpu).reduce(cpu(process), Duration::plus);
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * The whole command line: the JDK's {@code ProcessHandle.Info} gives only the command for a command line as long
     * as a server's class path.
     */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    /** The servers by the main class or program LocalServers starts them with. */
    private static String name(ProcessHandle process) {
        String commandLine = commandLine(process);
        if (commandLine.contains("org.apache.cassandra.service.CassandraDaemon")) {
            return "Cassandra";
        }
        if (commandLine.contains("kafka.Kafka ")) {
            return "Kafka";
        }
        if (commandLine.contains("EmbeddedPostgresMain")) {
            return POSTGRESQL;
        }
        Matcher service = QUARKUS_SERVICE.matcher(commandLine);
        if (service.find()) {
            return service.group(1);
        }
        String command = process.info().command().orElse("process " + process.pid());
        return command.substring(command.lastIndexOf('/') + 1);
    }
}
