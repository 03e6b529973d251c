package io.userpipeline.processor.consume;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;

/**
 * A stop (SIGTERM, a rolling update, a scale-down) that finishes the batches it started. Quarkus closes the
 * Cassandra session and the PostgreSQL pool right after the shutdown event, and the Kafka connector only after
 * that: without this, a batch in flight at the stop was written against closed stores, retried until the process
 * ended, and consumed again by the partition's next owner. So at the shutdown event no new batch starts (one that
 * arrives is held, never acknowledged, so its offsets stay uncommitted and the next owner reads it), and the stop
 * waits, at most {@code pipeline.shutdown.drain-timeout}, for the batches in flight to be written and acknowledged;
 * the connector then commits their offsets as it closes.
 */
@ApplicationScoped
public class OrderlyStop {

    private static final Logger LOG = Logger.getLogger(OrderlyStop.class);

    private final Duration drainTimeout;
    private final Object drained = new Object();
    private int inFlight;
    private boolean stopping;
    private int held;

    OrderlyStop(ProcessorConfig config) {
        this.drainTimeout = config.shutdown().drainTimeout();
    }

    /** Runs a batch unless the stop has begun; a batch that arrives after that is held and never completes. */
    public Uni<Void> run(Supplier<Uni<Void>> batch) {
        return Uni.createFrom().deferred(() -> {
            synchronized (drained) {
                if (stopping) {
                    held++;
                    return Uni.createFrom().nothing();
                }
                inFlight++;
            }
            return batch.get().onTermination().invoke(this::finished);
        });
    }

    private void finished() {
        synchronized (drained) {
            inFlight--;
            drained.notifyAll();
        }
    }

    void drain(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent shutdown)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + drainTimeout.toNanos();
        int unfinished;
        synchronized (drained) {
            stopping = true;
            int atStop = inFlight;
            while (inFlight > 0 && System.nanoTime() < deadline) {
                drained.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            unfinished = inFlight;
            if (unfinished == 0) {
                LOG.infof("Stopping: %d batch(es) in flight written and acknowledged in %d ms; %d arriving meanwhile"
                        + " held for the next consumer", atStop, (System.nanoTime() - started) / 1_000_000, held);
                return;
            }
        }
        LOG.warnf("Stopping with %d batch(es) still being written after pipeline.shutdown.drain-timeout (%s): a store"
                + " or the dead-letter topic is refusing writes. They stay unacknowledged; the next consumer of their"
                + " partitions writes them again (the writes are idempotent).", unfinished, drainTimeout);
    }
}
