package io.userpipeline.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.userpipeline.bench.report.BenchmarkReport.Figure;
import io.userpipeline.bench.report.BenchmarkReport.Section;
import io.userpipeline.bench.report.BenchmarkReport.SteadyStateRun;

/**
 * The report as a picture, drawn with plain Java2D (no charting library, no display: headless): (a) the
 * throughput bars, each server alone beside the pipeline's drain; (b) the steady-state latencies per input rate.
 */
final class ReportChart {

    static {
        // Before the first font or image: a benchmark runs on servers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 1400;
    private static final int THROUGHPUT_PANEL_HEIGHT = 500;
    private static final int LATENCY_PANEL_HEIGHT = 500;
    private static final int FOOTER_HEIGHT = 70;
    private static final int NOTE_LINE_HEIGHT = 18;
    private static final int LEFT = 60;
    private static final int RIGHT = WIDTH - 60;

    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x66, 0x66, 0x66);
    private static final Color GRID = new Color(0xE2, 0xE2, 0xE2);
    private static final Color CEILING = new Color(0x4C, 0x72, 0xB0);
    private static final Color PIPELINE = new Color(0xDD, 0x84, 0x52);
    private static final Color P50 = new Color(0x55, 0xA8, 0x68);
    private static final Color P95 = new Color(0xE1, 0xA1, 0x2B);
    private static final Color P99 = new Color(0xC4, 0x4E, 0x52);
    private static final Color KEEPS_UP = new Color(0x2E, 0x7D, 0x32);
    private static final Color FALLS_BEHIND = new Color(0xC6, 0x28, 0x28);

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 26);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 19);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font LABEL_BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private final BenchmarkReport report;

    ReportChart(BenchmarkReport report) {
        this.report = report;
    }

    void writePng(Path file) {
        boolean steadyState = !report.steadyStateRuns().isEmpty();
        int headerHeight = 90 + NOTE_LINE_HEIGHT * noteLines();
        int height = headerHeight + THROUGHPUT_PANEL_HEIGHT + (steadyState ? LATENCY_PANEL_HEIGHT : 0) + FOOTER_HEIGHT;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            drawHeader(g);
            drawThroughput(g, headerHeight, headerHeight + THROUGHPUT_PANEL_HEIGHT);
            if (steadyState) {
                drawLatency(g, headerHeight + THROUGHPUT_PANEL_HEIGHT + 30, height - FOOTER_HEIGHT);
            }
            drawFooter(g, height);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("This JVM has no PNG writer (javax.imageio); cannot write " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chart to " + file, e);
        }
    }

    /** How many lines the notes take once wrapped. */
    private int noteLines() {
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            scratch.setFont(SMALL);
            return report.notes().stream().mapToInt(note -> wrap(scratch, note, RIGHT - LEFT).size()).sum();
        } finally {
            scratch.dispose();
        }
    }

    private void drawHeader(Graphics2D g) {
        g.setColor(TEXT);
        g.setFont(TITLE);
        g.drawString(report.title(), LEFT, 45);
        g.setFont(SMALL);
        g.setColor(MUTED);
        int y = 70;
        for (String note : report.notes()) {
            for (String line : wrap(g, note, RIGHT - LEFT)) {
                g.drawString(line, LEFT, y);
                y += NOTE_LINE_HEIGHT;
            }
        }
    }

    /** Panel (a): one horizontal bar per ceiling and drain rate, on one scale. */
    private void drawThroughput(Graphics2D g, int top, int bottom) {
        List<Figure> bars = besideTheirCeilings(report.figures().stream().filter(Figure::throughput).toList());
        boolean pipeline = bars.stream().anyMatch(bar -> bar.section() == Section.DRAIN);
        drawPanelTitle(g, "(a) Throughput: each server alone" + (pipeline ? ", and the pipeline draining a backlog" : ""),
                top);
        if (bars.isEmpty()) {
            drawEmpty(g, "No throughput figures in this run.", top + 60);
            return;
        }
        int labelWidth = 300;
        int valueWidth = 330;
        int barLeft = LEFT + labelWidth;
        int barRight = RIGHT - valueWidth;
        int axisY = bottom - 60;
        int areaTop = top + 40;
        double max = bars.stream().mapToDouble(Figure::value).max().orElse(1);
        double step = niceStep(max / 5);
        double scaleMax = Math.ceil(max / step) * step;

        g.setFont(SMALL);
        for (double tick = 0; tick <= scaleMax + step / 2; tick += step) {
            int x = barLeft + (int) Math.round(tick / scaleMax * (barRight - barLeft));
            g.setColor(GRID);
            g.drawLine(x, areaTop, x, axisY);
            g.setColor(MUTED);
            drawCentered(g, BenchmarkReport.rate(tick), x, axisY + 18);
        }
        g.setColor(TEXT);
        g.setFont(LABEL);
        drawCentered(g, "records per second (one record = one user event = one user)", (barLeft + barRight) / 2,
                axisY + 40);

        int slot = (axisY - areaTop - 10) / bars.size();
        int barHeight = Math.min(40, (int) (slot * 0.65));
        for (int i = 0; i < bars.size(); i++) {
            Figure bar = bars.get(i);
            int y = areaTop + 10 + i * slot + (slot - barHeight) / 2;
            int length = (int) Math.round(bar.value() / scaleMax * (barRight - barLeft));
            boolean drain = bar.section() == Section.DRAIN;
            g.setColor(drain ? PIPELINE : CEILING);
            g.fillRect(barLeft, y, Math.max(1, length), barHeight);

            FontMetrics metrics = g.getFontMetrics(LABEL_BOLD);
            int textY = y + (barHeight + metrics.getAscent() - metrics.getDescent()) / 2;
            g.setFont(drain ? LABEL_BOLD : LABEL);
            g.setColor(TEXT);
            String name = fit(g, bar.name(), labelWidth - 15);
            g.drawString(name, barLeft - 12 - g.getFontMetrics().stringWidth(name), textY);
            String value = BenchmarkReport.number(bar.value()) + " " + bar.unit()
                    + bar.ratio().map(ratio -> String.format(Locale.ROOT, "  =  %.2f × %s", ratio, bar.comparedWith()))
                            .orElse("");
            g.setFont(LABEL_BOLD);
            int valueLeft = barLeft + length + 8;
            if (bar.comparedValue() != null) {
                // A tick at the ceiling's value shows the gap to it on the bar itself.
                int ceilingX = barLeft + (int) Math.round(bar.comparedValue() / scaleMax * (barRight - barLeft));
                g.setColor(CEILING);
                g.setStroke(new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 4, 3 }, 0));
                g.drawRect(barLeft, y, ceilingX - barLeft, barHeight);
                g.setStroke(new BasicStroke(1));
                g.setColor(TEXT);
                valueLeft = Math.max(valueLeft, ceilingX + 8);
            }
            g.drawString(fit(g, value, barRight + valueWidth - valueLeft - 20), valueLeft, textY);
        }
        g.setColor(MUTED);
        g.drawLine(barLeft, areaTop, barLeft, axisY);
        g.drawLine(barLeft, axisY, barRight, axisY);
        if (pipeline) {
            drawLegend(g, RIGHT, top, List.of("server alone (ceiling)", "pipeline (dashed: its ceiling)"),
                    List.of(CEILING, PIPELINE));
        }
    }

    /** The ceilings in their order, each pipeline bar right after the ceiling it is compared with. */
    private static List<Figure> besideTheirCeilings(List<Figure> bars) {
        List<Figure> ordered = new ArrayList<>(bars.stream().filter(bar -> bar.comparedWith() == null).toList());
        for (Figure compared : bars.stream().filter(bar -> bar.comparedWith() != null).toList()) {
            int ceiling = -1;
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).comparedWith() == null && ordered.get(i).name().equals(compared.comparedWith())) {
                    ceiling = i;
                }
            }
            int after = ceiling + 1;
            while (after < ordered.size() && ordered.get(after).comparedWith() != null) {
                after++;
            }
            ordered.add(ceiling < 0 ? ordered.size() : after, compared);
        }
        return ordered;
    }

    /** Panel (b): for each input rate, p50, p95 and p99 latency bars, with the achieved rate and lag below. */
    private void drawLatency(Graphics2D g, int top, int bottom) {
        drawPanelTitle(g, "(b) Steady state: event-to-stored latency at fixed input rates", top);
        List<SteadyStateRun> runs = report.steadyStateRuns();
        int plotLeft = LEFT + 90;
        int plotRight = RIGHT;
        int plotTop = top + 50;
        int axisY = bottom - 80;
        LatencyScale scale = LatencyScale.of(runs, plotTop, axisY);

        g.setFont(SMALL);
        for (double tick : scale.ticks()) {
            int y = scale.y(tick);
            g.setColor(GRID);
            g.drawLine(plotLeft, y, plotRight, y);
            g.setColor(MUTED);
            String label = BenchmarkReport.number(tick);
            g.drawString(label, plotLeft - 10 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        g.setColor(TEXT);
        g.setFont(LABEL);
        AffineTransform unrotated = g.getTransform();
        g.rotate(-Math.PI / 2);
        drawCentered(g, "event-to-stored latency, ms" + (scale.logarithmic() ? " (log scale)" : ""),
                -(plotTop + axisY) / 2, LEFT + 5);
        g.setTransform(unrotated);

        int group = (plotRight - plotLeft) / runs.size();
        int barWidth = Math.min(70, group / 5);
        List<Color> colours = List.of(P50, P95, P99);
        for (int i = 0; i < runs.size(); i++) {
            SteadyStateRun run = runs.get(i);
            int centre = plotLeft + i * group + group / 2;
            double[] latencies = { run.p50Millis(), run.p95Millis(), run.p99Millis() };
            for (int p = 0; p < latencies.length; p++) {
                int x = centre - 3 * barWidth / 2 + p * barWidth;
                int y = scale.y(latencies[p]);
                g.setColor(colours.get(p));
                g.fillRect(x + 3, y, barWidth - 6, axisY - y);
                g.setColor(TEXT);
                g.setFont(SMALL);
                drawCentered(g, BenchmarkReport.number(latencies[p]), x + barWidth / 2, y - 6);
            }
            g.setFont(LABEL_BOLD);
            g.setColor(TEXT);
            drawCentered(g, "target " + BenchmarkReport.rate(run.targetRate()) + "/s", centre, axisY + 22);
            g.setFont(LABEL);
            drawCentered(g, "achieved " + BenchmarkReport.rate(run.achievedRate()) + "/s", centre, axisY + 42);
            g.setColor(run.lagGrowing() ? FALLS_BEHIND : KEEPS_UP);
            drawCentered(g, (run.lagGrowing() ? "lag growing" : "keeps up") + ", max lag "
                    + BenchmarkReport.rate(run.maxLag()), centre, axisY + 62);
        }
        g.setColor(MUTED);
        g.drawLine(plotLeft, plotTop, plotLeft, axisY);
        g.drawLine(plotLeft, axisY, plotRight, axisY);
        drawLegend(g, RIGHT, top, List.of("p50", "p95", "p99"), colours);
    }

    private void drawFooter(Graphics2D g, int height) {
        g.setFont(SMALL);
        g.setColor(MUTED);
        g.drawLine(LEFT, height - 40, RIGHT, height - 40);
        g.drawString("Machine: " + report.machine().describe(), LEFT, height - 18);
    }

    private static void drawPanelTitle(Graphics2D g, String title, int y) {
        g.setFont(PANEL_TITLE);
        g.setColor(TEXT);
        g.drawString(title, LEFT, y + 20);
    }

    private static void drawEmpty(Graphics2D g, String message, int y) {
        g.setFont(LABEL);
        g.setColor(MUTED);
        g.drawString(message, LEFT + 20, y);
    }

    /** Coloured squares with their labels, right-aligned at {@code right}. */
    private static void drawLegend(Graphics2D g, int right, int top, List<String> labels, List<Color> colours) {
        g.setFont(SMALL);
        FontMetrics metrics = g.getFontMetrics();
        int x = right;
        for (int i = labels.size() - 1; i >= 0; i--) {
            x -= metrics.stringWidth(labels.get(i));
            g.setColor(TEXT);
            g.drawString(labels.get(i), x, top + 18);
            x -= 20;
            g.setColor(colours.get(i));
            g.fillRect(x, top + 6, 14, 14);
            x -= 22;
        }
    }

    private static void drawCentered(Graphics2D g, String text, int centreX, int baselineY) {
        g.drawString(text, centreX - g.getFontMetrics().stringWidth(text) / 2, baselineY);
    }

    /** The text in lines no wider than {@code width}, broken between words. */
    private static List<String> wrap(Graphics2D g, String text, int width) {
        FontMetrics metrics = g.getFontMetrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && metrics.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** The text, cut with an ellipsis if it is wider than {@code width}. */
    private static String fit(Graphics2D g, String text, int width) {
        FontMetrics metrics = g.getFontMetrics();
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
    }

    /**
     * The latency axis: linear, unless the latencies span more than two orders of magnitude (a rate the pipeline
     * cannot keep up with has latencies of seconds beside milliseconds), when bars on a linear scale would hide
     * the small ones.
     */
    private record LatencyScale(boolean logarithmic, double min, double max, int top, int bottom) {

        static LatencyScale of(List<SteadyStateRun> runs, int top, int bottom) {
            double smallest = runs.stream().mapToDouble(SteadyStateRun::p50Millis).filter(v -> v > 0).min().orElse(1);
            double largest = Math.max(1, runs.stream().mapToDouble(SteadyStateRun::p99Millis).max().orElse(1));
            if (largest / smallest > 100) {
                return new LatencyScale(true, Math.pow(10, Math.floor(Math.log10(smallest))),
                        Math.pow(10, Math.ceil(Math.log10(largest * 1.5))), top, bottom);
            }
            double step = niceStep(largest * 1.1 / 5);
            return new LatencyScale(false, 0, Math.ceil(largest * 1.1 / step) * step, top, bottom);
        }

        int y(double value) {
            double fraction = logarithmic
                    ? (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : value / max;
            return bottom - (int) Math.round(fraction * (bottom - top));
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (logarithmic) {
                for (double tick = min; tick <= max * 1.001; tick *= 10) {
                    ticks.add(tick);
                }
            } else {
                double step = niceStep(max / 5);
                for (double tick = 0; tick <= max + step / 2; tick += step) {
                    ticks.add(tick);
                }
            }
            return ticks;
        }
    }
}
