package io.userpipeline.processor.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;
import io.userpipeline.processor.consume.ProcessingSwitch;

/**
 * Each input channel's state, consuming or paused by an operator, in the pipeline's health group. A pause is wanted,
 * so the check stays UP: the data says what is paused and since when.
 */
@HealthGroup(PipelineState.HEALTH_GROUP)
@ApplicationScoped
public class ProcessingHealthCheck implements HealthCheck {

    private final ProcessingSwitch processing;

    ProcessingHealthCheck(ProcessingSwitch processing) {
        this.processing = processing;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("processing").up();
        for (ProcessingSwitch.ChannelState state : processing.states()) {
            response.withData(state.channel(), state.describe());
        }
        if (processing.unreadableSince() != null) {
            response.withData("pauses", "unreadable in PostgreSQL since " + processing.unreadableSince()
                    + ": the channels keep their state");
        }
        return response.build();
    }
}
