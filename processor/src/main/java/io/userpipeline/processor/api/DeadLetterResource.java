package io.userpipeline.processor.api;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.userpipeline.processor.deadletter.DeadLetterBrowser;
import io.userpipeline.processor.deadletter.DeadLetterReplays;
import io.userpipeline.processor.deadletter.DeadLetterSelection;
import io.userpipeline.processor.deadletter.SourceCoordinates;

/**
 * The dead-letter topic for operators: list and count the dead letters (each record once, however often it was
 * dead-lettered), and replay a selection to its source topic once its cause is fixed.
 */
@Path("/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    /** The most dead letters one listing returns. */
    static final int MOST_LISTED = 1000;
    private static final Pattern BUCKET = Pattern.compile("([1-9]\\d{0,3})([smhd])");

    /**
     * What to replay: every condition given must hold ({@code all: true} to replay everything).
     *
     * @param maxRate records per second, at most {@code pipeline.dead-letters.replay-max-rate} (its value when absent)
     */
    public record ReplayRequest(List<String> reasons, Instant from, Instant to, String sourceTopic,
            List<SourceCoordinates> sources, String eventId, Boolean all, Integer maxRate) {
    }

    private final DeadLetterBrowser browser;
    private final DeadLetterReplays replays;
    private final Operations operations;

    DeadLetterResource(DeadLetterBrowser browser, DeadLetterReplays replays, Operations operations) {
        this.browser = browser;
        this.replays = replays;
        this.operations = operations;
    }

    @GET
    @Operation(summary = "The newest dead letters matching every filter given, each record once, with counts by reason"
            + " and over time", description = "reason may be repeated; from and to are ISO-8601 instants of rejection;"
                    + " source is a record's first place, topic/partition/offset; bucket is the timeline's step (30s,"
                    + " 10m, 1h, 1d). Reads at most pipeline.dead-letters.scan-limit dead letters per partition, the"
                    + " newest; reading.olderNotRead says how many older ones were left.")
    @APIResponse(responseCode = "200", description = "The listing")
    @APIResponse(responseCode = "400", description = "A filter is not readable; the message says which")
    @APIResponse(responseCode = "503", description = "Kafka did not answer")
    public DeadLetterBrowser.Listing list(@RestQuery("reason") List<String> reasons, @RestQuery String from,
            @RestQuery String to, @RestQuery("source-topic") String sourceTopic, @RestQuery("source") List<String> sources,
            @RestQuery("event-id") String eventId, @RestQuery String limit, @RestQuery String bucket) {
        DeadLetterSelection selection = selection(reasons, instant("from", from), instant("to", to), sourceTopic,
                sources == null ? List.of() : sources.stream().map(DeadLetterResource::coordinates).toList(), eventId);
        return browser.list(selection, limit(limit), bucket(bucket));
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Re-publish the selected dead letters' originals to their source topic, in the background",
            description = "Each record once (its newest dead letter), with its original key, value and headers, plus"
                    + " dlq-replay-of, dlq-replayed-at and dlq-source-timestamp. GET /dead-letters/replays/{id} follows it.")
    @APIResponse(responseCode = "202", description = "The replay started; the answer is its first state")
    @APIResponse(responseCode = "400", description = "No selection (send all: true to replay everything), or one that"
            + " is not readable")
    @APIResponse(responseCode = "403", description = "Operations are switched off (pipeline.operations.enabled)")
    @APIResponse(responseCode = "409", description = "A replay is running on this processor")
    public Response replay(ReplayRequest request) {
        operations.require("Replaying dead letters");
        if (request == null) {
            throw new BadRequestException("Send a JSON body saying what to replay: reasons, from, to, sourceTopic,"
                    + " sources, eventId, or all: true");
        }
        DeadLetterSelection selection = selection(request.reasons(), request.from(), request.to(), request.sourceTopic(),
                request.sources(), request.eventId());
        boolean all = Boolean.TRUE.equals(request.all());
        if (selection.selectsAll() != all) {
            throw new BadRequestException(all ? "all: true replays everything: leave the other conditions out, or all"
                    : "Say what to replay (reasons, from, to, sourceTopic, sources, eventId), or all: true for every"
                            + " dead letter");
        }
        DeadLetterReplays.Replay started;
        try {
            started = replays.start(selection, request.maxRate());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ClientErrorException(e.getMessage(), Response.Status.CONFLICT);
        }
        return Response.accepted(started).location(URI.create("/dead-letters/replays/" + started.id())).build();
    }

    @GET
    @Path("/replays")
    @Operation(summary = "This processor's last replays, newest first (a restart forgets them)")
    public List<DeadLetterReplays.Replay> replays() {
        return replays.recent();
    }

    @GET
    @Path("/replays/{id}")
    @Operation(summary = "One replay: what it selected, sent, skipped (and why) and failed")
    @APIResponse(responseCode = "404", description = "No such replay on this processor")
    public DeadLetterReplays.Replay replay(@RestPath String id) {
        return replays.find(id).orElseThrow(() -> new NotFoundException("No replay " + id + " on this processor: it"
                + " remembers its last replays until it restarts, and each replica its own"));
    }

    private static DeadLetterSelection selection(List<String> reasons, Instant from, Instant to, String sourceTopic,
            List<SourceCoordinates> sources, String eventId) {
        try {
            return new DeadLetterSelection(reasons == null ? Set.of() : new HashSet<>(reasons), from, to, sourceTopic,
                    sources == null ? Set.of() : new HashSet<>(sources), eventId);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static SourceCoordinates coordinates(String text) {
        try {
            return SourceCoordinates.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("source: " + e.getMessage());
        }
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-12-03T08:00:00Z, not '" + text
                    + "'");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MOST_LISTED) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below.
        }
        throw new BadRequestException("limit must be a whole number from 1 to " + MOST_LISTED + ", not '" + text + "'");
    }

    private static Duration bucket(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ofHours(1);
        }
        Matcher matcher = BUCKET.matcher(text.strip());
        if (!matcher.matches()) {
            throw new BadRequestException("bucket must be a number and a unit s, m, h or d, such as 10m, not '" + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
