package io.userpipeline.processor.store;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;

/**
 * Runs a write to a store (or to the dead-letter topic) until it succeeds, with exponential back-off. While a
 * target refuses writes the batch is not acknowledged, so its offsets are not committed, consumption pauses, and
 * readiness reports the target DOWN; when the target is back, the write succeeds and consumption resumes by
 * itself. Writes are idempotent, so a retried write that had partly succeeded does no harm.
 */
@ApplicationScoped
public class StoreWrites {

    private static final Logger LOG = Logger.getLogger(StoreWrites.class);

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
                .onFailure().invoke(failure -> {
                    targetMeters.errors().increment();
                    failing.put(key, failure.toString());
                    LOG.warnf("Writing %s to %s failed (attempt %d): %s. Retrying with back-off up to %d s; consumption"
                            + " is paused and nothing is committed until the write succeeds.", what, target,
                            attempt.incrementAndGet(), failure, maxBackoff.toSeconds());
                })
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).indefinitely()
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
