package io.userpipeline.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraJdkTest {

    @TempDir
    Path installs;

    @Test
    void reportsWhatToInstallWhenNoJdk17Or11IsFound() throws IOException {
        Path running = fakeJdk(installs.resolve("running"), "25.0.1");
        fakeJdk(installs.resolve("jvm/jdk-21"), "21.0.5");

        CassandraJdk lookup = new CassandraJdk(Map.of(), running, List.of(installs.resolve("jvm")));

        assertThatThrownBy(lookup::javaExecutable)
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("runs only on JDK 17 or 11, and none was found")
                .hasMessageContaining("CASSANDRA_JAVA_HOME (not set)")
                .hasMessageContaining(installs.resolve("jvm").toString())
                .hasMessageContaining("Install a JDK 17");
    }

    @Test
    void prefersJdk17AmongInstalledJdks() throws IOException {
        Path running = fakeJdk(installs.resolve("running"), "21.0.5");
        fakeJdk(installs.resolve("jvm/java-11"), "11.0.25");
        Path jdk17 = fakeJdk(installs.resolve("jvm/java-17"), "17.0.15");

        CassandraJdk lookup = new CassandraJdk(Map.of(), running, List.of(installs.resolve("jvm")));

        assertThat(lookup.javaExecutable()).isEqualTo(jdk17.resolve("bin/java"));
    }

    @Test
    void findsMacOsBundles() throws IOException {
        Path running = fakeJdk(installs.resolve("running"), "21.0.5");
        Path bundleHome = fakeJdk(installs.resolve("JavaVirtualMachines/temurin-17.jdk/Contents/Home"), "17.0.12");

        CassandraJdk lookup = new CassandraJdk(Map.of(), running, List.of(installs.resolve("JavaVirtualMachines")));

        assertThat(lookup.javaExecutable()).isEqualTo(bundleHome.resolve("bin/java"));
    }

    @Test
    void usesTheEnvironmentVariableFirst() throws IOException {
        Path running = fakeJdk(installs.resolve("running"), "17.0.15");
        Path configured = fakeJdk(installs.resolve("chosen"), "11.0.25");

        CassandraJdk lookup = new CassandraJdk(Map.of("CASSANDRA_JAVA_HOME", configured.toString()), running, List.of());

        assertThat(lookup.javaExecutable()).isEqualTo(configured.resolve("bin/java"));
    }

    @Test
    void rejectsAnEnvironmentVariablePointingAtAnUnsupportedJdk() throws IOException {
        Path configured = fakeJdk(installs.resolve("jdk-21"), "21.0.5");

        CassandraJdk lookup = new CassandraJdk(Map.of("CASSANDRA_JAVA_HOME", configured.toString()),
                installs.resolve("none"), List.of());

        assertThatThrownBy(lookup::javaExecutable)
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("points to a JDK 21")
                .hasMessageContaining("runs only on JDK 17 or 11");
    }

    @Test
    void rejectsAnEnvironmentVariablePointingAtSomethingElse() {
        CassandraJdk lookup = new CassandraJdk(Map.of("CASSANDRA_JAVA_HOME", installs.toString()),
                installs.resolve("none"), List.of());

        assertThatThrownBy(lookup::javaExecutable)
                .isInstanceOf(ServerStartException.class)
                .hasMessageContaining("which is not a JDK");
    }

    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
