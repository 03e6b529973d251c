package io.userpipeline.processor.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.userpipeline.event.DeadLetterHeaders;

/**
 * One dead letter as an operator sees it: why, where from, when, and the original's key, value and headers shown
 * safely. {@code identity} is the first rejected record's place: the same for every dead letter of a record,
 * whether the processor sent it twice (dead letters are at-least-once) or it was replayed and rejected again.
 */
public record DeadLetter(
        SourceCoordinates identity,
        SourceCoordinates source,
        int partition,
        long offset,
        String reason,
        String field,
        String message,
        String eventId,
        Instant rejectedAt,
        boolean replayed,
        String notReplayable,
        RenderedBytes key,
        RenderedBytes value,
        List<RenderedHeader> headers) {

    /** One of the original record's own headers. */
    public record RenderedHeader(String name, RenderedBytes value) {
    }

    /** What a dead-letter record says; a record without the source headers is not one of ours and is skipped. */
    static DeadLetter read(ConsumerRecord<byte[], byte[]> record, int previewBytes) {
        SourceCoordinates source = source(record);
        if (source == null) {
            return null;
        }
        String replayOf = text(record, DeadLetterHeaders.REPLAY_OF);
        SourceCoordinates identity = source;
        if (replayOf != null) {
            try {
                identity = SourceCoordinates.parse(replayOf);
            } catch (IllegalArgumentException unreadable) {
                identity = source;
            }
        }
        List<RenderedHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(new RenderedHeader(header.key(), RenderedBytes.of(header.value(), previewBytes)));
            }
        }
        return new DeadLetter(identity, source, record.partition(), record.offset(),
                text(record, DeadLetterHeaders.REASON), text(record, DeadLetterHeaders.FIELD),
                text(record, DeadLetterHeaders.MESSAGE), text(record, DeadLetterHeaders.EVENT_ID),
                instant(text(record, DeadLetterHeaders.REJECTED_AT)), replayOf != null, notReplayable(record),
                RenderedBytes.of(record.key(), previewBytes), RenderedBytes.of(record.value(), previewBytes),
                List.copyOf(headers));
    }

    /** Why the dead letter cannot be replayed, or null: only a whole original can be. */
    static String notReplayable(ConsumerRecord<byte[], byte[]> record) {
        if (record.headers().lastHeader(DeadLetterHeaders.DROPPED) != null) {
            return "the original's value was left out (too large for the dead-letter topic); it is still in "
                    + source(record) + " while that topic retains it";
        }
        if (record.headers().lastHeader(DeadLetterHeaders.ORIGINAL_SIZE) != null) {
            return "only the head of the original's value was kept (" + text(record, DeadLetterHeaders.ORIGINAL_SIZE)
                    + " bytes); it is still in " + source(record) + " while that topic retains it";
        }
        return null;
    }

    static SourceCoordinates source(ConsumerRecord<byte[], byte[]> record) {
        String topic = text(record, DeadLetterHeaders.SOURCE_TOPIC);
        String partition = text(record, DeadLetterHeaders.SOURCE_PARTITION);
        String offset = text(record, DeadLetterHeaders.SOURCE_OFFSET);
        if (topic == null || partition == null || offset == null) {
            return null;
        }
        try {
            return new SourceCoordinates(topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header last = record.headers().lastHeader(header);
        return last == null || last.value() == null ? null : new String(last.value(), StandardCharsets.UTF_8);
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
