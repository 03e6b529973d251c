package io.userpipeline.processor.deadletter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A record's place in Kafka, written {@code topic/partition/offset}: a dead letter's identity, a replay's selection. */
public record SourceCoordinates(String topic, int partition, long offset) {

    /** Reads {@code topic/partition/offset}; Kafka topic names cannot contain a slash. */
    @JsonCreator
    public static SourceCoordinates parse(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("/");
        if (parts.length == 3 && !parts[0].isEmpty()) {
            try {
                return new SourceCoordinates(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException notNumbers) {
                // Answered below.
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a record's place: write topic/partition/offset, such as"
                + " user-profiles/0/1234");
    }

    @JsonValue
    @Override
    public String toString() {
        return topic + "/" + partition + "/" + offset;
    }
}
