package io.userpipeline.faults;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.userpipeline.event.DeadLetterHeaders;

/**
 * Where a record was in its topic: what identifies a dead letter, since the processor copies it into the
 * {@code dlq-source-*} headers, and a redelivered record has the same.
 */
record SourceOffset(String topic, int partition, long offset) {

    static SourceOffset of(ConsumerRecord<?, ?> record) {
        return new SourceOffset(record.topic(), record.partition(), record.offset());
    }

    /** The record a dead letter was made from, by its headers. */
    static SourceOffset ofDeadLetter(ConsumerRecord<byte[], byte[]> deadLetter) {
        return new SourceOffset(header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC),
                Integer.parseInt(header(deadLetter, DeadLetterHeaders.SOURCE_PARTITION)),
                Long.parseLong(header(deadLetter, DeadLetterHeaders.SOURCE_OFFSET)));
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return null;
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return topic + "/" + partition + "@" + offset;
    }
}
