package io.userpipeline.processor;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.analytics.Analytics;
import io.userpipeline.processor.api.ErrorMappers;
import io.userpipeline.storeduser.StoredUser;

/**
 * What a native executable must be able to reach by reflection and that Quarkus cannot see on its own: the shared
 * event record (another module, read by our own Jackson mapper), the tutorial producers' record (package-private,
 * hence by name), the REST answers' records and the Kafka (de)serializers named only in application.properties.
 * No effect in JVM mode.
 */
@RegisterForReflection(targets = {
        UserEvent.class,
        StoredUser.class,
        Analytics.class,
        ErrorMappers.ErrorBody.class,
        ByteArraySerializer.class,
        ByteArrayDeserializer.class,
}, classNames = "io.userpipeline.processor.validate.TutorialUserRecord")
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
