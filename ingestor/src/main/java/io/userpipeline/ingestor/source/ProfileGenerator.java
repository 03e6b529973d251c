package io.userpipeline.ingestor.source;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Multi;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Profiles without a network, as the real randomuser.me API makes them ({@link RandomUserGenerator}): the same
 * shapes and quirks the API source meets, through the same mapping. Successive runs continue the seed's
 * sequence, so each run brings new people.
 */
public final class ProfileGenerator implements ProfileSource {

    public static final String SOURCE_NAME = "generator";

    /** Profiles made per request: enough to make the hand-over between threads negligible. */
    private static final int PAGE_SIZE = 512;

    private final RandomUserGenerator generator;
    private final AtomicLong nextIndex = new AtomicLong();

    public ProfileGenerator(long seed) {
        this.generator = new RandomUserGenerator(seed);
    }

    @Override
    public String name() {
        return SOURCE_NAME;
    }

    @Override
    public Multi<List<RandomUserProfile>> fetch(int count) {
        long first = nextIndex.getAndAdd(count);
        int pages = (count + PAGE_SIZE - 1) / PAGE_SIZE;
        return Multi.createFrom().range(0, pages).map(page -> {
            long from = first + (long) page * PAGE_SIZE;
            return generator.profiles(from, (int) Math.min(PAGE_SIZE, first + count - from));
        });
    }

    /** The profile at {@code index} of this seed's sequence. */
    public RandomUserProfile profile(long index) {
        return generator.profile(index);
    }
}
