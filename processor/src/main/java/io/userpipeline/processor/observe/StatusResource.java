package io.userpipeline.processor.observe;

import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

/** The data behind the live status page ({@code /status.html}). */
@Path("/status/summary")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final PipelineActivity activity;

    StatusResource(PipelineActivity activity) {
        this.activity = activity;
    }

    @GET
    @Operation(summary = "Throughput per 10 s over the last 10 minutes, recent latencies, dead letters by reason, latest users")
    public PipelineActivity.Summary summary() {
        return activity.summary(Instant.now());
    }
}
