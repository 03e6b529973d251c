package io.userpipeline.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds a JDK that Apache Cassandra 5.0 runs on. Cassandra 5.0 supports only Java 11 and 17; on newer JDKs
 * it fails at start (it installs a security policy, which JEP 486 removed), so the build's own JDK 21+ will
 * not do.
 */
public final class CassandraJdk {

    public static final String ENVIRONMENT_VARIABLE = "CASSANDRA_JAVA_HOME";

    private static final List<Integer> SUPPORTED_FEATURE_VERSIONS = List.of(17, 11);

    private final Map<String, String> environment;
    private final Path runningJavaHome;
    private final List<Path> installRoots;

    CassandraJdk(Map<String, String> environment, Path runningJavaHome, List<Path> installRoots) {
        this.environment = environment;
        this.runningJavaHome = runningJavaHome;
        this.installRoots = installRoots;
    }

    /** The lookup of this machine: the environment variable, the running JDK, then the usual install places. */
    public static CassandraJdk ofThisMachine() {
        Path home = Path.of(System.getProperty("user.home"));
        return new CassandraJdk(System.getenv(), Path.of(System.getProperty("java.home")), List.of(
                Path.of("/usr/lib/jvm"),
                Path.of("/usr/java"),
                Path.of("/opt/java"),
                Path.of("/Library/Java/JavaVirtualMachines"),
                home.resolve(".sdkman/candidates/java"),
                home.resolve(".jdks"),
                home.resolve(".asdf/installs/java")));
    }

    /**
     * @return the {@code java} executable of a JDK 17 (preferred) or 11
     * @throws ServerStartException naming where it looked and what to install
     */
    public Path javaExecutable() {
        String configured = environment.get(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            int version = featureVersion(home).orElseThrow(() -> new ServerStartException(
                    ENVIRONMENT_VARIABLE + " is set to " + home + ", which is not a JDK (no bin/java and release file"
                            + " there). Point it at the home directory of a JDK 17 or 11."));
            if (!SUPPORTED_FEATURE_VERSIONS.contains(version)) {
                throw new ServerStartException(ENVIRONMENT_VARIABLE + " points to a JDK " + version + " (" + home
                        + "), but Apache Cassandra 5.0 runs only on JDK 17 or 11. Point it at one of those.");
            }
            return home.resolve("bin/java");
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(runningJavaHome);
        for (Path root : installRoots) {
            candidates.addAll(childrenOf(root));
        }
        for (int wanted : SUPPORTED_FEATURE_VERSIONS) {
            for (Path candidate : candidates) {
                if (featureVersion(candidate).filter(v -> v == wanted).isPresent()) {
                    return candidate.resolve("bin/java");
                }
            }
        }
        throw new ServerStartException("Apache Cassandra 5.0 runs only on JDK 17 or 11, and none was found.\n"
                + "  Looked at: " + ENVIRONMENT_VARIABLE + " (not set), the running JDK (" + runningJavaHome
                + "), and the JDKs under " + installRoots + ".\n"
                + "  Install a JDK 17 (for example `sudo apt-get install openjdk-17-jdk-headless`, or Temurin 17)"
                + " and, if it is not in one of those places, set " + ENVIRONMENT_VARIABLE
                + " to its home directory.");
    }

    private static List<Path> childrenOf(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            // macOS bundles keep the JDK home under Contents/Home.
            return children.sorted(Comparator.reverseOrder())
                    .map(child -> Files.isDirectory(child.resolve("Contents/Home")) ? child.resolve("Contents/Home") : child)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Reads the {@code release} file every JDK since 9 ships, e.g. {@code JAVA_VERSION="17.0.15"}. */
    static Optional<Integer> featureVersion(Path javaHome) {
        Path release = javaHome.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isRegularFile(javaHome.resolve("bin/java"))) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(release)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
        String feature = version.startsWith("1.") ? version.substring(2) : version;
        try {
            return Optional.of(Integer.parseInt(feature.split("[.+-]")[0]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
