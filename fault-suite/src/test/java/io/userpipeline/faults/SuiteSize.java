package io.userpipeline.faults;

import java.time.Duration;
import java.util.Locale;

/**
 * How big each scenario is. {@code short} runs in every {@code ./mvnw verify}: every scenario, fewer events and
 * shorter outages. {@code full} has the numbers: 200,000+ events through three processor kills, 100,000+
 * through three processors scaling in one group, and 30 s store outages ({@code -Dfaults=full}).
 *
 * @param killEvents        events streamed while the processor is killed three times
 * @param scaleOutEvents    events (2 to 4 per user) streamed while processors join, leave and die in one group
 * @param scaleOutStream    how long those events take to stream, unless a processor is slow to start or stop
 * @param outageEvents      events streamed across the store outages, and across the Kafka restart
 * @param outage            how long Cassandra, then PostgreSQL, then Kafka stays down
 * @param ingestorBatch     profiles per ingestor run in the ingestor-kill scenario: large enough to kill it mid-run
 * @param runEvents         profiles per ingestor run while streaming
 * @param runPause          the pause between two ingestor runs while streaming through processor kills
 * @param hostileValidCopies how many times the hostile-looking valid events are produced (each copy a new event)
 */
record SuiteSize(String name, int killEvents, int scaleOutEvents, Duration scaleOutStream, int outageEvents,
        Duration outage, int ingestorBatch, int runEvents, Duration runPause, int hostileValidCopies) {

    static final SuiteSize SHORT = new SuiteSize("short", 12_000, 20_000, Duration.ofSeconds(25), 8_000,
            Duration.ofSeconds(8), 10_000, 2_000, Duration.ofSeconds(1), 1);
    static final SuiteSize FULL = new SuiteSize("full", 210_000, 100_000, Duration.ofSeconds(90), 60_000,
            Duration.ofSeconds(30), 100_000, 10_000, Duration.ofSeconds(1), 5);

    /** The pause between runs that spreads the outage scenarios' events over three outages' time. */
    Duration outageRunPause() {
        return outage.multipliedBy(3).dividedBy(Math.max(1, outageEvents / runEvents));
    }

    static SuiteSize fromSystemProperty() {
        String wanted = System.getProperty("faults", "short").trim().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "short" -> SHORT;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("-Dfaults=" + wanted + " is not a suite size; use short or full");
        };
    }
}
