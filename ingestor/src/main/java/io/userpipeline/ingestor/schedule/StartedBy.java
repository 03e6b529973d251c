package io.userpipeline.ingestor.schedule;

import com.fasterxml.jackson.annotation.JsonValue;

/** What started a run, by its wire name in {@code GET /ingestion/runs}. */
public enum StartedBy {
    /** The schedule ({@code ingestion.interval} or {@code ingestion.cron}). */
    SCHEDULE("schedule"),
    /** An operator's {@code POST /ingestion/trigger}. */
    OPERATOR("operator");

    private final String wireName;

    StartedBy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
