package io.userpipeline.ingestor.publish;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Ready only while Kafka answers, within a bounded time, so that a down broker never hangs the probe. */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements AsyncHealthCheck {

    private final KafkaReachability kafka;

    KafkaHealthCheck(KafkaReachability kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrap.servers", kafka.bootstrapServers());
        return kafka.check()
                .map(ok -> response.up().build())
                .onFailure().recoverWithItem(failure -> response.down().withData("error", failure.getMessage()).build());
    }
}
