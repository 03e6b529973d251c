package io.userpipeline.processor.api;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Changes (pause, resume, replay, trigger) come from an operator's own client, not from another site open in the
 * same browser: a change must say it sends JSON, which a page of another origin cannot make a browser send without
 * asking first (a CORS preflight, which this service never grants), and a browser's {@code Sec-Fetch-Site:
 * cross-site} is refused outright. The console, {@code ./pipeline} and the API's documented calls send JSON.
 */
public class OperatorRequests {

    /** The paths whose POSTs change the pipeline. */
    static final List<String> CHANGES = List.of("/processing/", "/dead-letters/", "/console/");

    @ServerRequestFilter
    public Optional<Response> onlyFromOperators(ContainerRequestContext request) {
        if (!HttpMethod.POST.equals(request.getMethod())
                || CHANGES.stream().noneMatch(prefix -> request.getUriInfo().getPath().startsWith(prefix))) {
            return Optional.empty();
        }
        if ("cross-site".equals(request.getHeaderString("Sec-Fetch-Site"))) {
            return Optional.of(refusal(403, "A change from another site's page is refused: use the console, ./pipeline or"
                    + " your own client"));
        }
        MediaType type = request.getMediaType();
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type)) {
            return Optional.of(refusal(415, "Send changes with Content-Type: application/json (an empty body is fine),"
                    + " e.g. curl -X POST -H 'Content-Type: application/json' ..."));
        }
        return Optional.empty();
    }

    private static Response refusal(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorMappers.ErrorBody(status, message))
                .build();
    }
}
