package io.userpipeline.ingestor.source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.runtime.Startup;
import io.userpipeline.ingestor.IngestionConfig;

/** Chooses the profile source from {@code ingestion.source}. */
public class ProfileSources {

    /** Made at start-up, not by the first run: the generator reads its lists then, and a run starts at once. */
    @Produces
    @ApplicationScoped
    @Startup
    ProfileSource configuredSource(IngestionConfig config, RandomUserApiClient apiClient) {
        return switch (config.source()) {
            case GENERATOR -> new ProfileGenerator(config.generator().seed());
            case API -> new RandomUserApiSource(apiClient, config.api().resultsPerCall());
        };
    }
}
