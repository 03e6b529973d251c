package io.userpipeline.processor.consume;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.validate.InputFormat;

/**
 * Consumes the input topics in batches. Each method's {@link Uni} completes when the whole batch is stored or
 * dead-lettered; the connector acknowledges the batch then, and commits offsets only up to acknowledged
 * records (throttled commit strategy): at-least-once delivery, made exactly-once in effect by idempotent writes.
 */
@ApplicationScoped
public class UserEventConsumer {

    private final UserBatchProcessor processor;
    private final OrderlyStop stop;

    UserEventConsumer(UserBatchProcessor processor, OrderlyStop stop) {
        this.processor = processor;
        this.stop = stop;
    }

    /** The user events written by the ingestor. */
    @Incoming("user-profiles")
    public Uni<Void> consumeUserEvents(ConsumerRecords<byte[], byte[]> records) {
        return stop.run(() -> processor.process(InputFormat.USER_EVENT, records));
    }

    /** The flat records of the tutorial producers, for those who swap their Spark job for this service. */
    @Incoming("tutorial-users")
    public Uni<Void> consumeTutorialUsers(ConsumerRecords<byte[], byte[]> records) {
        return stop.run(() -> processor.process(InputFormat.TUTORIAL, records));
    }
}
