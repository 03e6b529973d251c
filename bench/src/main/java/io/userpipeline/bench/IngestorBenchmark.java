package io.userpipeline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.LocalServers;
import io.userpipeline.servers.FreePorts;
import io.userpipeline.servers.QuarkusService;

/**
 * How fast the packaged ingestor publishes generated profiles to a real local Kafka: one run of N profiles
 * (default 1,000,000) after a warm-up run, timed by the ingestor itself (from the run's start to the last
 * acknowledgement).
 * <p>
 * Usage: {@code IngestorBenchmark <ingestor quarkus-run.jar> <work folder> [profiles]}
 */
public final class IngestorBenchmark {

    private static final Pattern RUN = Pattern.compile(
            "\"lastRun\":\\{\"number\":(\\d+),.*?\"durationMillis\":(\\d+),\"fetched\":(\\d+),\"published\":(\\d+),\"failed\":(\\d+)");

    private IngestorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path ingestorJar = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int profiles = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        try (LocalServers servers = LocalServers.startEphemeral(work, EnumSet.of(LocalServers.Kind.KAFKA))) {
            QuarkusService ingestor = new QuarkusService("ingestor", ingestorJar, work.resolve("ingestor"), FreePorts.next(),
                    Map.of("kafka.bootstrap.servers", servers.connectionProperties().get("kafka.bootstrap.servers"),
                            "ingestion.interval", "off",
                            "ingestion.batch-size", Integer.toString(profiles)));
            ingestor.start();
            try {
                run(ingestor, 1);
                Matcher measured = run(ingestor, 2);
                long millis = Long.parseLong(measured.group(2));
                long published = Long.parseLong(measured.group(4));
                System.out.printf("%nIngestor, generator source -> Kafka (acks=all, idempotent, lz4), %d cores:%n",
                        Runtime.getRuntime().availableProcessors());
                System.out.printf("  published %,d of %,d profiles (failed %s) in %.2f s: %,.0f records/s%n", published,
                        Long.parseLong(measured.group(3)), measured.group(5), millis / 1000.0, published * 1000.0 / millis);
            } finally {
                ingestor.stop();
            }
        }
    }

    /** Triggers run {@code number} and waits for it to end; the first run warms the JIT and the producer up. */
    static Matcher run(QuarkusService ingestor, int number) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(ingestor.url() + "/ingestion/trigger"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        while (true) {
            Thread.sleep(200);
            String status = http.send(HttpRequest.newBuilder(URI.create(ingestor.url() + "/ingestion/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher run = RUN.matcher(status);
            if (status.contains("\"running\":false") && run.find() && Integer.parseInt(run.group(1)) == number) {
                return run;
            }
        }
    }

}
