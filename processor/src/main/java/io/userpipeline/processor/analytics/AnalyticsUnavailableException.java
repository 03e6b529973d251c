package io.userpipeline.processor.analytics;

/**
 * The analytics cannot be answered now, but may be shortly: PostgreSQL does not answer, or another processor
 * instance's refresh outlasted the wait. Answered as 503 with the reason, never as stale data.
 */
public class AnalyticsUnavailableException extends RuntimeException {

    public AnalyticsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
