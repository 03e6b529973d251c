package io.userpipeline.ingestor.source;

import java.util.List;

import io.smallrye.mutiny.Multi;
import io.userpipeline.randomuser.RandomUserProfile;

/** Where profiles come from: the randomuser.me-compatible API or the built-in generator. */
public interface ProfileSource {

    /** Name recorded in every event's {@code source} field. */
    String name();

    /**
     * Streams {@code count} profiles in pages, each produced or fetched when the subscriber requests it, so that a
     * large run never holds more than a few pages in memory. The stream fails with a message naming the call
     * that failed.
     */
    Multi<List<RandomUserProfile>> fetch(int count);
}
