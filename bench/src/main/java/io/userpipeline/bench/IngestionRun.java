package io.userpipeline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.userpipeline.servers.QuarkusService;

/** One ingestion run of the packaged ingestor, triggered over its REST API and timed by the ingestor itself. */
record IngestionRun(long durationMillis, long fetched, long published, long failed) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LAST_RUN = Pattern.compile(
            "\"lastRun\":\\{\"number\":(\\d+),.*?\"durationMillis\":(\\d+),\"fetched\":(\\d+),\"published\":(\\d+),\"failed\":(\\d+)");

    double publishedPerSecond() {
        return published * 1000.0 / durationMillis;
    }

    /** Starts a run now, as configured; runs are numbered from 1 since the ingestor started. */
    static void trigger(QuarkusService ingestor) throws IOException, InterruptedException {
        trigger(URI.create(ingestor.url() + "/ingestion/trigger"));
    }

    /** Starts a run now of {@code profiles}, at most {@code maxRate} per second. */
    static void trigger(QuarkusService ingestor, long profiles, int maxRate) throws IOException, InterruptedException {
        trigger(URI.create(ingestor.url() + "/ingestion/trigger?profiles=" + profiles + "&max-rate=" + maxRate));
    }

    private static void trigger(URI trigger) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(trigger).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("The ingestor refused to start a run (" + answer.statusCode() + "): " + answer.body());
        }
    }

    /** The run {@code number} once it has ended; empty while it goes on. */
    static Optional<IngestionRun> ended(QuarkusService ingestor, int number) throws IOException, InterruptedException {
        String status = HTTP.send(HttpRequest.newBuilder(URI.create(ingestor.url() + "/ingestion/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher run = LAST_RUN.matcher(status);
        if (status.contains("\"running\":false") && run.find() && Integer.parseInt(run.group(1)) == number) {
            return Optional.of(new IngestionRun(Long.parseLong(run.group(2)), Long.parseLong(run.group(3)),
                    Long.parseLong(run.group(4)), Long.parseLong(run.group(5))));
        }
        return Optional.empty();
    }

    /** Triggers run {@code number} and waits for its end. */
    static IngestionRun triggerAndAwait(QuarkusService ingestor, int number) throws IOException, InterruptedException {
        trigger(ingestor);
        while (true) {
            Thread.sleep(200);
            var run = ended(ingestor, number);
            if (run.isPresent()) {
                return run.get();
            }
        }
    }
}
