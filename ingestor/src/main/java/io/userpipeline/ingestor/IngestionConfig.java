package io.userpipeline.ingestor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the ingestor, under {@code ingestion.*}; see application.properties for the defaults. */
@ConfigMapping(prefix = "ingestion")
public interface IngestionConfig {

    /** The most profiles one run may fetch, whether configured or asked for when triggering a run. */
    int MOST_PROFILES_PER_RUN = 10_000_000;
    /** The highest rate that may be set, in profiles per second. */
    int HIGHEST_MAX_RATE = 1_000_000;

    enum Source {
        GENERATOR, API
    }

    /** {@code generator} (built in, no network) or {@code api} (a randomuser.me-compatible HTTP API). */
    Source source();

    /** Profiles fetched and published per run. */
    @Min(1)
    @Max(MOST_PROFILES_PER_RUN)
    int batchSize();

    /** Time between runs, e.g. {@code 10s}; {@code off} runs only when triggered over HTTP. Ignored when cron is set. */
    @Pattern(regexp = "off|[1-9]\\d*(s|m|h)", message = "must be a whole number of seconds, minutes or hours such as 10s or 5m, or off")
    String interval();

    /** A Quartz-style cron expression (e.g. {@code 0 0/5 * * * ?}); takes precedence over the interval. */
    Optional<String> cron();

    /** Start with the schedule paused: runs happen only when triggered until it is resumed. */
    @WithDefault("false")
    boolean startPaused();

    /**
     * Profiles per second at most, spread evenly over each second; unlimited when absent. Spares a rate-limited
     * API; a triggered run may set its own ({@code POST /ingestion/trigger?max-rate=}).
     */
    Optional<@Min(1) @Max(HIGHEST_MAX_RATE) Integer> maxRate();

    /** Profiles sent to Kafka and not yet acknowledged, at most: bounds memory; see application.properties. */
    @Min(1)
    @Max(100_000)
    int maxInFlight();

    /**
     * How long a run keeps sending again a profile Kafka did not acknowledge (a broker restart, a lost leader)
     * before it counts the profile as failed, e.g. {@code 5m}.
     */
    Duration publishRetryFor();

    /**
     * Runs kept in memory for {@code GET /ingestion/runs}, the newest first; older runs, and all of them on a restart,
     * are forgotten.
     */
    @Min(1)
    @Max(1000)
    int historySize();

    Control control();

    Api api();

    Generator generator();

    interface Control {
        /**
         * Whether the mutating control calls ({@code POST /ingestion/trigger}, {@code /pause}, {@code /resume}) are
         * served; when false they answer 403, and the schedule and the read-only calls go on.
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Api {
        /** The API endpoint, e.g. {@code https://randomuser.me/api/}. */
        String baseUrl();

        /** Profiles asked for per HTTP call (randomuser.me allows up to 5,000). */
        @Min(1)
        @Max(5000)
        int resultsPerCall();

        /** Nationalities to ask for (randomuser codes such as {@code us,gb,fr}); all when absent. */
        Optional<List<String>> nationalities();

        /** With a seed the API's answers are reproducible and pages continue across runs. */
        Optional<String> seed();

        Duration connectTimeout();

        Duration readTimeout();
    }

    interface Generator {
        /** Same seed, same profiles in the same order. */
        long seed();
    }
}
