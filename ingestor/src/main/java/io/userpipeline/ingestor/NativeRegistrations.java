package io.userpipeline.ingestor;

import org.apache.kafka.common.serialization.StringSerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventSerializer;
import io.userpipeline.ingestor.schedule.IngestionResource;
import io.userpipeline.ingestor.schedule.IngestionRun;
import io.userpipeline.ingestor.schedule.IngestionStatus;
import io.userpipeline.ingestor.schedule.RunOutcome;
import io.userpipeline.ingestor.schedule.StartedBy;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * What a native executable must be able to reach by reflection and that Quarkus cannot see on its own: the shared
 * event record (another module, written by our own Jackson mapper, not by a REST resource), the randomuser.me
 * answer's records (read by the API client's own mapper), the generator's lists, the status and run history records,
 * the answers of the control calls and the wire names of outcomes and of what started a run (nested types of a REST
 * answer, or inside a {@code RestResponse<Object>}) and the Kafka serializers named only in application.properties.
 * No effect in JVM mode.
 */
@RegisterForReflection(targets = {
        UserEvent.class,
        UserEventSerializer.class,
        StringSerializer.class,
        RandomUserProfile.class,
        RandomUserProfile.Name.class,
        RandomUserProfile.Location.class,
        RandomUserProfile.Street.class,
        RandomUserProfile.Login.class,
        RandomUserProfile.DateAndAge.class,
        RandomUserProfile.Id.class,
        RandomUserProfile.Picture.class,
        RandomUserProfile.Response.class,
        RandomUserProfile.Info.class,
        IngestionStatus.class,
        IngestionStatus.RunSummary.class,
        IngestionStatus.Totals.class,
        IngestionStatus.LastError.class,
        RunOutcome.class,
        IngestionRun.class,
        IngestionRun.Plan.class,
        IngestionRun.Counts.class,
        IngestionRun.History.class,
        StartedBy.class,
        IngestionResource.Refusal.class,
        IngestionResource.Triggered.class,
}, classNames = {
        // The generator's lists (package-private records read by Jackson from lists.json, and their map's key).
        "io.userpipeline.randomuser.Lists",
        "io.userpipeline.randomuser.Lists$Common",
        "io.userpipeline.randomuser.Lists$OfNationality",
        "io.userpipeline.randomuser.Nationality",
})
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
