package io.userpipeline.processor.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.processor.ProcessorConfig;
import io.vertx.pgclient.PgException;

/**
 * Runs a write to a store (or to the dead-letter topic) until it succeeds, with exponential back-off. While a
 * target refuses writes the batch is not acknowledged, so its offsets are not committed, consumption pauses, and
 * the pipeline's health group reports the target DOWN; when the target is back, the write succeeds and consumption
 * resumes by itself. Writes are idempotent, so a retried write that had partly succeeded does no harm.
 * <p>
 * A store that refuses a value ({@link #isRefusalOfData}) would refuse it on every attempt: such a write is not
 * retried, its batch is split until the records at fault are found, and the caller dead-letters them.
 */
@ApplicationScoped
public class StoreWrites {

    private static final Logger LOG = Logger.getLogger(StoreWrites.class);
    /** The SQLSTATE classes of PostgreSQL's refusals of data; see {@link #isRefusalOfData}. */
    private static final Set<String> DATA_ERROR_CLASSES = Set.of("22", "23", "54");
    /**
     * Cassandra tells of a missing keyspace, table or column with the exception it refuses a value with; a
     * missing schema is an outage to repair, not a reason to dead-letter every record.
     */
    private static final List<String> CASSANDRA_SCHEMA_MISSING = List.of("unconfigured table", "does not exist",
            "Undefined column");

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration writeTimeout;
    private final MeterRegistry registry;
    /**
     * The writes failing now, by target and input topic ({@code postgresql <- user-profiles}), with their last
     * failure: each input topic has its own batch in flight, and one succeeding says nothing of the other.
     */
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final Map<String, TargetMeters> meters = new ConcurrentHashMap<>();

    private record TargetMeters(Timer duration, Counter errors) {
    }

    StoreWrites(ProcessorConfig config, MeterRegistry registry) {
        this.initialBackoff = config.retry().initialBackoff();
        this.maxBackoff = config.retry().maxBackoff();
        this.writeTimeout = config.retry().writeTimeout();
        this.registry = registry;
    }

    /** A record the store refused for good, with the store's words. */
    public record Refusal<T>(T item, String target, String message) {
    }

    /**
     * Writes the items as {@link #untilWritten} does, except that a refusal of data splits them in halves, each
     * written on its own, down to single items: every item the store accepts is written, and those it refuses are
     * returned. A batch with one bad record costs about 2 log2(n) extra writes; idempotence makes the repeats of
     * the accepted records harmless.
     *
     * @param describe an item, for the log: {@code user-profiles-0@42}
     */
    public <T> Uni<List<Refusal<T>>> writeRefusingBadRecords(String target, String topic, String what, List<T> items,
            Function<T, String> describe, Function<List<T>, Uni<Void>> write) {
        return untilWritten(target, topic, what, () -> write.apply(items))
                .replaceWith(List.<Refusal<T>>of())
                .onFailure(StoreWrites::isRefusalOfData).recoverWithUni(refusal -> {
                    if (items.size() == 1) {
                        T item = items.get(0);
                        LOG.warnf("%s refused %s: %s. It is dead-lettered as %s; the rest of its batch is written.",
                                target, describe.apply(item), refusal, RejectionReason.STORE_REJECTED.wireName());
                        return Uni.createFrom().item(List.of(new Refusal<>(item, target, refusal.getMessage())));
                    }
                    int half = items.size() / 2;
                    LOG.debugf("%s refused %s (%s); writing its halves apart to find the records at fault", target, what,
                            refusal);
                    return writeRefusingBadRecords(target, topic, what, items.subList(0, half), describe, write)
                            .chain(first -> writeRefusingBadRecords(target, topic, what, items.subList(half, items.size()),
                                    describe, write).map(second -> concat(first, second)));
                });
    }

    /**
     * Errors that say the data is wrong, not the store unavailable: retrying cannot help, and splitting the batch
     * finds the record at fault. PostgreSQL's data exceptions (class 22: invalid input, value too long, out of
     * range), integrity violations (23: a constraint) and limits (54: a value too large for an index); Cassandra's
     * invalid queries (a key or batch too large, a value it cannot take). Everything else (connections,
     * time-outs, unavailable or overloaded nodes, permissions, a missing keyspace, table or column) is retried: a
     * pause an operator sees in the pipeline's health is safer than dead-lettering records a store would take once
     * repaired.
     */
    static boolean isRefusalOfData(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidQueryException invalid) {
                return CASSANDRA_SCHEMA_MISSING.stream().noneMatch(String.valueOf(invalid.getMessage())::contains);
            }
            if (cause instanceof PgException refused && refused.getSqlState() != null
                    && DATA_ERROR_CLASSES.contains(refused.getSqlState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /**
     * @param target the store or topic written to, as named in metrics and health
     * @param topic  the input topic whose batch this is
     * @param what   the batch, for the log: {@code 1000 users of user-profiles[0:5000-5999]}
     */
    public Uni<Void> untilWritten(String target, String topic, String what, Supplier<Uni<Void>> write) {
        String key = target + " <- " + topic;
        TargetMeters targetMeters = meters.computeIfAbsent(target, this::registerMeters);
        AtomicInteger attempt = new AtomicInteger();
        long started = System.nanoTime();
        return Uni.createFrom().deferred(write::get)
                // A connection that hangs rather than fails must count as a failure too, or nothing would retry.
                .ifNoItem().after(writeTimeout).failWith(() -> new TimeoutException(target + " did not complete the"
                        + " write within " + writeTimeout.toSeconds() + " s (pipeline.retry.write-timeout)"))
                .onFailure(failure -> !isRefusalOfData(failure)).invoke(failure -> {
                    targetMeters.errors().increment();
                    failing.put(key, failure.toString());
                    LOG.warnf("Writing %s to %s failed (attempt %d): %s. Retrying with back-off up to %d s; consumption"
                            + " is paused and nothing is committed until the write succeeds.", what, target,
                            attempt.incrementAndGet(), failure, maxBackoff.toSeconds());
                })
                .onFailure(failure -> !isRefusalOfData(failure)).retry().withBackOff(initialBackoff, maxBackoff)
                .indefinitely()
                .onItem().invoke(() -> {
                    targetMeters.duration().record(Duration.ofNanos(System.nanoTime() - started));
                    if (failing.remove(key) != null) {
                        LOG.infof("%s accepts writes again; wrote %s after %d failed attempts", target, what, attempt.get());
                    }
                });
    }

    /** Registered once per target rather than looked up on every batch. */
    private TargetMeters registerMeters(String target) {
        Gauge.builder("processor.store.failing", failing, writes -> writes.keySet().stream()
                        .anyMatch(failingKey -> failingKey.startsWith(target + " ")) ? 1 : 0)
                .tag("store", target).description("1 while writes to the store are failing, 0 once they succeed")
                .register(registry);
        return new TargetMeters(
                Timer.builder("processor.store.write.duration").tag("store", target)
                        .description("Time to write one batch to a store, retries included")
                        .publishPercentileHistogram().register(registry),
                Counter.builder("processor.store.write.errors").tag("store", target)
                        .description("Failed attempts to write a batch to a store").register(registry));
    }

    /** Targets refusing writes now, with the last failure of each. */
    public Map<String, String> failingTargets() {
        return Map.copyOf(failing);
    }
}
