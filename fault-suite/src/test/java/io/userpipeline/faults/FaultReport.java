package io.userpipeline.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The suite's report: one row per scenario with what was sent, stored, dead-lettered, lost and duplicated, and one
 * row per bad configuration with what the service said. Printed and written (Markdown and CSV) after every
 * scenario, so that a scenario that fails still leaves the rows before it.
 */
final class FaultReport {

    record ScenarioRow(String scenario, String fault, int sent, int users, int stored, int deadLettered, int lost,
            int duplicated, int eventsResent, int deadLettersRedelivered, double seconds, String observations) {
    }

    /** @param clear whether a log message of the service's own (not only a stack trace) said what is wrong */
    record ConfigurationRow(String service, String misconfiguration, String behaviour, String whatItSaid, boolean clear) {
    }

    private final SuiteSize size;
    private final Path directory;
    private final List<ScenarioRow> scenarios = new ArrayList<>();
    private final List<ConfigurationRow> configurations = new ArrayList<>();

    FaultReport(SuiteSize size, Path directory) {
        this.size = size;
        this.directory = directory;
    }

    synchronized void add(DeliveryAudit.Findings findings, String scenario, String fault, double seconds,
            String observations) {
        ScenarioRow row = new ScenarioRow(scenario, fault, findings.sent(), findings.users(), findings.stored(),
                findings.deadLettered(), findings.lost(), findings.duplicated(), findings.eventsResent(),
                findings.deadLettersRedelivered(),
                seconds, observations);
        scenarios.add(row);
        System.out.printf("%n[fault-suite] %s: sent %,d, users %,d, stored %,d, dead-lettered %,d, lost %d, duplicated %d,"
                + " events re-sent %d, dead letters redelivered %d, %.0f s%n", scenario, row.sent(), row.users(),
                row.stored(), row.deadLettered(), row.lost(), row.duplicated(), row.eventsResent(),
                row.deadLettersRedelivered(), seconds);
        write();
    }

    synchronized void add(ConfigurationRow row) {
        configurations.add(row);
        System.out.printf("%n[fault-suite] %s with %s: %s; %s%n", row.service(), row.misconfiguration(), row.behaviour(),
                row.whatItSaid());
        write();
    }

    /** The whole report on the console, once every scenario has run. */
    synchronized void print() {
        System.out.println("\n" + markdown());
    }

    private void write() {
        String markdown = markdown();
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("fault-report.md"), markdown);
            Files.writeString(directory.resolve("fault-report.csv"), csv());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the fault report in " + directory, e);
        }
    }

    private String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Fault-tolerance report (").append(size.name()).append(" suite, ").append(Instant.now()).append(")\n\n");
        out.append("| scenario | fault | events sent | users | stored in both | dead-lettered | lost | duplicated"
                + " | events re-sent | dead letters redelivered | duration | observed |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (ScenarioRow row : scenarios) {
            out.append(String.format("| %s | %s | %,d | %,d | %,d | %,d | %d | %d | %d | %d | %.0f s | %s |%n",
                    row.scenario(), row.fault(), row.sent(), row.users(), row.stored(), row.deadLettered(), row.lost(),
                    row.duplicated(), row.eventsResent(), row.deadLettersRedelivered(), row.seconds(), row.observations()));
        }
        if (!configurations.isEmpty()) {
            out.append("\n| service | misconfiguration | behaviour | said clearly | what it said |\n"
                    + "| --- | --- | --- | --- | --- |\n");
            for (ConfigurationRow row : configurations) {
                out.append("| ").append(row.service()).append(" | ").append(row.misconfiguration()).append(" | ")
                        .append(row.behaviour().replace("|", "\\|")).append(" | ").append(row.clear() ? "yes" : "NO")
                        .append(" | ").append(row.whatItSaid().replace("|", "\\|")).append(" |\n");
            }
        }
        out.append("\nUsers: distinct user ids among the valid events; each must be in Cassandra and PostgreSQL with its"
                + " newest event's content. Lost: a user missing or stale in a store, or a bad record missing from the"
                + " dead-letter topic. Duplicated: a stored user no valid event had, one event id for two different"
                + " events, or a profile published under a second id; a user the country index lists wrongly or misses is a"
                + " problem found. Events re-sent:"
                + " extra copies of an event, same id and content, that the ingestor sent again when Kafka had not"
                + " acknowledged them (the stores hold each once). Dead letters redelivered:"
                + " extra copies of a dead letter for the same source offset after a crash (the dead-letter topic is"
                + " at-least-once; consumers deduplicate by dlq-source-topic/partition/offset).\n");
        return out.toString();
    }

    private String csv() {
        StringBuilder out = new StringBuilder("scenario,fault,events_sent,users,stored,dead_lettered,lost,duplicated,"
                + "events_resent,dead_letters_redelivered,seconds,observed\n");
        for (ScenarioRow row : scenarios) {
            out.append(String.join(",", quoted(row.scenario()), quoted(row.fault()), Integer.toString(row.sent()),
                    Integer.toString(row.users()), Integer.toString(row.stored()), Integer.toString(row.deadLettered()),
                    Integer.toString(row.lost()), Integer.toString(row.duplicated()), Integer.toString(row.eventsResent()),
                    Integer.toString(row.deadLettersRedelivered()), String.format("%.1f", row.seconds()),
                    quoted(row.observations()))).append('\n');
        }
        return out.toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
