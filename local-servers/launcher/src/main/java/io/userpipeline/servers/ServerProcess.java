package io.userpipeline.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** One server running in a child process, with its output in a log file. */
final class ServerProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    /** Where this process's output starts in a log that earlier runs of the same server also wrote. */
    private final long logStart;

    private ServerProcess(String name, Process process, Path logFile, long logStart) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.logStart = logStart;
    }

    /**
     * Starts a JVM running {@code mainClass} under {@link ParentWatchdog}, on {@code classpath} (which must hold
     * this launcher's classes, see {@link ServerClasspath}), with {@code environment} added to this process's
     * and stdout and stderr appended to {@code logFile}.
     */
    static ServerProcess launchJava(String name, Path javaExecutable, List<String> commandPrefix, List<String> jvmOptions,
            String classpath, String mainClass, List<String> arguments, Map<String, String> environment, Path logFile) {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(javaExecutable.toString());
        command.addAll(jvmOptions);
        command.add("-D" + ParentWatchdog.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classpath);
        command.add(ParentWatchdog.class.getName());
        command.add(mainClass);
        command.addAll(arguments);
        try {
            Files.createDirectories(logFile.getParent());
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new ServerProcess(name, process, logFile, logStart);
        } catch (IOException e) {
            throw new ServerStartException("Could not start " + name + " (" + javaExecutable + "): " + e.getMessage(), e);
        }
    }

    /** Waits until {@code ready} holds, failing with the end of the log if the process dies or time runs out. */
    void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new ServerStartException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Its log: " + logFile + "\n" + tailOfLog());
            }
            if (System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(5));
                throw new ServerStartException(name + " was not ready after " + timeout.toSeconds()
                        + " s (the machine may be overloaded). Its log: " + logFile + "\n" + tailOfLog());
            }
            sleep(100);
        }
    }

    /** Waits for the process to finish on its own, as a one-shot tool does. */
    void awaitSuccessfulExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ServerStartException(name + " did not finish within " + timeout.toSeconds() + " s. Its log: "
                        + logFile + "\n" + tailOfLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException(name + " was interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new ServerStartException(name + " failed with exit code " + process.exitValue() + ". Its log: "
                    + logFile + "\n" + tailOfLog());
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Asks the server to stop (SIGTERM, so it can shut down cleanly), then kills it after {@code grace}. */
    void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process without warning (SIGKILL on Unix) and waits until it is gone. */
    void kill() {
        try {
            if (!process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while killing " + name, e);
        }
    }

    boolean logContains(String text) {
        try (InputStream in = Files.newInputStream(logFile)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static BooleanSupplier portAccepts(int port) {
        return () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        };
    }

    private String tailOfLog() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "  | " + String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "  (the log could not be read: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("Interrupted while waiting for a server to start", e);
        }
    }
}
