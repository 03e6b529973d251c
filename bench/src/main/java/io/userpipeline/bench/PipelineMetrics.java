package io.userpipeline.bench;

import java.util.Map;

import io.userpipeline.servers.MetricsScrape;

/** What the benchmark reads from the services' metrics. */
final class PipelineMetrics {

    private PipelineMetrics() {
    }

    /** The processor's users in both stores: it counts a batch once both stores have it. */
    static long usersInBothStores(MetricsScrape processor) {
        return (long) Math.min(processor.sum("processor_records_stored_total", Map.of("store", "cassandra")),
                processor.sum("processor_records_stored_total", Map.of("store", "postgresql")));
    }
}
