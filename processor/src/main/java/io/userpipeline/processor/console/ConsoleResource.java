package io.userpipeline.processor.console;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.api.ErrorMappers;
import io.userpipeline.processor.api.Operations;

/**
 * What the console ({@code /console.html}) shows beyond the processor's own API: the pipeline's counters and the
 * consumer group's lag in one answer, and the ingestor's API passed through, so that one port-forward to the
 * processor shows and drives the whole pipeline.
 */
@Path("/console")
@Produces(MediaType.APPLICATION_JSON)
public class ConsoleResource {

    /**
     * The counters since this replica started (the console turns them into rates) and the group's lag.
     *
     * @param consumed records consumed, by topic
     * @param stored users written, by store
     * @param lagError why the lag is missing, when Kafka did not answer
     */
    public record Overview(Instant at, Map<String, Double> consumed, Map<String, Double> stored, double deadLettered,
            double replayed, String group, List<ConsumerLag.PartitionLag> lag, String lagError, boolean operationsEnabled,
            String ingestorUrl) {
    }

    private final MeterRegistry registry;
    private final ConsumerLag lag;
    private final Operations operations;
    private final String ingestorUrl;
    private final IngestorApi ingestor;

    ConsoleResource(MeterRegistry registry, ConsumerLag lag, Operations operations, ProcessorConfig config) {
        this.registry = registry;
        this.lag = lag;
        this.operations = operations;
        this.ingestorUrl = config.operations().ingestorUrl();
        this.ingestor = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(ingestorUrl))
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(10, TimeUnit.SECONDS)
                .disableDefaultMapper(true)
                .build(IngestorApi.class);
    }

    @GET
    @Path("/overview")
    @Operation(summary = "Counters since this replica started, the consumer group's lag per partition, and whether"
            + " operations are allowed")
    public Overview overview() {
        List<ConsumerLag.PartitionLag> partitions = List.of();
        String lagError = null;
        try {
            partitions = lag.partitions();
        } catch (IllegalStateException e) {
            lagError = e.getMessage();
        }
        return new Overview(Instant.now(), sumBy("processor.records.consumed", "topic"),
                sumBy("processor.records.stored", "store"), total("processor.records.dead.lettered"),
                total("processor.dead.letters.replayed"), lag.group(), partitions, lagError, operations.enabled(),
                ingestorUrl);
    }

    @GET
    @Path("/ingestor/status")
    @Operation(summary = "The ingestor's GET /ingestion/status")
    public Uni<Response> ingestorStatus() {
        return pass(ingestor.status());
    }

    @GET
    @Path("/ingestor/runs")
    @Operation(summary = "The ingestor's GET /ingestion/runs")
    public Uni<Response> ingestorRuns() {
        return pass(ingestor.runs());
    }

    @GET
    @Path("/ingestor/runs/{id}")
    @Operation(summary = "The ingestor's GET /ingestion/runs/{id}")
    public Uni<Response> ingestorRun(@RestPath String id) {
        return pass(ingestor.run(id));
    }

    @GET
    @Path("/ingestor/health")
    @Operation(summary = "The ingestor's GET /q/health")
    public Uni<Response> ingestorHealth() {
        return pass(ingestor.health());
    }

    @POST
    @Path("/ingestor/trigger")
    @Operation(summary = "The ingestor's POST /ingestion/trigger; refused when operations are off here")
    public Uni<Response> trigger(@RestQuery String profiles, @RestQuery("max-rate") String maxRate) {
        operations.require("Triggering an ingestion run");
        return pass(ingestor.trigger(profiles, maxRate));
    }

    @POST
    @Path("/ingestor/pause")
    @Operation(summary = "The ingestor's POST /ingestion/pause; refused when operations are off here")
    public Uni<Response> pauseIngestion() {
        operations.require("Pausing ingestion");
        return pass(ingestor.pause());
    }

    @POST
    @Path("/ingestor/resume")
    @Operation(summary = "The ingestor's POST /ingestion/resume; refused when operations are off here")
    public Uni<Response> resumeIngestion() {
        operations.require("Resuming ingestion");
        return pass(ingestor.resume());
    }

    /** The ingestor's answer as it is, or a 502 saying which address did not answer. */
    private Uni<Response> pass(Uni<Response> call) {
        return call.map(answer -> {
            try (answer) {
                return Response.status(answer.getStatus()).type(MediaType.APPLICATION_JSON)
                        .entity(answer.readEntity(String.class)).build();
            }
        }).onFailure().recoverWithItem(failure -> Response.status(Response.Status.BAD_GATEWAY)
                .entity(new ErrorMappers.ErrorBody(502, "The ingestor at " + ingestorUrl + " did not answer (" + failure
                        + "); is it running, and is pipeline.operations.ingestor-url its address?"))
                .build());
    }

    private Map<String, Double> sumBy(String meter, String tag) {
        Map<String, Double> sums = new TreeMap<>();
        for (Counter counter : registry.find(meter).counters()) {
            sums.merge(counter.getId().getTag(tag), counter.count(), Double::sum);
        }
        return sums;
    }

    private double total(String meter) {
        return registry.find(meter).counters().stream().mapToDouble(Counter::count).sum();
    }
}
