package io.userpipeline.servers;

import java.nio.file.Path;
import java.util.Set;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the servers named by the system property {@value #SERVERS_PROPERTY} once per test run, before any
 * test (and so before any Quarkus application) starts, and publishes their addresses as system properties,
 * which Quarkus reads as configuration. They are stopped and their data deleted when the run ends, passed or
 * failed; if the test JVM dies instead, {@link ParentWatchdog} stops them.
 */
public class TestServersSessionListener implements LauncherSessionListener {

    public static final String SERVERS_PROPERTY = "local-servers";
    public static final String DIRECTORY_PROPERTY = "local-servers.dir";
    /** Set while this run's servers are up, so that a second launcher session in the same JVM reuses them. */
    private static final String STARTED_PROPERTY = "local-servers.started";

    private LocalServers servers;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String wanted = System.getProperty(SERVERS_PROPERTY, "");
        if (wanted.isBlank() || System.getProperty(STARTED_PROPERTY) != null) {
            return;
        }
        Set<LocalServers.Kind> kinds = LocalServers.Kind.parseList(wanted);
        Path parent = Path.of(System.getProperty(DIRECTORY_PROPERTY, "target/local-servers"));
        servers = LocalServers.startEphemeral(parent, kinds);
        servers.connectionProperties().forEach(System::setProperty);
        kinds.forEach(kind -> System.setProperty(SERVERS_PROPERTY + "." + kind.name().toLowerCase() + ".pid",
                Long.toString(servers.get(kind).pid())));
        System.setProperty(STARTED_PROPERTY, "true");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (servers != null) {
            servers.close();
            servers = null;
            System.clearProperty(STARTED_PROPERTY);
        }
    }
}
