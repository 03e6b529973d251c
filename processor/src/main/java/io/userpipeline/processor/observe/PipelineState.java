package io.userpipeline.processor.observe;

import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;
import io.userpipeline.processor.store.StoreWrites;

/**
 * Whether the pipeline runs or waits, and for what: a Kafka channel without a connection to the broker, or a store
 * or the dead-letter topic refusing writes. Waiting is a pause, not a fault of this pod: every replica waits alike,
 * the query API keeps answering, and consumption resumes by itself. So it is reported where operators and alerts
 * look (the health group {@value #HEALTH_GROUP}, the gauge {@code processor_pipeline_paused}, the status page),
 * never in readiness or liveness.
 */
@Startup // the gauge must be scraped from the first scrape on, not from the first use of this bean
@ApplicationScoped
public class PipelineState {

    /** {@code /q/health/group/pipeline}. */
    public static final String HEALTH_GROUP = "pipeline";

    private final Instance<HealthReporter> connectors;
    private final StoreWrites writes;

    PipelineState(@Any Instance<HealthReporter> connectors, StoreWrites writes, MeterRegistry registry) {
        this.connectors = connectors;
        this.writes = writes;
        Gauge.builder("processor.pipeline.paused", this, state -> state.waitingFor().isEmpty() ? 0 : 1)
                .description("1 while the pipeline waits for Kafka, a store or the dead-letter topic (consuming"
                        + " nothing, committing nothing); 0 while it runs")
                .strongReference(true).register(registry);
    }

    /**
     * The Kafka channels that have no connection to the broker, with the connector's words. Asked of the connectors
     * themselves: the messaging extension's own view of them is filtered out of readiness by configuration.
     */
    public Map<String, String> kafkaChannelsDown() {
        Map<String, String> down = new TreeMap<>();
        for (HealthReporter connector : connectors) {
            for (HealthReport.ChannelInfo channel : connector.getReadiness().getChannels()) {
                if (!channel.isOk()) {
                    down.put(channel.getChannel(), channel.getMessage() == null || channel.getMessage().isBlank()
                            ? "no connection to the Kafka broker" : channel.getMessage());
                }
            }
        }
        return down;
    }

    /** A check of the pipeline's group: up while nothing is wrong, else down with each problem as its data. */
    public static HealthCheckResponse check(String name, Map<String, String> problems) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name);
        problems.forEach(response::withData);
        return problems.isEmpty() ? response.up().build() : response.down().build();
    }

    /** What the pipeline waits for now ({@code kafka user-profiles}, {@code postgresql <- user-profiles}), and why. */
    public Map<String, String> waitingFor() {
        Map<String, String> waiting = new TreeMap<>(writes.failingTargets());
        kafkaChannelsDown().forEach((channel, why) -> waiting.put("kafka " + channel, why));
        return waiting;
    }
}
