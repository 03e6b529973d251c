package io.userpipeline.processor.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.analytics.Analytics;
import io.userpipeline.processor.analytics.AnalyticsRepository;

/** The batch views, read from PostgreSQL. */
@Path("/analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    private final AnalyticsRepository analytics;

    AnalyticsResource(AnalyticsRepository analytics) {
        this.analytics = analytics;
    }

    @GET
    @Operation(summary = "Users by country, gender and age band, and registrations per day, as of the last refresh")
    public Uni<Analytics> read() {
        return analytics.read();
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Recompute the views now rather than at the next scheduled refresh")
    public Uni<Analytics> refresh() {
        return analytics.refresh().chain(analytics::read);
    }
}
