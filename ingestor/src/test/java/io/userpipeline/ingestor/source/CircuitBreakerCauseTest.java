package io.userpipeline.ingestor.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/** The open breaker's refusal explained by the failure that opened it, without servers: a clock set by the test. */
class CircuitBreakerCauseTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final String UNAVAILABLE = "GET http://api.example/api/ (results=500, page=7) answered HTTP 503:"
            + " '<html>Service Unavailable</html>'";
    private static final String FETCH_PAGE = "quarkus.fault-tolerance.\"io.userpipeline.ingestor.source.RandomUserApiClient"
            + "/fetchPage\".circuit-breaker.";

    private final SetClock clock = new SetClock(START);
    private final CircuitBreakerCause cause = new CircuitBreakerCause(clock, Duration.ofSeconds(30));

    @Test
    void theOpenBreakersRefusalNamesTheFailureThatOpenedItSinceWhenAndUntilWhen() {
        cause.failed(new RandomUserApiClient.BadResponseException(UNAVAILABLE, null));
        cause.stateChanged(CircuitBreakerState.OPEN);
        clock.at = START.plusSeconds(12);
        CircuitBreakerOpenException refusal = new CircuitBreakerOpenException("fetchPage circuit breaker is open");

        Throwable explained = cause.explain(refusal);

        assertThat(explained).isInstanceOf(RandomUserApiClient.CallsSuspendedException.class).hasCause(refusal)
                .hasMessage("circuit breaker randomuser-api open since 2026-12-03T10:00:00Z after: " + UNAVAILABLE
                        + "; next try after 2026-12-03T10:00:30Z (in 18 s)");
    }

    @Test
    void anyOtherFailureStaysAsItIs() {
        RuntimeException failure = new RandomUserApiClient.BadResponseException(UNAVAILABLE, null);

        assertThat(cause.explain(failure)).isSameAs(failure);
    }

    @Test
    void theSameFailureToldTwiceKeepsTheTimeItWasFirstTold() {
        RuntimeException failure = new RandomUserApiClient.BadResponseException(UNAVAILABLE, null);
        cause.failed(failure);
        clock.at = START.plusSeconds(45);
        cause.failed(failure);
        cause.stateChanged(CircuitBreakerState.OPEN);

        assertThat(cause.describe()).as("the cause is older than the breaker's delay at its opening: its own time too")
                .contains("after: " + UNAVAILABLE + " (at 2026-12-03T10:00:00Z); next try after 2026-12-03T10:01:15Z");
    }

    @Test
    void aFailedTrialCallOpensItAgainAndIsTheNewCause() {
        cause.failed(new RandomUserApiClient.BadResponseException(UNAVAILABLE, null));
        cause.stateChanged(CircuitBreakerState.OPEN);
        clock.at = START.plusSeconds(31);
        cause.stateChanged(CircuitBreakerState.HALF_OPEN);
        cause.failed(new RandomUserApiClient.BadResponseException("GET http://api.example/api/ failed:"
                + " io.vertx.core.http.HttpClosedException: Connection was closed", null));
        cause.stateChanged(CircuitBreakerState.OPEN);

        assertThat(cause.describe()).isEqualTo("circuit breaker randomuser-api open since 2026-12-03T10:00:31Z after:"
                + " GET http://api.example/api/ failed: io.vertx.core.http.HttpClosedException: Connection was closed;"
                + " next try after 2026-12-03T10:01:01Z (in 30 s)");
    }

    @Test
    void failuresBeforeTheBreakerClosedExplainNoLaterOpening() {
        cause.failed(new RandomUserApiClient.BadResponseException(UNAVAILABLE, null));
        cause.stateChanged(CircuitBreakerState.OPEN);
        cause.stateChanged(CircuitBreakerState.HALF_OPEN);
        cause.stateChanged(CircuitBreakerState.CLOSED);
        clock.at = START.plusSeconds(100);
        cause.stateChanged(CircuitBreakerState.OPEN);

        assertThat(cause.describe()).isEqualTo("circuit breaker randomuser-api open since 2026-12-03T10:01:40Z after"
                + " repeated failures of the API's calls (each given up by its time-out); next try after"
                + " 2026-12-03T10:02:10Z (in 30 s)");
    }

    @Test
    void withoutTheBreakersStateChangesItStillNamesTheLastFailure() {
        cause.failed(new RandomUserApiClient.BadResponseException(UNAVAILABLE, null));

        assertThat(cause.describe()).isEqualTo("circuit breaker randomuser-api open after: " + UNAVAILABLE
                + " (at 2026-12-03T10:00:00Z); next try once its delay of 30 s has passed");
    }

    @Test
    void theDelayIsTheConfiguredOneForFetchPageThenTheGlobalOneThenTheAnnotations() {
        assertThat(RandomUserApiClient.circuitBreakerDelay(config(Map.of()))).isEqualTo(Duration.ofSeconds(30));
        assertThat(RandomUserApiClient.circuitBreakerDelay(config(Map.of(FETCH_PAGE + "delay", "60000"))))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(RandomUserApiClient.circuitBreakerDelay(config(Map.of(FETCH_PAGE + "delay", "2",
                FETCH_PAGE + "delay-unit", "minutes")))).isEqualTo(Duration.ofMinutes(2));
        assertThat(RandomUserApiClient.circuitBreakerDelay(config(Map.of(
                "quarkus.fault-tolerance.global.circuit-breaker.delay", "5",
                "quarkus.fault-tolerance.global.circuit-breaker.delay-unit", "SECONDS")))).isEqualTo(Duration.ofSeconds(5));
        assertThat(RandomUserApiClient.circuitBreakerDelay(config(Map.of(FETCH_PAGE + "delay", "1000",
                "quarkus.fault-tolerance.global.circuit-breaker.delay", "5000")))).isEqualTo(Duration.ofSeconds(1));
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    private static final class SetClock extends Clock {
        Instant at;

        SetClock(Instant at) {
            this.at = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return at;
        }
    }
}
