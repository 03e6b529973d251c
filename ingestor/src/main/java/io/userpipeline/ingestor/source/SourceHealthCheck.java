package io.userpipeline.ingestor.source;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Readiness of the profile source: the generator is always ready; the API is not while its circuit breaker is
 * open, that is, while recent calls kept failing and calls are suspended.
 */
@Readiness
@ApplicationScoped
public class SourceHealthCheck implements HealthCheck {

    private final ProfileSource source;
    private final CircuitBreakerMaintenance circuitBreakers;

    SourceHealthCheck(ProfileSource source, CircuitBreakerMaintenance circuitBreakers) {
        this.source = source;
        this.circuitBreakers = circuitBreakers;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("profile source").withData("source", source.name());
        if (!(source instanceof RandomUserApiSource)) {
            return response.up().build();
        }
        CircuitBreakerState state = circuitBreakers.currentState(RandomUserApiClient.CIRCUIT_BREAKER);
        response.withData("circuitBreaker", state.name());
        return state == CircuitBreakerState.OPEN
                ? response.down().withData("reason", "recent calls to the API failed; calls are suspended for 30 s").build()
                : response.up().build();
    }
}
