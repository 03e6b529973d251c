package io.userpipeline.processor.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.event.RejectionReason;
import io.userpipeline.processor.validate.DecodedRecord;
import io.userpipeline.processor.validate.Rejection;

/**
 * What a dead letter carries, and what happens when Kafka refuses one, against a recording emitter in place of the
 * Kafka channel. No servers; the processor's {@code BadRecordsTest} reads real dead letters from a real broker.
 */
class DeadLetterPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final UUID EVENT_ID = UUID.fromString("1c4a6f0e-8a52-4c1e-9d0b-5e2f8a7b3c11");

    @Test
    void aDeadLetterIsTheOriginalKeyValueAndHeadersPlusWhyWhichEventAndWhereFrom() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> false);
        Instant before = Instant.now();

        new DeadLetterPublisher(emitter).publish(List.of(invalid(record(42, "{\"email\":\"nope\"}"),
                Rejection.of(RejectionReason.INVALID_EMAIL, "email", "email: must be one '@'"), EVENT_ID)))
                .await().atMost(WAIT);

        Sent letter = emitter.onlyAcknowledged();
        assertThat(letter.key()).isEqualTo(utf8("user-key"));
        assertThat(letter.value()).isEqualTo(utf8("{\"email\":\"nope\"}"));
        assertThat(letter.headers()).containsEntry("trace-id", "abc")
                .containsEntry(DeadLetterHeaders.REASON, "invalid-email")
                .containsEntry(DeadLetterHeaders.FIELD, "email")
                .containsEntry(DeadLetterHeaders.MESSAGE, "email: must be one '@'")
                .containsEntry(DeadLetterHeaders.EVENT_ID, EVENT_ID.toString())
                .containsEntry(DeadLetterHeaders.SOURCE_TOPIC, "user-profiles")
                .containsEntry(DeadLetterHeaders.SOURCE_PARTITION, "3")
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, "42")
                .doesNotContainKeys(DeadLetterHeaders.DROPPED, DeadLetterHeaders.ORIGINAL_SIZE);
        assertThat(Instant.parse(letter.headers().get(DeadLetterHeaders.REJECTED_AT))).isBetween(before, Instant.now());
    }

    @Test
    void aRecordThatWasNoEventHasNoEventIdNorFieldAndANullValueBecomesEmpty() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> false);

        new DeadLetterPublisher(emitter).publish(List.of(invalid(record(7, null),
                Rejection.of(RejectionReason.EMPTY_PAYLOAD, null, "the record has no value"), null)))
                .await().atMost(WAIT);

        Sent letter = emitter.onlyAcknowledged();
        assertThat(letter.value()).isEmpty();
        assertThat(letter.headers()).containsEntry(DeadLetterHeaders.REASON, "empty-payload")
                .doesNotContainKeys(DeadLetterHeaders.FIELD, DeadLetterHeaders.EVENT_ID);
    }

    @Test
    void aValueOverTheBrokersDefaultLimitKeepsItsHeadAndSaysItsSize() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> false);
        String huge = "h".repeat(DeadLetterPublisher.MAX_VALUE_BYTES) + "tail-10b.";

        new DeadLetterPublisher(emitter).publish(List.of(invalid(record(1, huge),
                Rejection.of(RejectionReason.PAYLOAD_TOO_LARGE, null, "too large"), null))).await().atMost(WAIT);

        Sent letter = emitter.onlyAcknowledged();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).as("the head, whole")
                .isEqualTo(huge.substring(0, DeadLetterPublisher.MAX_VALUE_BYTES));
        assertThat(letter.headers()).containsEntry(DeadLetterHeaders.ORIGINAL_SIZE,
                Integer.toString(DeadLetterPublisher.MAX_VALUE_BYTES + 9));
    }

    @Test
    void aDeadLetterTheTopicRefusesAsTooLargeIsSentAgainWithoutTheOriginalAndSaysSo() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> sent.value().length > 0);

        new DeadLetterPublisher(emitter).publish(List.of(invalid(record(42, "{\"a\":1}"),
                Rejection.of(RejectionReason.MALFORMED_JSON, null, "bad"), null))).await().atMost(WAIT);

        assertThat(emitter.refused()).hasSize(1);
        Sent letter = emitter.onlyAcknowledged();
        assertThat(letter.key()).isEqualTo(utf8("user-key"));
        assertThat(letter.value()).isEmpty();
        assertThat(letter.headers()).doesNotContainKey("trace-id")
                .containsEntry(DeadLetterHeaders.REASON, "malformed-json")
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, "42")
                .hasEntrySatisfying(DeadLetterHeaders.DROPPED, dropped -> assertThat(dropped)
                        .contains("value and headers of the original").contains("too large for the topic"));
    }

    @Test
    void aDeadLetterRefusedEvenWithoutTheOriginalDoesNotHoldTheBatch() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> true);

        new DeadLetterPublisher(emitter).publish(List.of(invalid(record(42, "{}"),
                Rejection.of(RejectionReason.MALFORMED_JSON, null, "bad"), null))).await().atMost(WAIT);

        assertThat(emitter.refused()).hasSize(2);
        assertThat(emitter.acknowledged()).isEmpty();
    }

    @Test
    void anyOtherFailureFailsThePublicationSoThatTheBatchIsRetried() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> false) {
            @Override
            Throwable failureFor(Sent sent) {
                return new TimeoutException("Topic user-profiles-dlq not present in metadata after 60000 ms.");
            }
        };
        List<DecodedRecord.Invalid> rejected = List.of(invalid(record(1, "{}"),
                Rejection.of(RejectionReason.MALFORMED_JSON, null, "bad"), null));

        assertThatThrownBy(() -> new DeadLetterPublisher(emitter).publish(rejected).await().atMost(WAIT))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void thePublicationCompletesOnlyOnceKafkaAcknowledgedEveryDeadLetter() {
        List<CompletableFuture<Void>> acknowledgements = new ArrayList<>();
        RecordingEmitter emitter = new RecordingEmitter(sent -> false) {
            @Override
            Uni<Void> answer(Sent sent) {
                return Uni.createFrom().deferred(() -> {
                    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
                    acknowledgements.add(acknowledgement);
                    return Uni.createFrom().completionStage(acknowledgement);
                });
            }
        };
        Rejection rejection = Rejection.of(RejectionReason.MALFORMED_JSON, null, "bad");

        CompletableFuture<Void> published = new DeadLetterPublisher(emitter)
                .publish(List.of(invalid(record(1, "{"), rejection, null), invalid(record(2, "{"), rejection, null)))
                .subscribeAsCompletionStage();

        assertThat(acknowledgements).as("both sent at once").hasSize(2);
        acknowledgements.getFirst().complete(null);
        assertThat(published).isNotDone();
        acknowledgements.getLast().complete(null);
        assertThat(published).succeedsWithin(WAIT);
    }

    /**
     * A replayed record rejected again: its timestamp is the replay's, its header the original's time, which its dead
     * letter keeps (a later replay of a tutorial record must not make it newer than what came after it).
     */
    @Test
    void aReplayedRecordRejectedAgainKeepsItsOriginalsTime() {
        RecordingEmitter emitter = new RecordingEmitter(sent -> false);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REPLAY_OF, utf8("users_created/0/7"));
        headers.add(DeadLetterHeaders.SOURCE_TIMESTAMP, utf8("1700000000000"));
        ConsumerRecord<byte[], byte[]> replayed = new ConsumerRecord<>("users_created", 0, 99, 1800000000000L,
                TimestampType.CREATE_TIME, 8, 7, utf8("user-key"), utf8("not json"), headers, Optional.empty());

        new DeadLetterPublisher(emitter).publish(List.of(invalid(replayed, Rejection.of(RejectionReason.MALFORMED_JSON,
                null, "not JSON"), null))).await().atMost(WAIT);

        assertThat(emitter.onlyAcknowledged().headers()).containsEntry(DeadLetterHeaders.SOURCE_TIMESTAMP, "1700000000000")
                .containsEntry(DeadLetterHeaders.REPLAY_OF, "users_created/0/7")
                .containsEntry(DeadLetterHeaders.SOURCE_OFFSET, "99");
    }

    private static DecodedRecord.Invalid invalid(ConsumerRecord<byte[], byte[]> record, Rejection rejection,
            UUID eventId) {
        return new DecodedRecord.Invalid(record, rejection, eventId);
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String value) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("user-profiles", 3, offset, utf8("user-key"),
                value == null ? null : utf8(value));
        record.headers().add("trace-id", utf8("abc"));
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A dead letter as it was handed to the channel. */
    record Sent(byte[] key, byte[] value, Map<String, String> headers) {
    }

    /** The dead-letter channel: records what it is sent, refusing as too large what {@code tooLarge} matches. */
    static class RecordingEmitter implements MutinyEmitter<byte[]> {
        private final Predicate<Sent> tooLarge;
        private final List<Sent> acknowledged = new ArrayList<>();
        private final List<Sent> refused = new ArrayList<>();

        RecordingEmitter(Predicate<Sent> tooLarge) {
            this.tooLarge = tooLarge;
        }

        List<Sent> acknowledged() {
            return acknowledged;
        }

        /** The one dead letter Kafka took; fails if there were none or several. */
        Sent onlyAcknowledged() {
            assertThat(acknowledged).as("dead letters Kafka took").hasSize(1);
            return acknowledged.get(0);
        }

        List<Sent> refused() {
            return refused;
        }

        Throwable failureFor(Sent sent) {
            return tooLarge.test(sent) ? new RecordTooLargeException("The message is 1048600 bytes when serialized")
                    : null;
        }

        /** Kafka's answer to {@code sent}; as the real emitter, nothing is sent before the answer is subscribed to. */
        Uni<Void> answer(Sent sent) {
            return Uni.createFrom().deferred(() -> {
                Throwable failure = failureFor(sent);
                if (failure != null) {
                    refused.add(sent);
                    return Uni.createFrom().failure(failure);
                }
                acknowledged.add(sent);
                return Uni.createFrom().voidItem();
            });
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends byte[]>> Uni<Void> sendMessage(M message) {
            OutgoingKafkaRecordMetadata<byte[]> metadata = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                    .orElseThrow();
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : metadata.getHeaders()) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
            return answer(new Sent(metadata.getKey(), message.getPayload(), headers));
        }

        @Override
        public Uni<Void> send(byte[] payload) {
            throw new UnsupportedOperationException("the publisher sends messages with metadata");
        }

        @Override
        public void sendAndAwait(byte[] payload) {
            throw new UnsupportedOperationException("the publisher sends messages with metadata");
        }

        @Override
        public Cancellable sendAndForget(byte[] payload) {
            throw new UnsupportedOperationException("the publisher sends messages with metadata");
        }

        @Override
        public <M extends Message<? extends byte[]>> void send(M message) {
            throw new UnsupportedOperationException("the publisher waits for acknowledgements");
        }

        @Override
        public <M extends Message<? extends byte[]>> void sendMessageAndAwait(M message) {
            throw new UnsupportedOperationException("the publisher never blocks");
        }

        @Override
        public <M extends Message<? extends byte[]>> Cancellable sendMessageAndForget(M message) {
            throw new UnsupportedOperationException("the publisher waits for acknowledgements");
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception failure) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
