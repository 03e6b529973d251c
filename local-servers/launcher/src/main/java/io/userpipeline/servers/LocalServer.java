package io.userpipeline.servers;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A real server on loopback ports, in its own directory. It can be stopped and started again on the same ports
 * and data, as a store outage in a test needs.
 */
public abstract class LocalServer {

    static final System.Logger LOG = System.getLogger("local-servers");

    protected final Path directory;
    private ServerProcess process;

    protected LocalServer(Path directory) {
        this.directory = directory;
    }

    /** The server's name for people, e.g. "Cassandra". */
    public abstract String name();

    /** The settings that point a Quarkus service at this server, e.g. {@code kafka.bootstrap.servers}. */
    public abstract Map<String, String> connectionProperties();

    /** Starts the server process and returns it once it serves requests. */
    protected abstract ServerProcess launch();

    /** Where the server's output goes; earlier runs of the same server append to it too. */
    public Path logFile() {
        return directory.resolve(name().toLowerCase() + ".log");
    }

    public final synchronized void start() {
        if (process != null) {
            return;
        }
        LOG.log(Level.INFO, "starting {0}… (log: {1})", name(), logFile());
        long started = System.nanoTime();
        process = launch();
        LOG.log(Level.INFO, "{0} ready in {1} s: {2}", name(),
                String.format("%.1f", (System.nanoTime() - started) / 1e9), connectionProperties());
    }

    /** Stops the server, cleanly if it stops within a minute. Its data stays for the next start. */
    public final synchronized void stop() {
        if (process == null) {
            return;
        }
        process.stop(Duration.ofSeconds(60));
        process = null;
        LOG.log(Level.INFO, "{0} stopped", name());
    }

    /**
     * Kills the server at once (SIGKILL on Unix), as a crash or an out-of-memory kill would: no shutdown hook runs,
     * nothing is flushed. Its data stays for the next start.
     */
    public final synchronized void kill() {
        if (process == null) {
            return;
        }
        process.kill();
        process = null;
        LOG.log(Level.INFO, "{0} killed", name());
    }

    /** The running server's process, e.g. to read its CPU time and memory; empty while it is stopped. */
    public final synchronized Optional<ProcessHandle> process() {
        return Optional.ofNullable(process).map(ServerProcess::handle);
    }

    public final synchronized boolean isRunning() {
        return process != null;
    }
}
