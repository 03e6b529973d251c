package io.userpipeline.processor.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;

import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.consume.ProcessingSwitch;

/** Pause and resume consumption per input channel, for every replica at once. */
@Path("/processing")
@Produces(MediaType.APPLICATION_JSON)
public class ProcessingResource {

    /** Each channel's state, and whether this processor accepts pause and resume. */
    public record ProcessingStatus(List<ProcessingSwitch.ChannelState> channels, boolean operationsEnabled) {
    }

    private final ProcessingSwitch processing;
    private final Operations operations;

    ProcessingResource(ProcessingSwitch processing, Operations operations) {
        this.processing = processing;
        this.operations = operations;
    }

    @GET
    @Operation(summary = "Each input channel: its topic, whether it is paused (for every replica) and since when, and"
            + " whether this replica has applied it")
    public ProcessingStatus status() {
        return new ProcessingStatus(processing.states(), operations.enabled());
    }

    @POST
    @Path("/{channel}/pause")
    @Operation(summary = "Pause a channel (user-profiles or tutorial-users) on every replica: nothing is consumed or"
            + " committed from its topic until it is resumed; lag grows, nothing is lost. A restart keeps it paused.")
    @APIResponse(responseCode = "200", description = "Paused; the answer is the new status")
    @APIResponse(responseCode = "403", description = "Operations are switched off (pipeline.operations.enabled)")
    @APIResponse(responseCode = "404", description = "No such channel")
    @APIResponse(responseCode = "503", description = "PostgreSQL, which keeps the pauses, did not answer")
    public Uni<ProcessingStatus> pause(@RestPath String channel) {
        operations.require("Pausing processing");
        return processing.pause(input(channel)).map(done -> status()).onFailure().transform(ProcessingResource::unavailable);
    }

    @POST
    @Path("/{channel}/resume")
    @Operation(summary = "Resume a paused channel on every replica; the backlog drains")
    @APIResponse(responseCode = "200", description = "Resumed; the answer is the new status")
    @APIResponse(responseCode = "403", description = "Operations are switched off (pipeline.operations.enabled)")
    @APIResponse(responseCode = "404", description = "No such channel")
    @APIResponse(responseCode = "503", description = "PostgreSQL, which keeps the pauses, did not answer")
    public Uni<ProcessingStatus> resume(@RestPath String channel) {
        operations.require("Resuming processing");
        return processing.resume(input(channel)).map(done -> status()).onFailure().transform(ProcessingResource::unavailable);
    }

    /** The pauses live in PostgreSQL: while it does not answer, neither can a pause or a resume. */
    private static Throwable unavailable(Throwable failure) {
        return new ServiceUnavailableException("The pauses are kept in PostgreSQL, which did not take this one (" + failure
                + "); it may not have been recorded: try again when PostgreSQL answers (GET /q/health/group/pipeline)");
    }

    private ProcessingSwitch.Channel input(String channel) {
        return processing.input(channel).orElseThrow(() -> new NotFoundException("No input channel named '" + channel
                + "'; the channels are " + processing.inputs().stream().map(ProcessingSwitch.Channel::name).toList()));
    }
}
