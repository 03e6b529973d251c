package io.userpipeline.ingestor.source;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Readiness of the profile source: the generator is always ready; the API is not while its circuit breaker is
 * open, that is, while recent calls kept failing and calls are suspended; the check's reason says after which
 * failure and until when.
 */
@Readiness
@ApplicationScoped
public class SourceHealthCheck implements HealthCheck {

    private final ProfileSource source;
    private final CircuitBreakerMaintenance circuitBreakers;
    private final RandomUserApiClient apiClient;

    SourceHealthCheck(ProfileSource source, CircuitBreakerMaintenance circuitBreakers, RandomUserApiClient apiClient) {
        this.source = source;
        this.circuitBreakers = circuitBreakers;
        this.apiClient = apiClient;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("profile source").withData("source", source.name());
        // By name: the injected source is the container's proxy, never an instance of the source's own class.
        if (!RandomUserApiSource.SOURCE_NAME.equals(source.name())) {
            return response.up().build();
        }
        CircuitBreakerState state;
        try {
            state = circuitBreakers.currentState(RandomUserApiClient.CIRCUIT_BREAKER);
        } catch (IllegalArgumentException switchedOff) {
            return response.up().withData("circuitBreaker", "off").build();
        }
        response.withData("circuitBreaker", state.name());
        return state == CircuitBreakerState.OPEN
                ? response.down().withData("reason", "recent calls to the API failed and calls are suspended: "
                        + apiClient.circuitBreakerCause()).build()
                : response.up().build();
    }
}
