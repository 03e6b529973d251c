package io.userpipeline.processor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.store.StoreWrites.Refusal;
import io.vertx.pgclient.PgException;

/**
 * Which store errors are retried and which isolate a record, with a store fake: no value inside the contract makes
 * Cassandra refuse a row, so the splitting is proven here (PoisonRecordsTest proves it with PostgreSQL for real).
 */
class StoreWritesTest {

    private final StoreWrites writes = new StoreWrites(retryingEvery(Duration.ofMillis(1)), new SimpleMeterRegistry());

    /** A store that refuses every write containing one of the bad items with {@code refusal}, and records the rest. */
    private static final class FakeStore implements Function<List<Integer>, Uni<Void>> {
        final Set<Integer> bad;
        final Throwable refusal;
        final List<Integer> written = new ArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();

        FakeStore(Throwable refusal, Integer... bad) {
            this.refusal = refusal;
            this.bad = Set.of(bad);
        }

        @Override
        public Uni<Void> apply(List<Integer> items) {
            attempts.incrementAndGet();
            if (items.stream().anyMatch(bad::contains)) {
                return Uni.createFrom().failure(refusal);
            }
            written.addAll(items);
            return Uni.createFrom().voidItem();
        }
    }

    private List<Refusal<Integer>> write(List<Integer> batch, FakeStore store) {
        return writes.writeRefusingBadRecords("a-store", "user-profiles", batch.size() + " users", batch,
                item -> "record " + item, store).await().atMost(Duration.ofSeconds(10));
    }

    private static final List<Integer> BATCH = IntStream.range(0, 1000).boxed().toList();

    @Test
    void recordsCassandraRefusesAreIsolatedAndEveryOtherRecordIsWritten() {
        FakeStore cassandra = new FakeStore(new InvalidQueryException(null, "Key length of 70000 is longer than maximum"
                + " of 65535"), 37, 800);

        List<Refusal<Integer>> refused = write(BATCH, cassandra);

        assertThat(refused).extracting(Refusal::item).containsExactly(37, 800);
        assertThat(refused).allSatisfy(refusal -> {
            assertThat(refusal.target()).isEqualTo("a-store");
            assertThat(refusal.message()).isEqualTo("Key length of 70000 is longer than maximum of 65535");
        });
        assertThat(cassandra.written).hasSize(998).doesNotHaveDuplicates().doesNotContain(37, 800);
        assertThat(cassandra.attempts.get()).as("writes: the whole, then two halvings of 10 levels each")
                .isLessThanOrEqualTo(1 + 2 * 2 * 10);
    }

    @Test
    void aValuePostgresRefusesIsIsolated() {
        FakeStore postgres = new FakeStore(new PgException("value too long for type character varying(20)", "ERROR",
                "22001", null), 999);

        assertThat(write(BATCH, postgres)).extracting(Refusal::item).containsExactly(999);
        assertThat(postgres.written).hasSize(999);
    }

    @Test
    void anUnavailableStoreIsRetriedUntilItTakesTheWholeBatchAndNothingIsRefused() {
        AtomicInteger attempts = new AtomicInteger();
        List<Throwable> outage = List.of(new ConnectException("Connection refused"),
                new PgException("the database system is shutting down", "FATAL", "57P03", null),
                new InvalidQueryException(null, "unconfigured table users_by_id"));
        List<Integer> written = new ArrayList<>();

        List<Refusal<Integer>> refused = writes.writeRefusingBadRecords("a-store", "user-profiles", "3 users",
                List.of(1, 2, 3), String::valueOf, items -> {
                    int attempt = attempts.getAndIncrement();
                    if (attempt < outage.size()) {
                        return Uni.createFrom().failure(outage.get(attempt));
                    }
                    written.addAll(items);
                    return Uni.createFrom().voidItem();
                }).await().atMost(Duration.ofSeconds(10));

        assertThat(refused).isEmpty();
        assertThat(written).containsExactly(1, 2, 3);
        assertThat(attempts.get()).isEqualTo(4);
    }

    private static ProcessorConfig retryingEvery(Duration backoff) {
        ProcessorConfig.Retry retry = new ProcessorConfig.Retry() {
            @Override
            public Duration initialBackoff() {
                return backoff;
            }

            @Override
            public Duration maxBackoff() {
                return backoff;
            }

            @Override
            public Duration writeTimeout() {
                return Duration.ofSeconds(5);
            }
        };
        // A proxy rather than an implementing class: Quarkus indexes test classes, and would check one as a bean.
        return (ProcessorConfig) Proxy.newProxyInstance(ProcessorConfig.class.getClassLoader(),
                new Class<?>[] { ProcessorConfig.class }, (proxy, method, arguments) -> {
                    if (method.getName().equals("retry")) {
                        return retry;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not read by StoreWrites");
                });
    }
}
