package io.userpipeline.processor.store;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;
import io.userpipeline.processor.observe.PipelineState;

/**
 * DOWN while a store or the dead-letter topic refuses writes: the pipeline is paused until it is back. In the
 * pipeline's health group, not in readiness: the query API answers meanwhile (see {@link PipelineState}).
 */
@HealthGroup(PipelineState.HEALTH_GROUP)
@ApplicationScoped
public class StoreWritesHealthCheck implements HealthCheck {

    private final StoreWrites writes;

    StoreWritesHealthCheck(StoreWrites writes) {
        this.writes = writes;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> failing = writes.failingTargets();
        var response = HealthCheckResponse.named("store writes");
        failing.forEach(response::withData);
        return failing.isEmpty() ? response.up().build() : response.down().build();
    }
}
