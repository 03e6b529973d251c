package io.userpipeline.ingestor.schedule;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

/** Control of the ingestion schedule over HTTP: trigger a run now, pause, resume, and read the status. */
@Path("/ingestion")
@Produces(MediaType.APPLICATION_JSON)
public class IngestionResource {

    /** Answer of a refused control request. */
    public record Refusal(String error) {
    }

    private final IngestionRunner runner;
    private final IngestionSchedule schedule;

    IngestionResource(IngestionRunner runner, IngestionSchedule schedule) {
        this.runner = runner;
        this.schedule = schedule;
    }

    @GET
    @Path("/status")
    @Operation(summary = "Schedule state, the last run's counts, totals and the last error")
    public IngestionStatus status() {
        return new IngestionStatus(runner.sourceName(), schedule.describe(), schedule.isPaused(), runner.isRunning(),
                runner.lastRun(), runner.totals(), runner.lastError());
    }

    @POST
    @Path("/trigger")
    @Operation(summary = "Start a run now; it goes on in the background, GET /ingestion/status follows it")
    @APIResponse(responseCode = "202", description = "The run started")
    @APIResponse(responseCode = "409", description = "A run is already in progress")
    public RestResponse<Object> trigger() {
        return runner.tryStart()
                .<RestResponse<Object>>map(run -> {
                    // The run reports its own outcome in the status and the log.
                    run.subscribe().with(summary -> { }, failure -> { });
                    return RestResponse.status(RestResponse.Status.ACCEPTED, status());
                })
                .orElseGet(() -> RestResponse.status(RestResponse.Status.CONFLICT, new Refusal(
                        "A run is already in progress; runs never overlap. Try again when it has finished.")));
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause the schedule; a run in progress finishes")
    public RestResponse<Object> pause() {
        return control(schedule::pause);
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume the schedule")
    public RestResponse<Object> resume() {
        return control(schedule::resume);
    }

    private RestResponse<Object> control(Runnable action) {
        try {
            action.run();
            return RestResponse.ok(status());
        } catch (IllegalStateException e) {
            return RestResponse.status(RestResponse.Status.CONFLICT, new Refusal(e.getMessage()));
        }
    }
}
