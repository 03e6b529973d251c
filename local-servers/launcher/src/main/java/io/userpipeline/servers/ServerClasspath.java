package io.userpipeline.servers;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The class path of a server process: the jars its runtime module resolved, then this launcher's classes. */
final class ServerClasspath {

    private ServerClasspath() {
    }

    /** The jars of a server's runtime module (e.g. {@code kafka-runtime}), then the launcher. */
    static String of(String runtime) {
        String resource = "/local-servers/" + runtime + ".classpath";
        try (InputStream in = ServerClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ServerStartException("The class path of " + runtime + " (" + resource + ") is not on the class"
                        + " path. Build the project first: ./mvnw install -DskipTests");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return withLauncher(jars);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code classpath} followed by the launcher's own classes, which every server process runs first. */
    static String withLauncher(String classpath) {
        return classpath + File.pathSeparator + launcherLocation();
    }

    private static String launcherLocation() {
        try {
            return Path.of(ParentWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
