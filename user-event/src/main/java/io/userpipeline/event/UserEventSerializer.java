package io.userpipeline.event;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer writing {@link UserEvent}s in their wire format. */
public class UserEventSerializer implements Serializer<UserEvent> {

    @Override
    public byte[] serialize(String topic, UserEvent event) {
        return event == null ? null : UserEventJson.write(event);
    }
}
