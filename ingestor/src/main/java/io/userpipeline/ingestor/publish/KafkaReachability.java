package io.userpipeline.ingestor.publish;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * Asks Kafka whether it answers, within a bounded time, with the same connection settings as the producer. A
 * run checks it first: while Kafka is unreachable a run fetches nothing, so no profile waits in memory for a
 * broker that is not there, and readiness reports it.
 */
@ApplicationScoped
public class KafkaReachability {

    static final int TIMEOUT_MILLIS = 5000;

    /** Kafka did not answer; the message says where it was looked for and why it failed. */
    public static class KafkaUnreachableException extends RuntimeException {
        public KafkaUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Admin admin;
    private final String bootstrapServers;

    KafkaReachability(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> adminConfig = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MILLIS);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MILLIS);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "ingestor-reachability");
        this.bootstrapServers = String.valueOf(adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.admin = Admin.create(adminConfig);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Completes when Kafka has answered, fails with {@link KafkaUnreachableException} otherwise. */
    public Uni<Void> check() {
        return Uni.createFrom()
                .completionStage(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MILLIS))
                        .nodes().toCompletionStage())
                .replaceWithVoid()
                .onFailure().transform(failure -> new KafkaUnreachableException("Kafka at " + bootstrapServers
                        + " did not answer within " + TIMEOUT_MILLIS / 1000 + " s (" + failure + "). Check that Kafka is"
                        + " up and that kafka.bootstrap.servers and the credentials are right.", failure));
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
