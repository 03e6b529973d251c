package io.userpipeline.processor.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.userpipeline.processor.validate.DecodedRecord;

/**
 * Sends rejected records to the dead-letter topic: the original key, value and headers, plus headers saying why
 * ({@code dlq-reason}, {@code dlq-field}, {@code dlq-message}), which event when it could be read
 * ({@code dlq-event-id}), where from ({@code dlq-source-topic},
 * {@code dlq-source-partition}, {@code dlq-source-offset}) and when ({@code dlq-rejected-at}).
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String CHANNEL = "dead-letters";
    public static final String TARGET = "dead-letter-topic";

    /**
     * The largest value kept whole: the broker's default limit per record is 1 MiB, and the dead letter adds
     * headers to the original. A larger original (from a topic configured for larger records) keeps its head.
     */
    static final int MAX_VALUE_BYTES = 1_000_000;

    private final MutinyEmitter<byte[]> emitter;

    DeadLetterPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /**
     * Completes when Kafka has acknowledged every dead letter. Retrying after a failure sends the batch's dead
     * letters again: the dead-letter topic is at-least-once, and its consumers find duplicates by
     * {@code dlq-source-topic}, {@code dlq-source-partition} and {@code dlq-source-offset}.
     */
    public Uni<Void> publish(List<DecodedRecord.Invalid> rejected) {
        return Multi.createFrom().iterable(rejected)
                .onItem().transformToUniAndMerge(this::publish)
                .onItem().ignoreAsUni();
    }

    private Uni<Void> publish(DecodedRecord.Invalid invalid) {
        var record = invalid.record();
        var rejection = invalid.rejection();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        if (value.length > MAX_VALUE_BYTES) {
            headers.add("dlq-original-size", utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        headers.add("dlq-reason", utf8(rejection.reason()));
        if (rejection.field() != null) {
            headers.add("dlq-field", utf8(rejection.field()));
        }
        headers.add("dlq-message", utf8(rejection.message()));
        if (invalid.eventId() != null) {
            headers.add("dlq-event-id", utf8(invalid.eventId().toString()));
        }
        headers.add("dlq-source-topic", utf8(record.topic()));
        headers.add("dlq-source-partition", utf8(Integer.toString(record.partition())));
        headers.add("dlq-source-offset", utf8(Long.toString(record.offset())));
        headers.add("dlq-rejected-at", utf8(Instant.now().toString()));
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
