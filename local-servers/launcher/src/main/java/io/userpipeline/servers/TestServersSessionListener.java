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
    /** Where tests stop and start servers: see {@link ServerControlEndpoint}. */
    public static final String CONTROL_URL_PROPERTY = "local-servers.control-url";
    /** Set while this run's servers are up, so that a second launcher session in the same JVM reuses them. */
    private static final String STARTED_PROPERTY = "local-servers.started";

    private LocalServers servers;
    private ServerControlEndpoint control;

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
        control = new ServerControlEndpoint(servers);
        System.setProperty(CONTROL_URL_PROPERTY, control.url());
        System.setProperty(STARTED_PROPERTY, "true");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (servers != null) {
            control.close();
            servers.close();
            servers = null;
            System.clearProperty(STARTED_PROPERTY);
        }
    }
}
