package io.userpipeline.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A process's memory as Linux reports it in /proc: what the kernel had to give it, not what the JVM reserved.
 * Empty where there is no /proc (not Linux) or the process has ended.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** The memory the process holds now (VmRSS), in bytes. */
    public static OptionalLong residentBytes(ProcessHandle process) {
        return statusKilobytes(process, "VmRSS:");
    }

    /** The most the process has held since it started (VmHWM), in bytes. */
    public static OptionalLong peakResidentBytes(ProcessHandle process) {
        return statusKilobytes(process, "VmHWM:");
    }

    private static OptionalLong statusKilobytes(ProcessHandle process, String field) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            return lines.filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> OptionalLong.of(1024 * Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0])))
                    .orElseGet(OptionalLong::empty);
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
