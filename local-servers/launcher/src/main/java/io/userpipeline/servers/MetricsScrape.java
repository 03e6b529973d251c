package io.userpipeline.servers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One scrape of a service's Prometheus metrics ({@code /q/metrics}, the text exposition format), read as Prometheus
 * reads it: the one reader of that text for the tests, the fault suite, the benchmark and {@code ./pipeline}.
 */
public final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One line of the exposition: a sample of a series. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private MetricsScrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Scrapes {@code serviceUrl}{@code /q/metrics} now.
     *
     * @throws IllegalStateException naming the URL when the service does not answer 200
     */
    public static MetricsScrape of(String serviceUrl) {
        String url = serviceUrl + "/q/metrics";
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + "; is the service up?");
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + url + ": " + e + "; is the service up?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + url, e);
        }
    }

    /**
     * Reads the text format: comments and blank lines skipped, label values unescaped, {@code +Inf}, {@code -Inf}
     * and {@code NaN} understood, timestamps ignored.
     *
     * @throws IllegalArgumentException naming the line that is not a sample
     */
    public static MetricsScrape parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.lines().map(String::strip).toList()) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new MetricsScrape(samples);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The names of every sample: a histogram gives its {@code _bucket}, {@code _count} and {@code _sum}. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name().equals(name));
    }

    /** The sum over every series of {@code name}; 0 when there is none. */
    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** The sum over the series of {@code name} that carry all of {@code labels}; 0 when there is none. */
    public double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> matches(sample, name, labels)).mapToDouble(Sample::value).sum();
    }

    /**
     * The value of {@code name}'s series that carry all of {@code labels}, summed.
     *
     * @throws IllegalArgumentException when no series matches, naming what was looked for
     */
    public double value(String name, Map<String, String> labels) {
        if (samples.stream().noneMatch(sample -> matches(sample, name, labels))) {
            throw new IllegalArgumentException("No series " + name + labels + " in the scrape; it has "
                    + (has(name) ? "only " + name + " with other labels" : "no " + name));
        }
        return sum(name, labels);
    }

    /** A histogram's cumulative bucket counts by upper bound ({@code le}) over all its series, the last +Inf. */
    public NavigableMap<Double, Double> buckets(String histogram) {
        NavigableMap<Double, Double> counts = new TreeMap<>();
        for (Sample sample : samples) {
            String bound = sample.labels().get("le");
            if (sample.name().equals(histogram + "_bucket") && bound != null) {
                counts.merge(number(bound), sample.value(), Double::sum);
            }
        }
        return counts;
    }

    private static boolean matches(Sample sample, String name, Map<String, String> labels) {
        return sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet());
    }

    private static Sample sample(String line) {
        int position = 0;
        while (position < line.length() && line.charAt(position) != '{'
                && !Character.isWhitespace(line.charAt(position))) {
            position++;
        }
        String name = line.substring(0, position);
        Map<String, String> labels = new LinkedHashMap<>();
        if (position < line.length() && line.charAt(position) == '{') {
            position = labels(line, position + 1, labels);
        }
        String[] valueAndTimestamp = line.substring(position).strip().split("\\s+");
        if (name.isEmpty() || valueAndTimestamp[0].isEmpty()) {
            throw new IllegalArgumentException("Not a Prometheus sample: " + line);
        }
        try {
            return new Sample(name, labels, number(valueAndTimestamp[0]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a Prometheus sample (the value is no number): " + line, e);
        }
    }

    /** Reads {@code key="value",...}} from {@code position} into {@code labels}; returns the position after '}'. */
    private static int labels(String line, int position, Map<String, String> labels) {
        while (position < line.length() && line.charAt(position) != '}') {
            int equals = line.indexOf("=\"", position);
            if (equals < 0) {
                throw new IllegalArgumentException("Not a Prometheus sample (a label without a quoted value): " + line);
            }
            String key = line.substring(position, equals).strip();
            StringBuilder value = new StringBuilder();
            int at = equals + 2;
            for (; at < line.length() && line.charAt(at) != '"'; at++) {
                char c = line.charAt(at);
                if (c == '\\' && at + 1 < line.length()) {
                    char escaped = line.charAt(++at);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            if (at >= line.length()) {
                throw new IllegalArgumentException("Not a Prometheus sample (an unterminated label value): " + line);
            }
            labels.put(key, value.toString());
            position = at + 1;
            if (position < line.length() && line.charAt(position) == ',') {
                position++;
            }
        }
        if (position >= line.length()) {
            throw new IllegalArgumentException("Not a Prometheus sample (labels without '}'): " + line);
        }
        return position + 1;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
