package io.userpipeline.processor.store;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while a store or the dead-letter topic refuses writes: the pipeline is paused until it is back. */
@Readiness
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
