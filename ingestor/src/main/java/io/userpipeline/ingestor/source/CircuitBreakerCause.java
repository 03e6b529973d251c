package io.userpipeline.ingestor.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Why the API's circuit breaker is open. On its own, a call the open breaker refuses fails with only
 * "...fetchPage circuit breaker is open"; this remembers the last failure of a call to the API and when the breaker
 * opened, and turns that refusal into what an operator can act on: since when, after which failure (with its request
 * and status), and when the breaker lets a call through again. Told of failures and of the breaker's state changes
 * from any thread.
 */
final class CircuitBreakerCause {

    private record Failure(Instant at, Throwable failure) {
    }

    private final Clock clock;
    private final Duration delay;
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();

    /**
     * @param delay how long the breaker stays open before it lets a trial call through
     */
    CircuitBreakerCause(Clock clock, Duration delay) {
        this.clock = clock;
        this.delay = delay;
    }

    /** A call failed in a way the breaker counts. The same failure told twice (by two layers) is kept once. */
    void failed(Throwable failure) {
        lastFailure.getAndUpdate(last -> last != null && last.failure() == failure ? last
                : new Failure(clock.instant(), failure));
    }

    /** The breaker changed state: opened (again, after a failed trial call), half-open, or closed. */
    void stateChanged(CircuitBreakerState state) {
        switch (state) {
            case OPEN -> openedAt.set(clock.instant());
            // The failures before it closed are over: none of them explains a later opening.
            case CLOSED -> {
                openedAt.set(null);
                lastFailure.set(null);
            }
            case HALF_OPEN -> {
                // A trial call decides; if it fails, the breaker opens again and says so.
            }
        }
    }

    /**
     * A failure of a call as the operator should read it: the open breaker's refusal explained by the failure that
     * opened it; any other failure as it is.
     */
    Throwable explain(Throwable failure) {
        if (!(failure instanceof CircuitBreakerOpenException open)) {
            return failure;
        }
        return new RandomUserApiClient.CallsSuspendedException(describe(), open);
    }

    String describe() {
        Instant since = openedAt.get();
        Failure cause = lastFailure.get();
        StringBuilder text = new StringBuilder("circuit breaker ").append(RandomUserApiClient.CIRCUIT_BREAKER).append(" open");
        if (since != null) {
            text.append(" since ").append(since.truncatedTo(ChronoUnit.SECONDS));
        }
        if (cause == null) {
            text.append(" after repeated failures of the API's calls (each given up by its time-out)");
        } else {
            text.append(" after: ").append(cause.failure().getMessage() == null ? cause.failure().toString()
                    : cause.failure().getMessage());
            if (since == null || Duration.between(cause.at(), since).compareTo(delay) > 0) {
                text.append(" (at ").append(cause.at().truncatedTo(ChronoUnit.SECONDS)).append(')');
            }
        }
        if (since != null) {
            Instant nextTry = since.plus(delay);
            long inSeconds = Math.max(0, Duration.between(clock.instant(), nextTry).toMillis() + 999) / 1000;
            text.append("; next try after ").append(nextTry.truncatedTo(ChronoUnit.SECONDS)).append(" (in ")
                    .append(inSeconds).append(" s)");
        } else {
            text.append("; next try once its delay of ").append(delay.toSeconds()).append(" s has passed");
        }
        return text.toString();
    }
}
