package io.userpipeline.ingestor.source;

import io.smallrye.mutiny.Multi;

/** Where profiles come from: the randomuser.me-compatible API or the built-in generator. */
public interface ProfileSource {

    /** Name recorded in every event's {@code source} field. */
    String name();

    /**
     * Streams {@code count} profiles, produced or fetched as the subscriber requests them so that a large run
     * never holds all its profiles in memory. The stream fails with a message naming the call that failed.
     */
    Multi<RandomUserProfile> fetch(int count);
}
