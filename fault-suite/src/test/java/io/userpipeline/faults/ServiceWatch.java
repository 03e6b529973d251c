package io.userpipeline.faults;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

import io.userpipeline.servers.MetricsScrape;
import io.userpipeline.servers.ProcessMemory;
import io.userpipeline.servers.QuarkusService;

/**
 * Samples a running service twice a second: is it ready (and if not, what does its health endpoint say), how much
 * heap it uses (from its own metrics) and how much memory the process holds (RSS, from /proc), and how many records
 * it has consumed. What a store outage must show: not ready, consuming nothing more, memory flat. "Ready" is what
 * the given health endpoint says: the ingestor's readiness; for the processor, its pipeline's health group
 * ({@link #PROCESSOR_PIPELINE}), since its readiness is only whether it can answer its query API.
 */
final class ServiceWatch implements AutoCloseable {

    private static final String CONSUMED = "processor_records_consumed_total";

    /** DOWN while the processor's pipeline waits for Kafka, a store or the dead-letter topic. */
    static final String PROCESSOR_PIPELINE = "/q/health/group/pipeline";
    static final String READINESS = "/q/health/ready";

    private final QuarkusService service;
    private final String health;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread sampler;
    private String lastNotReadyAnswer;
    private long maxHeapBytes;
    private long maxRssBytes;
    private long consumed;
    private long lastReadyAtNanos = System.nanoTime();
    private long lastNotReadyAtNanos;

    ServiceWatch(QuarkusService service, String health) {
        this.service = service;
        this.health = health;
        this.sampler = Thread.ofPlatform().daemon().name("watch-" + service.name()).start(this::sampleUntilClosed);
    }

    private void sampleUntilClosed() {
        while (running.get()) {
            sample();
            IngestionStream.sleep(Duration.ofMillis(500));
        }
    }

    private void sample() {
        var readiness = Http.get(service.url() + health);
        var metrics = Http.get(service.url() + "/q/metrics");
        OptionalLong rss = service.process().map(ProcessMemory::residentBytes).orElseGet(OptionalLong::empty);
        synchronized (this) {
            if (readiness.isPresent() && readiness.get().status() == 200) {
                lastReadyAtNanos = System.nanoTime();
            } else {
                lastNotReadyAtNanos = System.nanoTime();
                lastNotReadyAnswer = readiness.map(Http.Answer::body).orElse("(no answer)");
            }
            scrapeOf(metrics).ifPresent(scrape -> {
                long heapBytes = (long) scrape.sum("jvm_memory_used_bytes", Map.of("area", "heap"));
                maxHeapBytes = Math.max(maxHeapBytes, heapBytes);
                consumed = (long) scrape.sum(CONSUMED);
            });
            rss.ifPresent(bytes -> maxRssBytes = Math.max(maxRssBytes, bytes));
        }
    }

    /** What a processor has consumed so far, from its metrics now; empty if it does not answer. */
    static OptionalLong recordsConsumedBy(QuarkusService processor) {
        return scrapeOf(Http.get(processor.url() + "/q/metrics"))
                .map(scrape -> OptionalLong.of((long) scrape.sum(CONSUMED))).orElseGet(OptionalLong::empty);
    }

    /**
     * The metrics of a 200 answer; none for any other answer, or for text that is not Prometheus' (the services'
     * own metrics tests check that it is), so that one bad scrape does not end the sampling.
     */
    private static Optional<MetricsScrape> scrapeOf(Optional<Http.Answer> answer) {
        try {
            return answer.filter(ok -> ok.status() == 200).map(ok -> MetricsScrape.parse(ok.body()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    synchronized String lastNotReadyAnswer() {
        return lastNotReadyAnswer;
    }

    synchronized long maxHeapMiB() {
        return maxHeapBytes / (1024 * 1024);
    }

    synchronized long maxRssMiB() {
        return maxRssBytes / (1024 * 1024);
    }

    synchronized long consumed() {
        return consumed;
    }

    /** Waits until the service reports not ready, e.g. after its store went away. */
    void awaitNotReady(Duration timeout) {
        awaitState(false, timeout);
    }

    /** Waits until the service reports ready again, by itself. */
    void awaitReady(Duration timeout) {
        awaitState(true, timeout);
    }

    private void awaitState(boolean ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (ready ? lastReadyAtNanos > lastNotReadyAtNanos : lastNotReadyAtNanos > lastReadyAtNanos) {
                    return;
                }
            }
            IngestionStream.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError(service.name() + " did not report " + (ready ? "ready" : "not ready") + " within "
                + timeout.toSeconds() + " s; its last not-ready answer: " + lastNotReadyAnswer());
    }

    @Override
    public void close() {
        running.set(false);
        try {
            sampler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
