package io.userpipeline.processor;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;

/** Every setting of the processor under {@code pipeline.*}; see application.properties for the defaults. */
@ConfigMapping(prefix = "pipeline")
public interface ProcessorConfig {

    /** Records larger than this are dead-lettered unread: no user profile comes close. */
    @Min(1024)
    int maxRecordBytes();

    Cassandra cassandra();

    Postgres postgres();

    Retry retry();

    Analytics analytics();

    Shutdown shutdown();

    Operations operations();

    DeadLetters deadLetters();

    interface Cassandra {
        @Pattern(regexp = "[a-z][a-z0-9_]{0,47}", message = "must be a lower-case Cassandra identifier")
        String keyspace();

        /** Replicas per row in the local datacenter (NetworkTopologyStrategy). */
        @Min(1)
        @Max(9)
        int replicationFactor();

        /** Writes in flight at once; beyond about 256 a single node only queues them. */
        @Min(1)
        @Max(4096)
        int maxConcurrentWrites();
    }

    interface Postgres {
        /** Rows per upsert statement. */
        @Min(1)
        @Max(10_000)
        int rowsPerStatement();
    }

    /** Back-off between attempts when a store or the dead-letter topic refuses a write. */
    interface Retry {
        Duration initialBackoff();

        Duration maxBackoff();

        /** A write that has not completed after this long is failed and retried. */
        Duration writeTimeout();
    }

    interface Analytics {
        /**
         * How often the batch views are recomputed from the users table, e.g. {@code 30s}. The schedule reads it
         * (AnalyticsRepository); it is declared here so that a wrong value fails at start-up with this rule.
         */
        @Pattern(regexp = "[1-9]\\d*(s|m|h)", message = "must be a whole number of seconds, minutes or hours such as 30s")
        String refreshInterval();

        /**
         * How long {@code POST /analytics/refresh} waits for another instance's refresh to end before answering
         * 503: a refresh request never answers with views older than the request.
         */
        @DurationMin(millis = 1, message = "must be a positive duration such as 30s (PostgreSQL takes 0 as no limit)")
        Duration refreshWait();
    }

    interface Shutdown {
        /**
         * How long a stop waits for the batches in flight to be written before the stores' clients close; keep it
         * 15 s below the pod's termination grace period, which the clients closing and the consumers leaving the
         * group may take when a store is failing (the chart sets both).
         */
        @DurationMin(millis = 0, message = "must be a duration such as 10s (0 stops without waiting)")
        Duration drainTimeout();
    }

    /** What an operator may change over HTTP and from the console. */
    interface Operations {
        /**
         * Whether pausing and resuming processing and replaying dead letters are allowed. Anyone who reaches the
         * service could use them: the chart turns them off unless {@code operations.enabled} is set.
         */
        boolean enabled();

        /** The ingestor's HTTP address, for the console's run history and trigger, e.g. {@code http://localhost:8081}. */
        @Pattern(regexp = "https?://[^\\s/]+(/\\S*)?", message = "must be an http:// or https:// address such as http://ingestor:8080")
        String ingestorUrl();
    }

    /** Browsing and replaying the dead-letter topic. */
    interface DeadLetters {
        /** Dead letters read per partition of the dead-letter topic, the newest, for a listing or a replay. */
        @Min(1)
        @Max(1_000_000)
        int scanLimit();

        /** Bytes of a dead letter's value shown in a listing; a longer value is cut, with its size. */
        @Min(64)
        @Max(65_536)
        int previewBytes();

        /** The fastest a replay re-publishes, records per second, unless the request asks for slower. */
        @Min(1)
        @Max(100_000)
        int replayMaxRate();

        /** How long a listing or a replay waits for Kafka before it answers with what it could read. */
        @DurationMin(millis = 100, message = "must be a duration such as 10s")
        Duration readTimeout();
    }
}
