package io.userpipeline.servers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A single Apache Cassandra 5.0 node, run on a JDK 17 or 11 found by {@link CassandraJdk}. */
public final class CassandraServer extends LocalServer {

    public static final String DATACENTER = "datacenter1";

    /** From Cassandra's conf/jvm17-server.options: the JDK internals it reaches into. */
    private static final List<String> MODULE_ACCESS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED");

    /** The superuser a node with password authentication creates on its first start. */
    public static final String DEFAULT_SUPERUSER = "cassandra";

    private final int nativePort;
    private final int storagePort;
    private final String heap;
    private final boolean passwordAuthentication;

    public CassandraServer(Path directory, int nativePort, int storagePort, String heap) {
        this(directory, nativePort, storagePort, heap, false);
    }

    /**
     * @param passwordAuthentication whether clients must log in and need permissions (PasswordAuthenticator and
     *                               CassandraAuthorizer), as in production; the superuser is
     *                               {@value #DEFAULT_SUPERUSER} with the same password
     */
    public CassandraServer(Path directory, int nativePort, int storagePort, String heap, boolean passwordAuthentication) {
        super(directory);
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.heap = heap;
        this.passwordAuthentication = passwordAuthentication;
    }

    @Override
    public String name() {
        return "Cassandra";
    }

    public String contactPoint() {
        return "127.0.0.1:" + nativePort;
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of(
                "quarkus.cassandra.contact-points", contactPoint(),
                "quarkus.cassandra.local-datacenter", DATACENTER);
    }

    @Override
    protected ServerProcess launch() {
        Path java = CassandraJdk.ofThisMachine().javaExecutable();
        FreePorts.requireFree(nativePort, "Cassandra CQL");
        FreePorts.requireFree(storagePort, "Cassandra storage");
        writeConfiguration();
        String classpath = ServerClasspath.of("cassandra-runtime");
        String jamm = Arrays.stream(classpath.split(File.pathSeparator))
                .filter(jar -> Path.of(jar).getFileName().toString().startsWith("jamm-"))
                .findFirst()
                .orElseThrow(() -> new ServerStartException("jamm is missing from the Cassandra class path"));
        List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xms" + heap, "-Xmx" + heap, "-Xss512k", "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled",
                "-XX:MaxTenuringThreshold=1", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + directory,
                "-javaagent:" + jamm,
                "-Djdk.attach.allowAttachSelf=true",
                "-Dio.netty.tryReflectionSetAccessible=true",
                "-Djava.net.preferIPv4Stack=true",
                "-Dcassandra-foreground=yes",
                "-Dcassandra.config=" + directory.resolve("cassandra.yaml").toUri(),
                "-Dcassandra.storagedir=" + directory.resolve("data"),
                "-Dcassandra.logdir=" + directory,
                "-Dlogback.configurationFile=" + directory.resolve("logback.xml"),
                // A single node has no peers to wait for or announce its shutdown to.
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.shutdown_announce_in_ms=0",
                "-Dcassandra.ring_delay_ms=0",
                // The default superuser is otherwise created 10 s after start, long after the port opens.
                "-Dcassandra.superuser_setup_delay_ms=0"));
        jvmOptions.addAll(MODULE_ACCESS);
        ServerProcess cassandra = ServerProcess.launchJava(name(), java, withoutMemoryLocking(), jvmOptions,
                classpath, "org.apache.cassandra.service.CassandraDaemon", List.of(), Map.of(), logFile());
        cassandra.awaitReady(Duration.ofSeconds(180), ServerProcess.portAccepts(nativePort));
        return cassandra;
    }

    /**
     * As root, Cassandra locks all of its memory (mlockall), which makes the whole heap resident: about 1.6 GB
     * instead of about 0.5 GB. Dropping the capability makes the lock fail harmlessly.
     */
    private static List<String> withoutMemoryLocking() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Path.of("/usr/bin/setpriv");
        return root && Files.isExecutable(setpriv)
                ? List.of(setpriv.toString(), "--inh-caps=-ipc_lock", "--bounding-set=-ipc_lock")
                : List.of();
    }

    private void writeConfiguration() {
        Path data = directory.resolve("data");
        String yaml = String.join("\n",
                "cluster_name: local-user-pipeline",
                "num_tokens: 1",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"127.0.0.1:" + storagePort + "\"",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "start_native_transport: true",
                "data_file_directories:",
                "  - " + data.resolve("data"),
                "commitlog_directory: " + data.resolve("commitlog"),
                "saved_caches_directory: " + data.resolve("saved_caches"),
                "hints_directory: " + data.resolve("hints"),
                "cdc_raw_directory: " + data.resolve("cdc_raw"),
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "commitlog_segment_size: 8MiB",
                // Apache's settings for new 5.0 clusters (conf/cassandra_latest.yaml): trie memtables off-heap, the
                // unified compaction strategy and BTI sstables make less garbage and less compaction work per write
                // than the defaults kept for 4.x compatibility.
                "memtable:",
                "  configurations:",
                "    skiplist:",
                "      class_name: SkipListMemtable",
                "    trie:",
                "      class_name: TrieMemtable",
                "    default:",
                "      inherits: trie",
                "memtable_allocation_type: offheap_objects",
                "default_compaction:",
                "  class_name: UnifiedCompactionStrategy",
                "  parameters:",
                "    scaling_parameters: T4",
                "    target_sstable_size: 1GiB",
                "sstable:",
                "  selected_format: bti",
                "storage_compatibility_mode: NONE",
                // Sized for a laptop or a 2-core CI machine that also runs Kafka, PostgreSQL and the services.
                "key_cache_size: 0MiB",
                "file_cache_size: 32MiB",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "concurrent_reads: 8",
                "concurrent_writes: 16",
                "concurrent_counter_writes: 8",
                "concurrent_compactors: 1",
                "auto_snapshot: false",
                "authenticator: " + (passwordAuthentication ? "PasswordAuthenticator" : "AllowAllAuthenticator"),
                "authorizer: " + (passwordAuthentication ? "CassandraAuthorizer" : "AllowAllAuthorizer"),
                "");
        String logback = String.join("\n",
                "<configuration>",
                "  <appender name=\"console\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <root level=\"INFO\"><appender-ref ref=\"console\"/></root>",
                "</configuration>",
                "");
        try {
            Files.createDirectories(data);
            Files.writeString(directory.resolve("cassandra.yaml"), yaml);
            Files.writeString(directory.resolve("logback.xml"), logback);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Cassandra configuration in " + directory, e);
        }
    }
}
