package io.userpipeline.ingestor.schedule;

import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import io.userpipeline.ingestor.IngestionConfig;

/**
 * Control of the ingestion schedule over HTTP: trigger a run now (of the configured size and rate, or of an
 * operator's), pause, resume, and read the status and the last runs. The three control calls answer 403 while
 * {@code ingestion.control.enabled} is false; the reads always answer.
 */
@Path("/ingestion")
@Produces(MediaType.APPLICATION_JSON)
public class IngestionResource {

    /** Answer of a refused request. */
    public record Refusal(String error) {
    }

    /** Answer of {@code POST /ingestion/trigger}: the run's id ({@code GET /ingestion/runs/{runId}}) and plan. */
    public record Triggered(String runId, IngestionRun.Plan plan) {
    }

    static final String RUNS = "/ingestion/runs/";

    private final IngestionRunner runner;
    private final IngestionSchedule schedule;
    private final boolean controlEnabled;

    IngestionResource(IngestionRunner runner, IngestionSchedule schedule, IngestionConfig config) {
        this.runner = runner;
        this.schedule = schedule;
        this.controlEnabled = config.control().enabled();
    }

    @GET
    @Path("/status")
    @Operation(summary = "Schedule state, the run going on, the last run's counts, totals and the last error")
    public IngestionStatus status() {
        return new IngestionStatus(runner.sourceName(), schedule.describe(), schedule.isPaused(), runner.isRunning(),
                runner.currentRunId(), runner.lastRun(), runner.totals(), runner.lastError());
    }

    @GET
    @Path("/runs")
    @Operation(summary = "The last runs (ingestion.history-size of them), the newest first, the one going on included;"
            + " kept in memory, so a restart forgets them")
    public IngestionRun.History runs() {
        return new IngestionRun.History(runner.historySize(), runner.runs());
    }

    @GET
    @Path("/runs/{id}")
    @Operation(summary = "One run, going on or finished, by the id POST /ingestion/trigger answered")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "No such run in the history (older runs are forgotten)")
    public RestResponse<Object> run(@RestPath String id) {
        return runner.run(id).<RestResponse<Object>>map(RestResponse::ok)
                .orElseGet(() -> RestResponse.status(RestResponse.Status.NOT_FOUND, new Refusal(String.format(
                        "No run %s in the history: it keeps the last %d runs (ingestion.history-size), older runs are"
                                + " forgotten, and a restart forgets them all. GET /ingestion/runs lists the runs kept.",
                        id, runner.historySize()))));
    }

    @POST
    @Path("/trigger")
    @Operation(summary = "Start a run now; it goes on in the background, GET /ingestion/runs/{runId} follows it",
            description = "profiles and max-rate replace ingestion.batch-size and ingestion.max-rate for this run only,"
                    + " e.g. a backfill of 50000 profiles at 500 per second. The answer has the run's id (runId) and"
                    + " its address in the Location header.")
    @APIResponse(responseCode = "202", description = "The run started")
    @APIResponse(responseCode = "400", description = "profiles or max-rate is not a whole number in range")
    @APIResponse(responseCode = "403", description = "Control is switched off (ingestion.control.enabled=false)")
    @APIResponse(responseCode = "409", description = "A run is already in progress")
    public RestResponse<Object> trigger(@RestQuery String profiles, @RestQuery("max-rate") String maxRate) {
        if (!controlEnabled) {
            return controlSwitchedOff();
        }
        IngestionRunner.RunPlan configured = runner.configuredPlan();
        IngestionRunner.RunPlan plan;
        try {
            plan = new IngestionRunner.RunPlan(
                    wholeNumber("profiles", profiles, IngestionConfig.MOST_PROFILES_PER_RUN).orElse(configured.profiles()),
                    wholeNumber("max-rate", maxRate, IngestionConfig.HIGHEST_MAX_RATE).or(configured::maxRate));
        } catch (IllegalArgumentException e) {
            return RestResponse.status(RestResponse.Status.BAD_REQUEST, new Refusal(e.getMessage()));
        }
        IngestionRun.Plan accepted = new IngestionRun.Plan(plan.profiles(), plan.maxRate().orElse(null));
        return runner.tryStart(plan, StartedBy.OPERATOR)
                .<RestResponse<Object>>map(run -> {
                    // The run reports its own outcome in the history, the status and the log.
                    run.completion().subscribe().with(summary -> { }, failure -> { });
                    return RestResponse.ResponseBuilder.<Object>create(RestResponse.Status.ACCEPTED,
                            new Triggered(run.id(), accepted)).header(HttpHeaders.LOCATION, RUNS + run.id()).build();
                })
                .orElseGet(() -> RestResponse.status(RestResponse.Status.CONFLICT, new Refusal(
                        "A run is already in progress; runs never overlap. Try again when it has finished.")));
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause the schedule; a run in progress finishes")
    @APIResponse(responseCode = "200", description = "Paused: the status")
    @APIResponse(responseCode = "403", description = "Control is switched off (ingestion.control.enabled=false)")
    @APIResponse(responseCode = "409", description = "There is no schedule to pause")
    public RestResponse<Object> pause() {
        return control(schedule::pause);
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume the schedule")
    @APIResponse(responseCode = "200", description = "Resumed: the status")
    @APIResponse(responseCode = "403", description = "Control is switched off (ingestion.control.enabled=false)")
    @APIResponse(responseCode = "409", description = "There is no schedule to resume")
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

    private static RestResponse<Object> controlSwitchedOff() {
        return RestResponse.status(RestResponse.Status.FORBIDDEN, new Refusal("Control is switched off by"
                + " ingestion.control.enabled=false (the chart's operations.enabled): POST /ingestion/trigger,"
                + " /ingestion/pause and /ingestion/resume are refused. The schedule goes on as configured, and"
                + " GET /ingestion/status and /ingestion/runs answer."));
    }

    private RestResponse<Object> control(Runnable action) {
        if (!controlEnabled) {
            return controlSwitchedOff();
        }
        try {
            action.run();
            return RestResponse.ok(status());
        } catch (IllegalStateException e) {
            return RestResponse.status(RestResponse.Status.CONFLICT, new Refusal(e.getMessage()));
        }
    }
}
