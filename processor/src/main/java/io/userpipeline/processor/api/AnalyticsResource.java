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
import io.userpipeline.processor.analytics.AnalyticsUnavailableException;
import io.vertx.pgclient.PgException;

/**
 * The batch views, read from PostgreSQL. While PostgreSQL does not answer, 503 with the reason: the query API's
 * other half ({@code /users}, from Cassandra) stays available, so readiness does not depend on PostgreSQL.
 */
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
        return unavailableWithoutPostgres(analytics.read());
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Recompute the views now rather than at the next scheduled refresh; if another instance is"
            + " refreshing them, wait for it (up to pipeline.analytics.refresh-wait, then 503) and refresh again")
    public Uni<Analytics> refresh() {
        return unavailableWithoutPostgres(analytics.refresh().chain(analytics::read));
    }

    /** A connection that fails or is refused, as opposed to an error PostgreSQL answered with. */
    private static Uni<Analytics> unavailableWithoutPostgres(Uni<Analytics> answer) {
        return answer.onFailure(failure -> !(failure instanceof PgException || failure instanceof AnalyticsUnavailableException))
                .transform(failure -> new AnalyticsUnavailableException(
                        "PostgreSQL, which holds the analytics, does not answer: " + failure, failure));
    }
}
