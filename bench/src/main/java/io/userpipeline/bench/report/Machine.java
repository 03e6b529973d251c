package io.userpipeline.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.stream.Stream;

/** The machine a benchmark ran on and when, for the report's footer: figures mean little without it. */
public record Machine(int cores, String cpuModel, String memory, String jdk, String os, Instant at) {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** This machine, now; the JDK is this JVM's. */
    public static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
                procLine("/proc/meminfo", "MemTotal")
                        .map(total -> String.format("%.0f GiB", Long.parseLong(total.replaceAll("[^0-9]", "")) / 1048576.0))
                        .orElse("unknown memory"),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Instant.now());
    }

    public String when() {
        return MINUTE.format(at);
    }

    /** One line: cores, CPU, memory, JDK, OS and date. */
    public String describe() {
        return cores + " cores, " + cpuModel + ", " + memory + " · " + jdk + " · " + os + " · " + when();
    }

    /** The value of the first {@code key: value} line of a /proc file, if there is one. */
    private static Optional<String> procLine(String file, String key) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
