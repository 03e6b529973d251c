package io.userpipeline.ingestor.schedule;

import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.userpipeline.ingestor.IngestionConfig;

/**
 * Control of the ingestion schedule over HTTP: trigger a run now (of the configured size and rate, or of an
 * operator's), pause, resume, and read the status.
 */
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
    @Operation(summary = "Start a run now; it goes on in the background, GET /ingestion/status follows it",
            description = "profiles and max-rate replace ingestion.batch-size and ingestion.max-rate for this run only,"
                    + " e.g. a backfill of 50000 profiles at 500 per second")
    @APIResponse(responseCode = "202", description = "The run started")
    @APIResponse(responseCode = "400", description = "profiles or max-rate is not a whole number in range")
    @APIResponse(responseCode = "409", description = "A run is already in progress")
    public RestResponse<Object> trigger(@RestQuery String profiles, @RestQuery("max-rate") String maxRate) {
        IngestionRunner.RunPlan configured = runner.configuredPlan();
        IngestionRunner.RunPlan plan;
        try {
            plan = new IngestionRunner.RunPlan(
                    wholeNumber("profiles", profiles, IngestionConfig.MOST_PROFILES_PER_RUN).orElse(configured.profiles()),
                    wholeNumber("max-rate", maxRate, IngestionConfig.HIGHEST_MAX_RATE).or(configured::maxRate));
        } catch (IllegalArgumentException e) {
            return RestResponse.status(RestResponse.Status.BAD_REQUEST, new Refusal(e.getMessage()));
        }
        return runner.tryStart(plan)
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

    private static Optional<Integer> wholeNumber(String name, String value, int most) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= 1 && number <= most) {
                return Optional.of(number);
            }
        } catch (NumberFormatException notANumber) {
            // Answered below, like a number out of range.
        }
        throw new IllegalArgumentException(String.format("%s must be a whole number from 1 to %d, not '%s'; leave it"
                + " out to use the configured value.", name, most, value));
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
