package io.userpipeline.processor.store;

import java.time.Duration;
import java.util.Map;
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
    private final MeterRegistry registry;
    /** The targets whose last write failed, with that failure. */
    private final Map<String, String> failing = new ConcurrentHashMap<>();

    StoreWrites(ProcessorConfig config, MeterRegistry registry) {
        this.initialBackoff = config.retry().initialBackoff();
        this.maxBackoff = config.retry().maxBackoff();
        this.registry = registry;
    }

    public Uni<Void> untilWritten(String target, String what, Supplier<Uni<Void>> write) {
        Gauge.builder("processor.store.failing", failing, targets -> targets.containsKey(target) ? 1 : 0)
                .tag("store", target).description("1 while the last write to the store failed, 0 once one succeeds")
                .register(registry);
        Timer timer = Timer.builder("processor.store.write.duration").tag("store", target)
                .description("Time to write one batch to a store, retries included")
                .publishPercentileHistogram().register(registry);
        Counter errors = Counter.builder("processor.store.write.errors").tag("store", target)
                .description("Failed attempts to write a batch to a store").register(registry);
        AtomicInteger attempt = new AtomicInteger();
        long started = System.nanoTime();
        return Uni.createFrom().deferred(write::get)
                .onFailure().invoke(failure -> {
                    errors.increment();
                    failing.put(target, failure.toString());
                    LOG.warnf("Writing %s to %s failed (attempt %d): %s. Retrying with back-off up to %d s; consumption"
                            + " is paused and nothing is committed until the write succeeds.", what, target,
                            attempt.incrementAndGet(), failure, maxBackoff.toSeconds());
                })
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).indefinitely()
                .onItem().invoke(() -> {
                    timer.record(Duration.ofNanos(System.nanoTime() - started));
                    if (failing.remove(target) != null) {
                        LOG.infof("%s accepts writes again; wrote %s after %d failed attempts", target, what, attempt.get());
                    }
                });
    }

    /** Targets refusing writes now, with the last failure of each. */
    public Map<String, String> failingTargets() {
        return Map.copyOf(failing);
    }
}
