package io.userpipeline.ingestor.publish;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.userpipeline.event.UserEvent;

/**
 * Publishes user events to the user topic, keyed by user id so that all events of one person land in one
 * partition, in order. The returned {@link Uni} completes when Kafka has acknowledged the record (acks=all,
 * idempotent producer: see application.properties), and fails if it could not be written.
 */
@ApplicationScoped
public class UserEventPublisher {

    public static final String CHANNEL = "user-profiles";

    private final MutinyEmitter<UserEvent> emitter;

    UserEventPublisher(@Channel(CHANNEL) MutinyEmitter<UserEvent> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(UserEvent event) {
        return emitter.sendMessage(Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.userId().toString())
                .build()));
    }
}
