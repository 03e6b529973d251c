package io.userpipeline.ingestor.source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.userpipeline.ingestor.IngestionConfig;

/** Chooses the profile source from {@code ingestion.source}. */
public class ProfileSources {

    @Produces
    @ApplicationScoped
    ProfileSource configuredSource(IngestionConfig config, RandomUserApiClient apiClient) {
        return switch (config.source()) {
            case GENERATOR -> new ProfileGenerator(config.generator().seed());
            case API -> new RandomUserApiSource(apiClient, config.api().resultsPerCall());
        };
    }
}
