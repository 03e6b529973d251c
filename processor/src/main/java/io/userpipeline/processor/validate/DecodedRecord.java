package io.userpipeline.processor.validate;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.userpipeline.event.UserEvent;

/** A consumed record after reading and validation: a valid user event, or the reason it was rejected. */
public sealed interface DecodedRecord {

    ConsumerRecord<byte[], byte[]> record();

    /** Where the record came from, for logs: {@code topic-partition@offset}. */
    default String origin() {
        return record().topic() + "-" + record().partition() + "@" + record().offset();
    }

    record Valid(ConsumerRecord<byte[], byte[]> record, UserEvent event) implements DecodedRecord {
    }

    /** @param eventId the event's id when the record could be read as an event, else null */
    record Invalid(ConsumerRecord<byte[], byte[]> record, Rejection rejection, UUID eventId) implements DecodedRecord {
    }
}
