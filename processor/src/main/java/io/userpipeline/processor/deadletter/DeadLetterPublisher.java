package io.userpipeline.processor.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.userpipeline.event.DeadLetterHeaders;
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
    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

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

    /**
     * A dead letter Kafka refuses as too large (original headers of their own near the limit, or a dead-letter
     * topic whose {@code max.message.bytes} is below the input topic's) would be refused on every attempt and hold
     * its batch forever: it is sent again with the original's key but without its value and headers, with
     * {@code dlq-dropped} saying so; the original stays findable by its source coordinates. If even that is
     * refused, the loss is logged at ERROR with the coordinates and the batch goes on.
     */
    private Uni<Void> publish(DecodedRecord.Invalid invalid) {
        var record = invalid.record();
        return send(invalid, withOriginal(record), record.key(), record.value() == null ? new byte[0] : record.value())
                .onFailure(DeadLetterPublisher::isTooLarge).recoverWithUni(tooLarge -> {
                    RecordHeaders headers = new RecordHeaders();
                    Header replayOf = record.headers().lastHeader(DeadLetterHeaders.REPLAY_OF);
                    if (replayOf != null) {
                        headers.add(replayOf); // the record's identity, so that it stays one dead letter
                    }
                    headers.add(DeadLetterHeaders.DROPPED, utf8("value and headers of the original: the dead letter was too large"
                            + " for the topic (" + tooLarge.getMessage() + ")"));
                    return send(invalid, headers, record.key(), new byte[0]);
                })
                .onFailure(DeadLetterPublisher::isTooLarge).recoverWithItem(tooLarge -> {
                    LOG.errorf("The dead-letter topic refuses even the key and headers of the dead letter of %s (%s: %s) as too"
                            + " large (%s); it is not dead-lettered. Raise the topic's max.message.bytes; the record is"
                            + " still in its source topic at these coordinates.", invalid.origin(),
                            invalid.rejection().reason(), invalid.rejection().message(), tooLarge.getMessage());
                    return null;
                });
    }

    private static boolean isTooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static RecordHeaders withOriginal(ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        return headers;
    }

    private Uni<Void> send(DecodedRecord.Invalid invalid, RecordHeaders headers, byte[] key, byte[] value) {
        var record = invalid.record();
        var rejection = invalid.rejection();
        if (value.length > MAX_VALUE_BYTES) {
            headers.add(DeadLetterHeaders.ORIGINAL_SIZE, utf8(Integer.toString(value.length)));
            value = Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        headers.add(DeadLetterHeaders.REASON, utf8(rejection.reason()));
        if (rejection.field() != null) {
            headers.add(DeadLetterHeaders.FIELD, utf8(rejection.field()));
        }
        headers.add(DeadLetterHeaders.MESSAGE, utf8(rejection.message()));
        if (invalid.eventId() != null) {
            headers.add(DeadLetterHeaders.EVENT_ID, utf8(invalid.eventId().toString()));
        }
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(record.topic()));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        // A replayed record's own header already says when its original was written; its timestamp is the replay's.
        headers.remove(DeadLetterHeaders.SOURCE_TIMESTAMP);
        headers.add(DeadLetterHeaders.SOURCE_TIMESTAMP, utf8(Long.toString(ReplayedRecords.writtenAt(record))));
        headers.add(DeadLetterHeaders.REJECTED_AT, utf8(Instant.now().toString()));
        OutgoingKafkaRecordMetadata<byte[]> metadata = OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(key)
                .withHeaders(headers)
                .build();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
