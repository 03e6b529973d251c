package io.userpipeline.processor.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ForbiddenException;

import io.userpipeline.processor.ProcessorConfig;

/** The switch over everything that changes the pipeline from HTTP: pause, resume, replay. */
@ApplicationScoped
public class Operations {

    private final ProcessorConfig config;

    Operations(ProcessorConfig config) {
        this.config = config;
    }

    public boolean enabled() {
        return config.operations().enabled();
    }

    /** Throws a 403 naming the setting when operations are switched off. */
    public void require(String action) {
        if (!enabled()) {
            throw new ForbiddenException(action + " is switched off on this processor: set pipeline.operations.enabled=true"
                    + " (the chart's operations.enabled) to allow it.");
        }
    }
}
