package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The README's side-by-side figures are those of the last published run of {@code bench/side-by-side}
 * ({@code bench/results/side-by-side.md}), line for line, and its end-to-end table shows the headline figures of the
 * last published {@code bench/run} ({@code bench/results/latest.json}): a new run's figures cannot be left out of the
 * README, nor the README's be edited by hand.
 */
class PerformanceFiguresTest {

    private static final Path SIDE_BY_SIDE = Repo.ROOT.resolve("bench/results/side-by-side.md");
    private static final Path LATEST = Repo.ROOT.resolve("bench/results/latest.json");
    /** Where the README's end-to-end table shows a figure: the row whose first cell starts so, and how it is written. */
    private record Shown(String row, String written) {
    }

    /** The figures of latest.json the README's end-to-end table shows, each as it is written there (%s: rounded). */
    private static final Map<String, Shown> HEADLINE_FIGURES = Map.ofEntries(
            Map.entry("Cassandra alone", new Shown("Cassandra alone", "%s users/s")),
            Map.entry("PostgreSQL alone", new Shown("PostgreSQL alone", "%s users/s")),
            Map.entry("Kafka produce alone", new Shown("Kafka produce / consume alone", "%s / ")),
            Map.entry("Kafka consume alone", new Shown("Kafka produce / consume alone", " / %s records/s")),
            Map.entry("Ingestor publish (generator to Kafka)", new Shown("ingestor publishes", "%s events/s")),
            Map.entry("Processor drain into both stores", new Shown("processor drains", "**%s events/s**")),
            Map.entry("Processor peak RSS", new Shown("processor peak RSS", "%s MiB")),
            Map.entry("at 1,000/s: latency p99", new Shown("1,000 events/s", "p99 %s ms")),
            Map.entry("at 5,000/s: achieved rate", new Shown("5,000 events/s", "%s/s stored")),
            Map.entry("at 5,000/s: latency p50", new Shown("5,000 events/s", "p50 %s ms")),
            Map.entry("at 5,000/s: latency p95", new Shown("5,000 events/s", "p95 %s ms")),
            Map.entry("at 5,000/s: latency p99", new Shown("5,000 events/s", "p99 %s ms")),
            Map.entry("at 10,000/s: achieved rate", new Shown("10,000 events/s", "%s events/s stored")));

    @Test
    void theReadmeShowsTheLastSideBySideRunAsItWasWritten() throws IOException {
        String performance = ConfigurationReferenceTest.section(Files.readString(ConfigurationReferenceTest.README),
                "Performance");
        List<String> missing = Files.readAllLines(SIDE_BY_SIDE).stream()
                .filter(line -> !line.isBlank())
                .filter(line -> !performance.contains(line))
                .toList();
        assertEquals(List.of(), missing, "lines of " + Repo.ROOT.relativize(SIDE_BY_SIDE)
                + " that README.md's Performance section does not show as they are: paste the file's content there");
    }

    @Test
    void theReadmeShowsTheLastEndToEndRunsHeadlineFigures() throws IOException {
        String performance = ConfigurationReferenceTest.section(Files.readString(ConfigurationReferenceTest.README),
                "Performance");
        int endToEnd = performance.indexOf("### The pipeline end to end");
        if (endToEnd < 0) {
            throw new AssertionError("README.md's Performance section has no '### The pipeline end to end'");
        }
        List<String> tableRows = performance.substring(endToEnd).lines().filter(line -> line.startsWith("| ")).toList();
        Map<String, Double> figures = new HashMap<>();
        for (JsonNode figure : JsonMapper.builder().build().readTree(LATEST.toFile()).path("figures")) {
            if (figures.put(figure.path("figure").asText(), figure.path("value").asDouble()) != null) {
                throw new AssertionError(Repo.ROOT.relativize(LATEST) + " names '" + figure.path("figure").asText()
                        + "' twice");
            }
        }
        List<String> missing = HEADLINE_FIGURES.entrySet().stream()
                .map(figure -> {
                    String written = figure.getValue().written().formatted(rounded(figures, figure.getKey()));
                    boolean shown = tableRows.stream()
                            .filter(row -> firstCell(row).startsWith(figure.getValue().row()))
                            .anyMatch(row -> row.contains(written));
                    return shown ? null : "'" + written + "' in the row '" + figure.getValue().row() + "'";
                })
                .filter(Objects::nonNull)
                .sorted()
                .toList();
        assertEquals(List.of(), missing, "figures of " + Repo.ROOT.relativize(LATEST) + " as README.md's table under"
                + " 'The pipeline end to end' should show them: put the last bench/run's figures in it");
    }

    private static String firstCell(String tableRow) {
        return tableRow.substring(1, tableRow.indexOf('|', 1)).replace("*", "").strip();
    }

    private static String rounded(Map<String, Double> figures, String figure) {
        Double value = figures.get(figure);
        if (value == null) {
            throw new AssertionError(Repo.ROOT.relativize(LATEST) + " has no figure '" + figure + "'");
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
