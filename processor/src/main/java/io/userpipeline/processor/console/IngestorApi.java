package io.userpipeline.processor.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.smallrye.mutiny.Uni;

/** The ingestor's HTTP API as the console uses it; answers are passed on as they are, whatever their status. */
public interface IngestorApi {

    @GET
    @Path("/ingestion/status")
    Uni<Response> status();

    @GET
    @Path("/ingestion/runs")
    Uni<Response> runs();

    @GET
    @Path("/ingestion/runs/{id}")
    Uni<Response> run(@RestPath String id);

    @POST
    @Path("/ingestion/trigger")
    Uni<Response> trigger(@RestQuery String profiles, @RestQuery("max-rate") String maxRate);

    @POST
    @Path("/ingestion/pause")
    Uni<Response> pause();

    @POST
    @Path("/ingestion/resume")
    Uni<Response> resume();

    @GET
    @Path("/q/health")
    Uni<Response> health();
}
