package io.userpipeline.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.userpipeline.servers.QuarkusService;

/** A service's Prometheus metrics (/q/metrics), read the way Prometheus would, one scrape at a time. */
final class ServiceMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String url;

    ServiceMetrics(QuarkusService service) {
        this.url = service.url() + "/q/metrics";
    }

    Scrape scrape() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + "; is the service up?");
            }
            return new Scrape(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + url + ": " + e.getMessage() + "; is the service up?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + url, e);
        }
    }

    record Scrape(String text) {

        /** The processor's users in both stores: it counts a batch once both stores have it. */
        long usersInBothStores() {
            return (long) Math.min(value("processor_records_stored_total", "store=\"cassandra\""),
                    value("processor_records_stored_total", "store=\"postgresql\""));
        }

        /** The sum of every series of a counter or gauge, e.g. {@code ingestion_records_published_total}. */
        double sum(String metric) {
            Matcher sample = Pattern.compile("^" + Pattern.quote(metric) + "(?:\\{[^}]*})? (\\S+)$", Pattern.MULTILINE)
                    .matcher(text);
            double sum = 0;
            while (sample.find()) {
                sum += Double.parseDouble(sample.group(1));
            }
            return sum;
        }

        /** One series of a counter or gauge, picked by a label such as {@code store="postgresql"}; 0 if absent. */
        double value(String metric, String label) {
            Matcher sample = Pattern.compile("^" + Pattern.quote(metric) + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$",
                    Pattern.MULTILINE).matcher(text);
            return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
        }

        /** A histogram's cumulative bucket counts by upper bound ({@code le}), in order, the last one +Inf. */
        Map<Double, Double> buckets(String histogram) {
            Matcher bucket = Pattern.compile("^" + Pattern.quote(histogram) + "_bucket\\{[^}]*le=\"([^\"]+)\"[^}]*} (\\S+)$",
                    Pattern.MULTILINE).matcher(text);
            Map<Double, Double> counts = new TreeMap<>();
            while (bucket.find()) {
                counts.put(bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1)),
                        Double.parseDouble(bucket.group(2)));
            }
            return counts;
        }
    }
}
