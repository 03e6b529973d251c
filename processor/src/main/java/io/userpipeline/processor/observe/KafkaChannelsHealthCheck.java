package io.userpipeline.processor.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/**
 * DOWN while a Kafka channel (the two inputs, the dead-letter output) has no connection to the broker: the pipeline
 * waits. Part of the pipeline's health group only: without Kafka the query API still answers.
 */
@HealthGroup(PipelineState.HEALTH_GROUP)
@ApplicationScoped
public class KafkaChannelsHealthCheck implements HealthCheck {

    private final PipelineState state;

    KafkaChannelsHealthCheck(PipelineState state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        return PipelineState.check("kafka", state.kafkaChannelsDown());
    }
}
