package io.userpipeline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.LocalServers;
import io.userpipeline.servers.QuarkusService;

/**
 * How fast the packaged processor drains a backlog into both stores: N events are first published to Kafka by
 * the ingestor (which is then stopped), then the processor starts; the rate is the events stored in both
 * stores between the first and the last sample of its metrics, over that time.
 * <p>
 * Usage: {@code DrainBenchmark <ingestor quarkus-run.jar> <processor quarkus-run.jar> <work folder> [events]}
 */
public final class DrainBenchmark {

    private static final Pattern STORED = Pattern.compile("processor_records_stored_total\\{store=\"postgresql\"} ([0-9.E]+)");

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path ingestorJar = Path.of(args[0]);
        Path processorJar = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000;
        try (LocalServers servers = LocalServers.startEphemeral(work, EnumSet.allOf(LocalServers.Kind.class))) {
            Map<String, String> connections = servers.connectionProperties();
            QuarkusService ingestor = new QuarkusService("ingestor", ingestorJar, work.resolve("ingestor"), FreePorts.next(),
                    Map.of("kafka.bootstrap.servers", connections.get("kafka.bootstrap.servers"),
                            "ingestion.interval", "off",
                            "ingestion.batch-size", Integer.toString(events)));
            ingestor.start();
            try {
                IngestorBenchmark.run(ingestor, 1);
            } finally {
                ingestor.stop();
            }
            System.out.printf("%,d events in Kafka; starting the processor%n", events);

            Map<String, String> processorConfig = new HashMap<>(connections);
            processorConfig.put("pipeline.analytics.refresh-interval", "1h");
            QuarkusService processor = new QuarkusService("processor", processorJar, work.resolve("processor"),
                    FreePorts.next(), processorConfig);
            processor.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                long firstCount = -1;
                long firstAt = 0;
                long count = 0;
                long at = 0;
                while (count < events) {
                    Thread.sleep(500);
                    String metrics = http.send(HttpRequest.newBuilder(URI.create(processor.url() + "/q/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    Matcher stored = STORED.matcher(metrics);
                    if (!stored.find()) {
                        continue;
                    }
                    count = (long) Double.parseDouble(stored.group(1));
                    at = System.nanoTime();
                    if (firstCount < 0) {
                        firstCount = count;
                        firstAt = at;
                    }
                }
                double seconds = (at - firstAt) / 1e9;
                System.out.printf("%nProcessor drain, Kafka -> Cassandra + PostgreSQL, %d cores:%n",
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("  stored %,d events in both stores in %.1f s (measured from the first %,d): %,.0f events/s%n",
                        count - firstCount, seconds, firstCount, (count - firstCount) / seconds);
            } finally {
                processor.stop();
            }
        }
    }
}
