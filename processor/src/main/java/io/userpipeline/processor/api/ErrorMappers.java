package io.userpipeline.processor.api;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.userpipeline.processor.analytics.AnalyticsUnavailableException;

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

    @ServerExceptionMapper
    public Response unavailable(AnalyticsUnavailableException e) {
        return Response.status(503).header("Retry-After", RETRY_AFTER_SECONDS).entity(new ErrorBody(503, e.getMessage())).build();
    }

    /** {@code byCountry.country} becomes {@code country}. */
    private static String parameterName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
