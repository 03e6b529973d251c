package io.userpipeline.ingestor.source;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Multi;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Profiles from a randomuser.me-compatible API, fetched page by page (at most {@code results-per-call} each)
 * only as fast as they are published. With a seed, pages continue across runs, so the API returns new people
 * each time rather than the first page again.
 */
public final class RandomUserApiSource implements ProfileSource {

    public static final String SOURCE_NAME = "randomuser-api";

    private final RandomUserApiClient client;
    private final int resultsPerCall;
    private final AtomicLong nextPage = new AtomicLong(1);

    public RandomUserApiSource(RandomUserApiClient client, int resultsPerCall) {
        this.client = client;
        this.resultsPerCall = resultsPerCall;
    }

    @Override
    public String name() {
        return SOURCE_NAME;
    }

    @Override
    public Multi<List<RandomUserProfile>> fetch(int count) {
        int calls = (count + resultsPerCall - 1) / resultsPerCall;
        return Multi.createFrom().range(0, calls)
                .onItem().transformToUniAndConcatenate(call -> {
                    int results = Math.min(resultsPerCall, count - call * resultsPerCall);
                    long page = nextPage.getAndIncrement();
                    return client.fetchPage(results, page)
                            .onFailure().transform(failure -> client.explain(failure, results, page));
                })
                .map(RandomUserProfile.Response::results);
    }
}
