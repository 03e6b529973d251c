package io.userpipeline.processor.observe;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Whether PostgreSQL answers, even while no records flow and so no write fails. In the pipeline's health group,
 * not in readiness: PostgreSQL is the same for every replica, so taking pods out of the Service for it would only
 * take {@code /users} (from Cassandra) away too; {@code /analytics} answers 503 meanwhile. Quarkus' own datasource
 * check (a readiness check of up to 20 s) is excluded in application.properties.
 */
@HealthGroup(PipelineState.HEALTH_GROUP)
@ApplicationScoped
public class PostgresHealthCheck implements AsyncHealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Pool client;

    PostgresHealthCheck(Pool client) {
        this.client = client;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return client.query("SELECT 1").execute()
                .ifNoItem().after(TIMEOUT).failWith(() -> new IllegalStateException(
                        "no answer within " + TIMEOUT.toSeconds() + " s"))
                .map(answered -> HealthCheckResponse.up("postgresql"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("postgresql").down()
                        .withData("error", failure.toString()).build());
    }
}
