package io.userpipeline.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The figures of one benchmark run, side by side with what this machine can do: a table on stdout, CSV, JSON and
 * a PNG chart.
 * <p>
 * Feed it, in any order except that a ceiling comes before the figures compared with it:
 * <pre>{@code
 * BenchmarkReport report = new BenchmarkReport("User pipeline benchmark, 1,000,000 events");
 * report.ceiling("Cassandra alone", cassandra.usersPerSecond(), "users/s");
 * report.detail(Section.CEILING, "Kafka record size, uncompressed", kafka.averageRecordBytes(), "bytes");
 * report.drainRate("Processor drain, both stores", eventsPerSecond, "events/s", "Cassandra alone");
 * report.detail(Section.DRAIN, "Processor peak RSS", peakRssMiB, "MiB");
 * report.steadyState(5_000, 4_987, 35, 120, 310, 2_400, false);
 * report.note("processor on JDK 21, -Xmx256m");
 * report.writeAll(Path.of("bench/results"));   // prints the table, writes latest.csv, latest.json, latest.png
 * }</pre>
 * <ul>
 * <li>{@link #ceiling}: a server alone; a bar in the chart's throughput panel.</li>
 * <li>{@link #drainRate}: the pipeline's rate draining a backlog; a bar beside the ceilings, and the ratio to
 * one named ceiling in the table. The ratio takes one event, one user and one record as the same unit.</li>
 * <li>{@link #steadyState}: one fixed input rate; its latencies are the chart's second panel, and the table shows
 * the achieved rate against the target.</li>
 * <li>{@link #detail}: any other figure (CPU, memory, a ceiling in rows); in the table, CSV and JSON only.</li>
 * <li>{@link #note}: a line of context (settings, JVMs) under the chart's title and in the JSON.</li>
 * </ul>
 */
public final class BenchmarkReport {

    public enum Section {
        CEILING("ceiling"), DRAIN("drain"), STEADY_STATE("steady state");

        private final String label;

        Section(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param comparedWith  the ceiling (or target) this figure is a fraction of, or null
     * @param comparedValue that ceiling's value, or null
     * @param throughput    whether the chart's throughput panel shows it
     */
    public record Figure(Section section, String name, double value, String unit, String comparedWith,
            Double comparedValue, boolean throughput) {

        /** This figure over the one it is compared with, if it is compared. */
        public Optional<Double> ratio() {
            return comparedValue == null ? Optional.empty() : Optional.of(value / comparedValue);
        }
    }

    /**
     * One fixed input rate held for a while.
     *
     * @param maxLag     the largest consumer lag seen, in records
     * @param lagGrowing whether the lag was still growing at the end: the pipeline did not keep up
     */
    public record SteadyStateRun(double targetRate, double achievedRate, double p50Millis, double p95Millis,
            double p99Millis, long maxLag, boolean lagGrowing) {
    }

    private final String title;
    private final Machine machine = Machine.current();
    private final List<Figure> figures = new ArrayList<>();
    private final List<SteadyStateRun> steadyStateRuns = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public BenchmarkReport(String title) {
        this.title = title;
    }

    /** A server alone, in records (users, events) per second. */
    public BenchmarkReport ceiling(String name, double perSecond, String unit) {
        figures.add(new Figure(Section.CEILING, name, perSecond, unit, null, null, true));
        return this;
    }

    /** The pipeline draining a backlog, compared with the ceiling added under {@code ceilingName}. */
    public BenchmarkReport drainRate(String name, double perSecond, String unit, String ceilingName) {
        Figure ceiling = figures.stream()
                .filter(figure -> figure.section() == Section.CEILING && figure.name().equals(ceilingName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No ceiling named '" + ceilingName + "' to compare '"
                        + name + "' with; add it first with ceiling(...). Ceilings: " + names(Section.CEILING)));
        figures.add(new Figure(Section.DRAIN, name, perSecond, unit, ceilingName, ceiling.value(), true));
        return this;
    }

    /** A figure for the table, CSV and JSON, not the chart. */
    public BenchmarkReport detail(Section section, String name, double value, String unit) {
        figures.add(new Figure(section, name, value, unit, null, null, false));
        return this;
    }

    /**
     * One fixed input rate: its latencies from an event's ingestion to its storage in both stores, and whether the
     * pipeline kept up.
     */
    public BenchmarkReport steadyState(double targetRate, double achievedRate, double p50Millis, double p95Millis,
            double p99Millis, long maxLag, boolean lagGrowing) {
        SteadyStateRun run = new SteadyStateRun(targetRate, achievedRate, p50Millis, p95Millis, p99Millis, maxLag,
                lagGrowing);
        steadyStateRuns.add(run);
        String at = "at " + rate(targetRate) + "/s: ";
        figures.add(new Figure(Section.STEADY_STATE, at + "achieved rate", achievedRate, "events/s",
                "target rate", targetRate, false));
        figures.add(new Figure(Section.STEADY_STATE, at + "latency p50", p50Millis, "ms", null, null, false));
        figures.add(new Figure(Section.STEADY_STATE, at + "latency p95", p95Millis, "ms", null, null, false));
        figures.add(new Figure(Section.STEADY_STATE, at + "latency p99", p99Millis, "ms", null, null, false));
        figures.add(new Figure(Section.STEADY_STATE, at + "max consumer lag, " + (lagGrowing ? "growing" : "not growing"),
                maxLag, "records", null, null, false));
        return this;
    }

    /** A line of context: settings, JVMs, anything a reader needs to interpret the figures. */
    public BenchmarkReport note(String line) {
        notes.add(line);
        return this;
    }

    public String title() {
        return title;
    }

    public Machine machine() {
        return machine;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public List<SteadyStateRun> steadyStateRuns() {
        return List.copyOf(steadyStateRuns);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** Prints the table, then writes {@code latest.csv}, {@code latest.json} and {@code latest.png} into {@code folder}. */
    public void writeAll(Path folder) {
        print(System.out);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the results folder " + folder, e);
        }
        writeCsv(folder.resolve("latest.csv"));
        writeJson(folder.resolve("latest.json"));
        drawChart(folder.resolve("latest.png"));
        System.out.println("Results in " + folder.toAbsolutePath().normalize() + ": latest.csv, latest.json, latest.png");
    }

    /** An aligned table: section, figure, value, unit, what it is compared with, and the ratio. */
    public void print(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "section", "figure", "value", "unit", "ceiling", "pipeline/ceiling" });
        for (Figure figure : figures) {
            rows.add(new String[] { figure.section().label(), figure.name(), number(figure.value()), figure.unit(),
                    figure.comparedWith() == null ? "" : figure.comparedWith() + " (" + number(figure.comparedValue()) + ")",
                    figure.ratio().map(ratio -> String.format(Locale.ROOT, "%.2f", ratio)).orElse("") });
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        out.println();
        out.println(title);
        out.println(machine.describe());
        notes.forEach(note -> out.println("  " + note));
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 2 || i == 5;
                String format = "%" + (numeric ? "" : "-") + widths[i] + "s";
                line.append(String.format(format, row[i])).append(i < row.length - 1 ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                out.println("-".repeat(line.toString().stripTrailing().length()));
            }
        }
        out.println();
    }

    /** One line per figure: section, figure, value, unit, ceiling, ceiling_value, ratio. */
    public void writeCsv(Path file) {
        StringBuilder csv = new StringBuilder("section,figure,value,unit,ceiling,ceiling_value,ratio\n");
        for (Figure figure : figures) {
            csv.append(String.join(",", csvField(figure.section().label()), csvField(figure.name()),
                    plain(figure.value()), csvField(figure.unit()),
                    csvField(figure.comparedWith() == null ? "" : figure.comparedWith()),
                    figure.comparedValue() == null ? "" : plain(figure.comparedValue()),
                    figure.ratio().map(BenchmarkReport::plain).orElse(""))).append('\n');
        }
        write(file, csv.toString());
    }

    /** The title, machine, notes, figures and steady-state runs. */
    public void writeJson(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        Map<String, Object> machineJson = new LinkedHashMap<>();
        machineJson.put("cores", machine.cores());
        machineJson.put("cpu", machine.cpuModel());
        machineJson.put("memory", machine.memory());
        machineJson.put("jdk", machine.jdk());
        machineJson.put("os", machine.os());
        machineJson.put("at", machine.at().toString());
        json.put("machine", machineJson);
        json.put("notes", notes);
        json.put("figures", figures.stream().map(figure -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("section", figure.section().label());
            entry.put("figure", figure.name());
            entry.put("value", figure.value());
            entry.put("unit", figure.unit());
            entry.put("ceiling", figure.comparedWith());
            entry.put("ceilingValue", figure.comparedValue());
            entry.put("ratio", figure.ratio().orElse(null));
            return entry;
        }).toList());
        json.put("steadyState", steadyStateRuns);
        try {
            write(file, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the results as JSON to " + file, e);
        }
    }

    /** Throughput bars (ceilings beside the drain) and steady-state latencies, as a PNG. */
    public void drawChart(Path file) {
        new ReportChart(this).writePng(file);
    }

    private String names(Section section) {
        return figures.stream().filter(figure -> figure.section() == section).map(Figure::name)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Thousands separated, with decimals only where a value is small enough for them to matter. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
