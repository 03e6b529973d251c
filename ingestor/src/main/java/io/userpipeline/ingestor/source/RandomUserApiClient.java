package io.userpipeline.ingestor.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.userpipeline.ingestor.IngestionConfig;
import io.userpipeline.randomuser.RandomUserJson;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * One call to a randomuser.me-compatible API, through the REST client {@link RandomUserApi} (whose calls Quarkus
 * measures as {@code http_client_requests_seconds}). Each call has a timeout, failed calls are retried with
 * exponential backoff, and a circuit breaker stops calling an API that keeps failing, so that a slow or
 * broken API costs a run a bounded time and never stalls the schedule.
 */
@ApplicationScoped
public class RandomUserApiClient {

    public static final String CIRCUIT_BREAKER = "randomuser-api";

    private static final int BODY_EXCERPT = 200;

    private final IngestionConfig.Api config;
    private final RandomUserApi api;

    RandomUserApiClient(IngestionConfig config) {
        this.config = config.api();
        // Built here from ingestion.api.* (the URL and time-outs the chart and the README name) rather than from a
        // quarkus.rest-client.<key> section; the global quarkus.rest-client.* settings (proxy, TLS, logging) still
        // apply. Error statuses are answers to read, not exceptions: the default mapper is off. Redirects are
        // followed, as the Vert.x client this replaced did.
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(this.config.baseUrl()))
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .userAgent("user-pipeline-ingestor")
                .disableDefaultMapper(true)
                .followRedirects(true)
                .build(RandomUserApi.class);
    }

    /** An answer that retrying cannot fix, such as a 4xx status. */
    public static class RejectedRequestException extends RuntimeException {
        public RejectedRequestException(String message) {
            super(message);
        }
    }

    /** An answer that cannot be used, with the request and what came back. */
    public static class BadResponseException extends RuntimeException {
        public BadResponseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Timeout(15_000)
    @Retry(maxRetries = 3, delay = 500, jitter = 200, abortOn = RejectedRequestException.class)
    @ExponentialBackoff(maxDelay = 8_000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30_000, successThreshold = 1,
            skipOn = RejectedRequestException.class)
    @CircuitBreakerName(CIRCUIT_BREAKER)
    public Uni<RandomUserProfile.Response> fetchPage(int results, long page) {
        String seed = config.seed().orElse(null);
        String described = "GET " + config.baseUrl() + " (results=" + results + ", page=" + page + ")";
        return Uni.createFrom().deferred(() -> api.page(results, seed, seed == null ? null : page,
                        config.nationalities().map(nat -> String.join(",", nat)).orElse(null)))
                .onFailure().transform(e -> new BadResponseException(described + " failed: " + e, e))
                // A page of 5,000 profiles is megabytes of JSON: read it on a worker thread, not the event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(response -> parse(described, response));
    }

    private RandomUserProfile.Response parse(String request, Response response) {
        byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 429) {
            throw new RejectedRequestException(request + " was refused with HTTP " + status + ": " + excerpt(body)
                    + " — check ingestion.api.base-url and the request parameters");
        }
        if (status != 200) {
            throw new BadResponseException(request + " answered HTTP " + status + ": " + excerpt(body), null);
        }
        RandomUserProfile.Response parsed;
        try {
            parsed = RandomUserJson.readResponse(body);
        } catch (IOException e) {
            throw new BadResponseException(request + " answered a body that is not a randomuser response ("
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()) + "): " + excerpt(body), e);
        }
        if (parsed == null || parsed.error() != null || parsed.results() == null) {
            throw new BadResponseException(request + " answered without results"
                    + (parsed != null && parsed.error() != null ? ": " + parsed.error() : "") + ": " + excerpt(body), null);
        }
        return parsed;
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, BODY_EXCERPT), StandardCharsets.UTF_8);
        return body.length > BODY_EXCERPT ? "'" + text + "…' (" + body.length + " bytes)" : "'" + text + "'";
    }

    @PreDestroy
    void close() {
        try {
            ((Closeable) api).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Closing the randomuser API client", e);
        }
    }
}
