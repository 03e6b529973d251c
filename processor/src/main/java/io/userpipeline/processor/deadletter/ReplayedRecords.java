package io.userpipeline.processor.deadletter;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.userpipeline.event.DeadLetterHeaders;

/** What a record re-published by a replay says about its original. */
public final class ReplayedRecords {

    private ReplayedRecords() {
    }

    /**
     * When the record was first written: a replayed record carries its original's timestamp in
     * {@code dlq-source-timestamp} (its own is the replay's, so that the topic's retention counts from the replay);
     * any other record's is its own timestamp.
     */
    public static long writtenAt(ConsumerRecord<byte[], byte[]> record) {
        Header original = record.headers().lastHeader(DeadLetterHeaders.SOURCE_TIMESTAMP);
        if (original != null && original.value() != null && record.headers().lastHeader(DeadLetterHeaders.REPLAY_OF) != null) {
            try {
                return Long.parseLong(new String(original.value(), StandardCharsets.UTF_8));
            } catch (NumberFormatException unreadable) {
                return record.timestamp();
            }
        }
        return record.timestamp();
    }
}
