package io.userpipeline.ingestor.source;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * A randomuser.me-compatible API as a Quarkus REST client: one {@code GET} of a page of profiles, at the base URL
 * {@code ingestion.api.base-url} ({@link RandomUserApiClient} builds it). A parameter left null is not sent. The
 * answer comes whole, whatever its status, for the caller to judge and to quote in its errors.
 */
@Path("")
public interface RandomUserApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> page(@QueryParam("results") int results, @QueryParam("seed") String seed,
            @QueryParam("page") Long page, @QueryParam("nat") String nationalities);
}
