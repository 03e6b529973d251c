package io.userpipeline.processor.observe;

import java.time.Instant;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The throughput, latency and latest users behind the console ({@code /console.html}). */
@Path("/status/summary")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final PipelineActivity activity;
    private final PipelineState state;

    StatusResource(PipelineActivity activity, PipelineState state) {
        this.activity = activity;
        this.state = state;
    }

    /** The activity's fields, and what the pipeline waits for (empty while it runs). */
    public record Status(@JsonUnwrapped PipelineActivity.Summary activity, Map<String, String> pipelineWaitingFor) {
    }

    @GET
    @Operation(summary = "Throughput per 10 s over the last 10 minutes, recent latencies, dead letters by reason, latest"
            + " users, and what the pipeline waits for while it is paused")
    public Status summary() {
        return new Status(activity.summary(Instant.now()), state.waitingFor());
    }
}
