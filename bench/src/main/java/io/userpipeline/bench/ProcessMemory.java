package io.userpipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A process's memory as Linux reports it in /proc: what the kernel had to give it, not what the JVM reserved. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** The process's own peak resident memory (VmHWM), in bytes. */
    static long peakResidentBytes(ProcessHandle process) {
        return statusKilobytes(process, "VmHWM:") * 1024;
    }

    private static long statusKilobytes(ProcessHandle process, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
                    .orElseThrow(() -> new IllegalStateException("/proc/" + process.pid() + "/status has no " + field));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the memory of process " + process.pid(), e);
        }
    }
}
