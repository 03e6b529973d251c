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
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.validate.DecodedRecord;

/**
 * Sends rejected records to the dead-letter topic: the original key, value and headers, plus headers saying why
 * ({@code dlq-reason}, {@code dlq-field}, {@code dlq-message}), where from ({@code dlq-source-topic},
 * {@code dlq-source-partition}, {@code dlq-source-offset}) and when ({@code dlq-rejected-at}).
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String CHANNEL = "dead-letters";
    public static final String TARGET = "dead-letter-topic";

    private final MutinyEmitter<byte[]> emitter;
    private final int maxRecordBytes;

    DeadLetterPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, ProcessorConfig config) {
        this.emitter = emitter;
        this.maxRecordBytes = config.maxRecordBytes();
    }

    /** Completes when Kafka has acknowledged every dead letter. */
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
        // An oversized value would be refused by the broker too; keep its head so the record stays inspectable.
        if (value.length > maxRecordBytes) {
            headers.add("dlq-original-size", utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, maxRecordBytes);
        }
        headers.add("dlq-reason", utf8(rejection.reason()));
        if (rejection.field() != null) {
            headers.add("dlq-field", utf8(rejection.field()));
        }
        headers.add("dlq-message", utf8(rejection.message()));
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
