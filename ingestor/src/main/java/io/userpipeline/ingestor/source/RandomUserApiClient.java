package io.userpipeline.ingestor.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
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
 * broken API costs a run a bounded time and never stalls the schedule. Every failure names the request; a call the
 * open breaker refuses fails with the failure that opened it ({@link #explain}).
 */
@ApplicationScoped
public class RandomUserApiClient {

    public static final String CIRCUIT_BREAKER = "randomuser-api";
    /** How long the breaker stays open, unless configured otherwise (see {@link #circuitBreakerDelay}). */
    static final long CIRCUIT_BREAKER_DELAY_MILLIS = 30_000;

    private static final int BODY_EXCERPT = 200;
    private static final Logger LOG = Logger.getLogger(RandomUserApiClient.class);

    private final IngestionConfig.Api config;
    private final RandomUserApi api;
    private final CircuitBreakerCause breakerCause;

    RandomUserApiClient(IngestionConfig config, CircuitBreakerMaintenance circuitBreakers) {
        this.config = config.api();
        this.breakerCause = new CircuitBreakerCause(Clock.systemUTC(), circuitBreakerDelay(ConfigProvider.getConfig()));
        try {
            circuitBreakers.onStateChange(CIRCUIT_BREAKER, breakerCause::stateChanged);
        } catch (IllegalArgumentException unknown) {
            // The breaker is switched off (as in most tests): there is no opening to explain.
            LOG.debugf("No circuit breaker %s to watch: %s", CIRCUIT_BREAKER, unknown.getMessage());
        }
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

    /** A call the open circuit breaker refused: says since when, after which failure, and until when. */
    public static class CallsSuspendedException extends RuntimeException {
        public CallsSuspendedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Timeout(15_000)
    @Retry(maxRetries = 3, delay = 500, jitter = 200, abortOn = RejectedRequestException.class)
    @ExponentialBackoff(maxDelay = 8_000)
    @CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = CIRCUIT_BREAKER_DELAY_MILLIS,
            successThreshold = 1, skipOn = RejectedRequestException.class)
    @CircuitBreakerName(CIRCUIT_BREAKER)
    public Uni<RandomUserProfile.Response> fetchPage(int results, long page) {
        String seed = config.seed().orElse(null);
        String described = describe(results, page);
        return Uni.createFrom().deferred(() -> api.page(results, seed, seed == null ? null : page,
                        config.nationalities().map(nat -> String.join(",", nat)).orElse(null)))
                .onFailure().transform(e -> new BadResponseException(described + " failed: " + e, e))
                // A page of 5,000 profiles is megabytes of JSON: read it on a worker thread, not the event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(response -> parse(described, response))
                // Each attempt's own failure, before the fault tolerance counts it: the cause the breaker opens after.
                .onFailure().invoke(this::remember);
    }

    private String describe(int results, long page) {
        return "GET " + config.baseUrl() + " (results=" + results + ", page=" + page + ")";
    }

    /**
     * What a failed {@link #fetchPage} call means to an operator, for its caller, which sees the failures the fault
     * tolerance let through: the open breaker's bare refusal becomes the failure that opened it, with since when and
     * until when; the call's own time-out (an answer that started and then stalled) names the request; any other
     * failure stays as it is.
     */
    Throwable explain(Throwable failure, int results, long page) {
        Throwable explained = failure instanceof TimeoutException timedOut
                ? new BadResponseException(describe(results, page) + " did not finish within the call's time-out (an"
                        + " answer that stalled): " + timedOut.getMessage(), timedOut)
                : failure;
        remember(explained);
        return breakerCause.explain(explained);
    }

    /** Why the circuit breaker is open, since when and until when, as a refused call explains it. */
    String circuitBreakerCause() {
        return breakerCause.describe();
    }

    private void remember(Throwable failure) {
        // A refused request does not count for the breaker (skipOn), and its refusal explains nothing.
        if (!(failure instanceof RejectedRequestException)
                && !(failure instanceof CircuitBreakerOpenException)) {
            breakerCause.failed(failure);
        }
    }

    /**
     * The breaker's delay as the fault tolerance applies it: {@code quarkus.fault-tolerance."<class>/fetchPage"
     * .circuit-breaker.delay} (and {@code delay-unit}), else the same under {@code global}, else the annotation's.
     */
    static Duration circuitBreakerDelay(Config config) {
        for (String scope : List.of("\"" + RandomUserApiClient.class.getName() + "/fetchPage\"", "global")) {
            String prefix = "quarkus.fault-tolerance." + scope + ".circuit-breaker.";
            Optional<Long> delay = config.getOptionalValue(prefix + "delay", Long.class);
            if (delay.isPresent()) {
                return Duration.of(delay.get(),
                        config.getOptionalValue(prefix + "delay-unit", ChronoUnit.class).orElse(ChronoUnit.MILLIS));
            }
        }
        return Duration.ofMillis(CIRCUIT_BREAKER_DELAY_MILLIS);
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
        if (parsed.results().isEmpty()) {
            // Not a failure (the run ends "empty"), but the request and the answer belong in the log.
            LOG.warnf("%s answered an empty results list, as randomuser.me does during an outage: %s", request,
                    excerpt(body));
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
