package io.userpipeline.processor.api;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;

import io.userpipeline.processor.analytics.AnalyticsUnavailableException;
import io.userpipeline.processor.deadletter.DeadLetterTopicException;

/** Errors as JSON with a message that says what was wrong, not a stack trace or an empty body. */
public class ErrorMappers {

    /** Long enough for a store to restart or a refresh to end. */
    private static final int RETRY_AFTER_SECONDS = 10;

    /** The body of every error answer. */
    public record ErrorBody(int status, String error) {
    }

    @ServerExceptionMapper
    public Response invalidParameter(ConstraintViolationException e) {
        String message = e.getConstraintViolations().stream()
                .map(v -> parameterName(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Response.status(400).entity(new ErrorBody(400, message)).build();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return Response.status(400).entity(new ErrorBody(400, e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Response.status(404).entity(new ErrorBody(404, e.getMessage())).build();
    }

    /** The dead-letter topic could not be read: Kafka away or the topic absent; trying again later may work. */
    @ServerExceptionMapper
    public Response deadLetterTopic(DeadLetterTopicException e) {
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).entity(new ErrorBody(503, e.getMessage())).build();
    }

    /** A pause or resume PostgreSQL did not take: worth trying again. */
    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).entity(new ErrorBody(503, e.getMessage())).build();
    }

    /** A refused operation (403: switched off; 409: one already running), with what to do in its message. */
    @ServerExceptionMapper
    public Response refused(ClientErrorException e) {
        int status = e.getResponse().getStatus();
        return Response.status(status).entity(new ErrorBody(status, e.getMessage())).build();
    }

    /** Cassandra's code for "the index is not queryable yet" in a read failure (RequestFailureReason). */
    static final int INDEX_NOT_AVAILABLE = 6;

    /**
     * Cassandra could not answer now (nodes down or overloaded, a time-out, the country index still being built):
     * the client may try again, and load balancers and dashboards see a 503, not a server defect.
     */
    @ServerExceptionMapper({ AllNodesFailedException.class, UnavailableException.class, ReadTimeoutException.class,
            ReadFailureException.class, DriverTimeoutException.class })
    public Response cassandraCannotAnswer(DriverException e) {
        boolean indexBuilding = e instanceof ReadFailureException failure
                && failure.getReasonMap().containsValue(INDEX_NOT_AVAILABLE);
        String message = indexBuilding
                ? "Cassandra is still building the country index (after an upgrade or a new node); try again later"
                : "Cassandra cannot answer now (" + e.getMessage() + "); try again later";
        return Response.status(503).header("Retry-After", indexBuilding ? 60 : 5)
                .entity(new ErrorBody(503, message)).build();
    }

    @ServerExceptionMapper
    public Response unavailable(AnalyticsUnavailableException e) {
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).entity(new ErrorBody(503, e.getMessage())).build();
    }

    /** {@code byCountry.country} becomes {@code country}. */
    private static String parameterName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
