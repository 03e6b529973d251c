package io.userpipeline.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.userpipeline.servers.QuarkusService;
import io.userpipeline.servers.ServerStartException;

/**
 * Runs a service with one setting wrong and finds out how it copes: it may refuse to start, or start and report
 * not ready; either way its log must say what is wrong in a log message of its own, not only inside a stack trace.
 */
final class BadConfiguration {

    /** A log record's first line in the services' text format: time, level, category. Stack frames do not match. */
    private static final Pattern LOG_RECORD = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} (ERROR|WARN) .*");
    private static final Pattern EXIT_CODE = Pattern.compile("exited with code (\\d+)");
    /** Long enough for a service to start on a busy machine; a service still not up by then is retrying. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(25);

    private BadConfiguration() {
    }

    /**
     * @param mustSay text (any case) that a WARN or ERROR message line of the service's log must contain
     */
    static FaultReport.ConfigurationRow check(Scenario scenario, String application, String misconfiguration,
            Map<String, String> configuration, String mustSay) {
        QuarkusService service = scenario.service(application, configuration, QuarkusService.StartedWhen.LIVE,
                START_TIMEOUT);
        String behaviour;
        try {
            service.start();
            Http.Answer readiness = awaitNotReady(service);
            behaviour = "starts; readiness " + readiness.status() + " " + readiness.body().replaceAll("\\s+", " ");
        } catch (ServerStartException notStarted) {
            Matcher exit = EXIT_CODE.matcher(notStarted.getMessage());
            behaviour = exit.find() ? "refuses to start: exits with code " + exit.group(1)
                    : "keeps retrying at start-up: HTTP not up after " + START_TIMEOUT.toSeconds() + " s";
        }
        try {
            Optional<String> said = awaitMessageLine(service, mustSay);
            String reported = said.orElseGet(() -> "NOT CLEAR: only inside a stack trace or not at all: "
                    + logLines(service).stream().filter(line -> line.toLowerCase(Locale.ROOT)
                            .contains(mustSay.toLowerCase(Locale.ROOT))).findFirst().orElse("(nothing)"));
            return new FaultReport.ConfigurationRow(application, misconfiguration, abbreviate(behaviour, 300),
                    abbreviate(reported, 400), said.isPresent());
        } finally {
            service.stop();
        }
    }

    private static Http.Answer awaitNotReady(QuarkusService service) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Optional<Http.Answer> readiness = Optional.empty();
        while (System.nanoTime() < deadline) {
            // The processor's readiness covers only its query API (Cassandra); Kafka is its pipeline's.
            readiness = Http.get(service.url() + (service.name().equals("processor") ? ServiceWatch.PROCESSOR_PIPELINE
                    : ServiceWatch.READINESS));
            if (readiness.isPresent() && readiness.get().status() == 503) {
                return readiness.get();
            }
            IngestionStream.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("Misconfigured " + service.name() + " started but did not report not-ready within 60 s;"
                + " readiness: " + readiness);
    }

    /** The first WARN or ERROR message line saying {@code mustSay}; a service that still runs gets 30 s to say it. */
    private static Optional<String> awaitMessageLine(QuarkusService service, String mustSay) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String wanted = mustSay.toLowerCase(Locale.ROOT);
        while (true) {
            Optional<String> said = logLines(service).stream()
                    .filter(line -> LOG_RECORD.matcher(line).matches() && line.toLowerCase(Locale.ROOT).contains(wanted))
                    .findFirst();
            if (said.isPresent() || !service.isRunning() || System.nanoTime() > deadline) {
                return said;
            }
            IngestionStream.sleep(Duration.ofMillis(500));
        }
    }

    private static List<String> logLines(QuarkusService service) {
        try {
            return Files.readAllLines(service.logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String abbreviate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length) + "…";
    }
}
