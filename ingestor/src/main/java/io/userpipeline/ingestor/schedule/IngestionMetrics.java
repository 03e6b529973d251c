package io.userpipeline.ingestor.schedule;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/** The ingestion's meters, all tagged with the source: profiles fetched, published and failed, runs by outcome. */
final class IngestionMetrics {

    private final MeterRegistry registry;
    private final Tags sourceTag;
    private final Counter fetched;
    private final Counter published;
    private final Counter unmappable;
    private final Counter publishFailed;
    private final Timer runDuration;
    private final Map<RunOutcome, Counter> runs = new EnumMap<>(RunOutcome.class);

    IngestionMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.sourceTag = Tags.of("source", source);
        this.fetched = Counter.builder("ingestion.records.fetched").tags(sourceTag)
                .description("Profiles fetched from the source").register(registry);
        this.published = Counter.builder("ingestion.records.published").tags(sourceTag)
                .description("User events acknowledged by Kafka").register(registry);
        this.unmappable = failedCounter("unmappable");
        this.publishFailed = failedCounter("publish");
        this.runDuration = Timer.builder("ingestion.run.duration").tags(sourceTag)
                .description("Duration of ingestion runs").register(registry);
        // Every outcome from the start, at 0: an alert's increase() sees the first run of an outcome too.
        for (RunOutcome outcome : RunOutcome.values()) {
            runs.put(outcome, Counter.builder("ingestion.runs").tags(sourceTag).tag("outcome", outcome.wireName())
                    .description("Ingestion runs, by outcome").register(registry));
        }
    }

    private Counter failedCounter(String reason) {
        return Counter.builder("ingestion.records.failed").tags(sourceTag).tag("reason", reason)
                .description("Profiles not published, by reason").register(registry);
    }

    void fetched(int profiles) {
        fetched.increment(profiles);
    }

    void published() {
        published.increment();
    }

    void unmappable() {
        unmappable.increment();
    }

    void publishFailed() {
        publishFailed.increment();
    }

    void runFinished(Duration duration, RunOutcome outcome) {
        runDuration.record(duration);
        runs.get(outcome).increment();
    }
}
