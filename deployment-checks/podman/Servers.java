import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.userpipeline.servers.CassandraServer;
import io.userpipeline.servers.KafkaServer;
import io.userpipeline.servers.LocalServer;
import io.userpipeline.servers.LocalServers;
import io.userpipeline.servers.PostgresServer;

/**
 * The stores of the podman run, without the services: the build's own Kafka, Cassandra (password
 * authentication on, as in production) and PostgreSQL, on loopback, at the ports given. Prints READY when all
 * three answer and stops them on SIGTERM.
 * <p>
 * Usage: {@code java -cp <local-servers launcher> Servers.java <data folder> <kafka port> <cassandra port> <postgres port>};
 * the Kafka controller and Cassandra storage ports are the next ones up.
 */
public final class Servers {

    public static void main(String[] args) throws InterruptedException {
        Path data = Path.of(args[0]).toAbsolutePath();
        int kafkaPort = Integer.parseInt(args[1]);
        int cassandraPort = Integer.parseInt(args[2]);
        int postgresPort = Integer.parseInt(args[3]);
        Map<LocalServers.Kind, LocalServer> servers = new LinkedHashMap<>();
        servers.put(LocalServers.Kind.KAFKA, new KafkaServer(data.resolve("kafka"), kafkaPort, kafkaPort + 1));
        servers.put(LocalServers.Kind.CASSANDRA,
                new CassandraServer(data.resolve("cassandra"), cassandraPort, cassandraPort + 1, "512m", true));
        servers.put(LocalServers.Kind.POSTGRES, new PostgresServer(data.resolve("postgres"), postgresPort));
        LocalServers started = LocalServers.start(servers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            stopped.countDown();
        }, "servers-shutdown"));
        System.out.println("READY " + started.connectionProperties());
        stopped.await();
    }
}
