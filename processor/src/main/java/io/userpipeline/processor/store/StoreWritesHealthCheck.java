package io.userpipeline.processor.store;

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
        return PipelineState.check("store writes", writes.failingTargets());
    }
}
