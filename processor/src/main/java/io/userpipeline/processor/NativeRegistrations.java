package io.userpipeline.processor;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.analytics.Analytics;
import io.userpipeline.processor.api.DeadLetterResource;
import io.userpipeline.processor.api.ErrorMappers;
import io.userpipeline.processor.api.ProcessingResource;
import io.userpipeline.processor.console.ConsoleResource;
import io.userpipeline.processor.console.ConsumerLag;
import io.userpipeline.processor.consume.ProcessingSwitch;
import io.userpipeline.processor.deadletter.DeadLetter;
import io.userpipeline.processor.deadletter.DeadLetterBrowser;
import io.userpipeline.processor.deadletter.DeadLetterReplays;
import io.userpipeline.processor.deadletter.DeadLetterSelection;
import io.userpipeline.processor.deadletter.DeadLetterTopic;
import io.userpipeline.processor.deadletter.RenderedBytes;
import io.userpipeline.processor.deadletter.SourceCoordinates;
import io.userpipeline.storeduser.StoredUser;

/**
 * What a native executable must be able to reach by reflection and that Quarkus cannot see on its own: the shared
 * event record (another module, read by our own Jackson mapper), the tutorial producers' record (package-private,
 * hence by name), the REST answers' records with their nested records and enums (the dead-letter listing and
 * replays, processing and console answers) and the Kafka (de)serializers named only in application.properties.
 * No effect in JVM mode.
 */
@RegisterForReflection(targets = {
        UserEvent.class,
        StoredUser.class,
        Analytics.class,
        ErrorMappers.ErrorBody.class,
        DeadLetter.class,
        DeadLetter.RenderedHeader.class,
        RenderedBytes.class,
        RenderedBytes.Encoding.class,
        SourceCoordinates.class,
        DeadLetterSelection.class,
        DeadLetterTopic.Reading.class,
        DeadLetterBrowser.Listing.class,
        DeadLetterBrowser.Bucket.class,
        DeadLetterReplays.Replay.class,
        DeadLetterReplays.State.class,
        DeadLetterResource.ReplayRequest.class,
        ProcessingSwitch.ChannelState.class,
        ProcessingResource.ProcessingStatus.class,
        ConsoleResource.Overview.class,
        ConsumerLag.PartitionLag.class,
        ByteArraySerializer.class,
        ByteArrayDeserializer.class,
}, classNames = "io.userpipeline.processor.validate.TutorialUserRecord")
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
