package io.userpipeline.ingestor.schedule;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How an ingestion run ended, as {@code GET /ingestion/status} and {@code GET /ingestion/runs} show it and the metric
 * {@code ingestion_runs_total} tags it ({@code outcome}); alerts match these wire names. A run still going on is not
 * among them: the run history shows it as {@value IngestionRun#RUNNING}.
 */
public enum RunOutcome {
    /** Every profile fetched was published. */
    SUCCEEDED("succeeded"),
    /** Some profiles were published, some not (unmappable, or not acknowledged by Kafka). */
    PARTLY_FAILED("partly-failed"),
    /** Profiles were fetched and none was published. */
    FAILED("failed"),
    /**
     * The source failed before the run had fetched all it asked for; what it had fetched was sent to Kafka (the
     * run's counts say how much Kafka acknowledged).
     */
    SOURCE_FAILED("source-failed"),
    /** Kafka could not be reached when the run began, so it fetched nothing. */
    KAFKA_UNREACHABLE("kafka-unreachable"),
    /**
     * The source answered, without failing, no profile at all: an empty {@code results} list, as randomuser.me answers
     * during an outage. Nothing was published.
     */
    EMPTY("empty");

    private final String wireName;

    RunOutcome(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
