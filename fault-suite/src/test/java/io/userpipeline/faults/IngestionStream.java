package io.userpipeline.faults;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.userpipeline.servers.QuarkusService;

/**
 * A steady stream of events through the real ingestor: triggered runs of its generator, one after the other with a
 * pause between, until Kafka has acknowledged {@code target} events, whatever fails in between. Runs that fail
 * (Kafka away) are recorded with their outcome and duration.
 */
final class IngestionStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(long number, String outcome, long published, long failed, long durationMillis) {
    }

    private final QuarkusService ingestor;
    private final long target;
    private final Duration pause;
    private final List<Run> runs = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Void> done;
    private long published;

    private IngestionStream(QuarkusService ingestor, long target, Duration pause) {
        this.ingestor = ingestor;
        this.target = target;
        this.pause = pause;
        this.done = CompletableFuture.runAsync(this::stream,
                task -> Thread.ofPlatform().daemon().name("ingestion-stream").start(task));
    }

    static IngestionStream start(QuarkusService ingestor, long target, Duration pause) {
        return new IngestionStream(ingestor, target, pause);
    }

    /** Waits until the target is published; fails with what the runs did if that takes longer than {@code timeout}. */
    void await(Duration timeout) {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            stopped.set(true);
            throw new AssertionError("The ingestion stream did not publish " + target + " events within "
                    + timeout.toSeconds() + " s; runs: " + runs(), e);
        }
    }

    synchronized List<Run> runs() {
        return List.copyOf(runs);
    }

    synchronized long published() {
        return published;
    }

    private void stream() {
        while (published() < target && !stopped.get()) {
            long previous = lastRunNumber();
            var trigger = Http.post(ingestor.url() + "/ingestion/trigger");
            if (trigger.isEmpty() || trigger.get().status() != 202) {
                sleep(Duration.ofMillis(200));
                continue;
            }
            JsonNode lastRun = awaitRun(previous + 1);
            Run run = new Run(lastRun.get("number").asLong(), lastRun.get("outcome").asText(),
                    lastRun.get("published").asLong(), lastRun.get("failed").asLong(), lastRun.get("durationMillis").asLong());
            synchronized (this) {
                runs.add(run);
                published += run.published();
            }
            sleep(pause);
        }
    }

    private long lastRunNumber() {
        JsonNode status = status();
        return status == null ? 0 : status.path("totals").path("runs").asLong();
    }

    private JsonNode awaitRun(long number) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && !stopped.get()) {
            JsonNode status = status();
            if (status != null && !status.get("running").asBoolean() && status.path("lastRun").path("number").asLong() >= number) {
                return status.get("lastRun");
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("Ingestion run " + number + " did not finish within 5 minutes");
    }

    private JsonNode status() {
        return Http.get(ingestor.url() + "/ingestion/status").filter(answer -> answer.status() == 200).map(answer -> {
            try {
                return JSON.readTree(answer.body());
            } catch (IOException e) {
                throw new IllegalStateException("The ingestor's status is not JSON: " + answer.body(), e);
            }
        }).orElse(null);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
