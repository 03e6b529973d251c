package io.userpipeline.processor.analytics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.userpipeline.processor.TestUsers;
import io.userpipeline.servers.TestTiers;
import io.userpipeline.storeduser.PostgresUserRows;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.storeduser.UserTransformer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Refreshes on two processor instances at once, as two repositories on their own connections to the real
 * PostgreSQL: neither answers with views older than its request, and both tell the same refresh time.
 */
@QuarkusTest
@Tag(TestTiers.SERVERS)
class AnalyticsRefreshRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool postgres;

    private final String country = "Raceland " + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeTheTestUsers() {
        postgres.preparedQuery("DELETE FROM users WHERE country = $1").execute(Tuple.of(country))
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void twoRefreshersRacingBothCountWhatWasStoredBeforeTheirRequest() throws Exception {
        AnalyticsRepository first = new AnalyticsRepository(postgres, WAIT);
        AnalyticsRepository second = new AnalyticsRepository(postgres, WAIT);
        storeUser();
        Instant requested = databaseNow();

        CompletableFuture<Analytics> byFirst = first.refresh().chain(first::read).subscribeAsCompletionStage();
        CompletableFuture<Analytics> bySecond = second.refresh().chain(second::read).subscribeAsCompletionStage();

        for (Analytics answer : new Analytics[] { byFirst.get(60, TimeUnit.SECONDS), bySecond.get(60, TimeUnit.SECONDS) }) {
            assertThat(answer.byCountry()).as("views refreshed after the request").containsEntry(country, 1L);
            assertThat(answer.refreshedAt()).as("refresh time").isNotNull().isAfterOrEqualTo(requested);
        }
        Instant latest = new AnalyticsRepository(postgres, WAIT).read().await().atMost(Duration.ofSeconds(10)).refreshedAt();
        assertThat(first.read().await().atMost(Duration.ofSeconds(10)).refreshedAt())
                .as("the refresh time any instance reads, including one that never refreshed").isEqualTo(latest);
        assertThat(second.read().await().atMost(Duration.ofSeconds(10)).refreshedAt()).isEqualTo(latest);
    }

    @Test
    void aRefresherThatLosesTheLockWaitsForTheOtherInstanceAndCountsWhatWasStoredMeanwhile() throws Exception {
        AnalyticsRepository loser = new AnalyticsRepository(postgres, WAIT);
        CompletableFuture<Analytics> answer;
        Instant requested;
        try (LockHolder otherInstance = new LockHolder()) {
            storeUser();
            requested = databaseNow();
            answer = loser.refresh().chain(loser::read).subscribeAsCompletionStage();
            Thread.sleep(1500);
            assertThat(answer).as("a refresh while another instance holds the lock waits for it").isNotDone();
        }
        Analytics refreshed = answer.get(60, TimeUnit.SECONDS);
        assertThat(refreshed.byCountry()).containsEntry(country, 1L);
        assertThat(refreshed.refreshedAt()).isAfterOrEqualTo(requested);
    }

    @Test
    void aRefreshThatOutlastsTheWaitIsAnsweredAsInProgressNotWithOldViews() throws Exception {
        AnalyticsRepository impatient = new AnalyticsRepository(postgres, Duration.ofSeconds(1));
        try (LockHolder otherInstance = new LockHolder()) {
            assertThat(impatient.refresh().subscribeAsCompletionStage())
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(AnalyticsUnavailableException.class)
                    .withMessageContaining("Another processor instance is refreshing the analytics views")
                    .withMessageContaining("1 s");
            // The application waits pipeline.analytics.refresh-wait (3 s in tests).
            given().post("/analytics/refresh").then().statusCode(503)
                    .header("Retry-After", equalTo("10"))
                    .body("status", equalTo(503))
                    .body("error", containsString("has not finished within 3 s"));
        }
        given().post("/analytics/refresh").then().statusCode(200);
    }

    /** One user of the test's country, written as the processor writes users. */
    private void storeUser() {
        StoredUser user = UserTransformer.toStoredUser(TestUsers.inCountry(TestUsers.event(1), country));
        postgres.preparedQuery(PostgresUserRows.upsert(PostgresUserRows.TABLE))
                .execute(Tuple.newInstance(PostgresUserRows.arrays(List.of(user))))
                .await().atMost(Duration.ofSeconds(10));
    }

    private Instant databaseNow() {
        return postgres.query("SELECT clock_timestamp()").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getOffsetDateTime(0).toInstant();
    }

    /** Another instance's refresh in progress: the refresh lock, held on a connection of its own until closed. */
    private final class LockHolder implements AutoCloseable {
        private final SqlConnection connection = postgres.getConnection().await().atMost(Duration.ofSeconds(10));

        LockHolder() {
            connection.query("SELECT pg_advisory_lock(" + AnalyticsRepository.REFRESH_LOCK + ")").execute()
                    .await().atMost(Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            connection.query("SELECT pg_advisory_unlock(" + AnalyticsRepository.REFRESH_LOCK + ")").execute()
                    .await().atMost(Duration.ofSeconds(10));
            connection.closeAndAwait();
        }
    }
}
