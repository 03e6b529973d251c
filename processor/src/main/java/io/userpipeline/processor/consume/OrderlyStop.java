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
 * waits, at most {@code pipeline.shutdown.drain-timeout}, for the batches in flight to be written; the connector
 * acknowledges them at once and commits their offsets as it closes. A rebalance during the drain can still move a
 * batch's partitions away before its commit; the next owner then writes it again: nothing is lost.
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
            Uni<Void> running;
            try {
                running = batch.get();
            } catch (RuntimeException bug) {
                finished();
                return Uni.createFrom().failure(bug);
            }
            return running.onTermination().invoke(this::finished);
        });
    }

    private void finished() {
        synchronized (drained) {
            inFlight--;
            drained.notifyAll();
        }
    }

    void drain(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent shutdown) {
        long started = System.nanoTime();
        long deadline = started + drainTimeout.toNanos();
        int atStop;
        int unfinished;
        int heldSoFar;
        synchronized (drained) {
            stopping = true;
            atStop = inFlight;
            try {
                while (inFlight > 0 && System.nanoTime() < deadline) {
                    drained.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException interrupted) {
                // The other shutdown observers must still run: stop waiting, keep the flag for whoever asks.
                Thread.currentThread().interrupt();
            }
            unfinished = inFlight;
            heldSoFar = held;
        }
        if (unfinished == 0) {
            LOG.infof("Stopping: %d batch(es) in flight written in %d ms; %d held so far for the next consumer",
                    atStop, (System.nanoTime() - started) / 1_000_000, heldSoFar);
        } else {
            LOG.warnf("Stopping with %d batch(es) still being written after %d ms (pipeline.shutdown.drain-timeout %s):"
                    + " a store or the dead-letter topic is refusing writes, or the stop was interrupted. They stay"
                    + " unacknowledged; the next consumer of their partitions writes them again (the writes are"
                    + " idempotent).", unfinished, (System.nanoTime() - started) / 1_000_000, drainTimeout);
        }
    }
}
