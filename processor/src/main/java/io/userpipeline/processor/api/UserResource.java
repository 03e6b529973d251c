package io.userpipeline.processor.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.storeduser.CountryNames;
import io.userpipeline.storeduser.StoredUser;

/** Stored users, read from Cassandra. */
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    static final String UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final CassandraUserStore users;

    UserResource(CassandraUserStore users) {
        this.users = users;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A user by id")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "400", description = "The id is not a UUID")
    @APIResponse(responseCode = "404", description = "No user has this id")
    public Uni<StoredUser> byId(
            @PathParam("id") @Pattern(regexp = UUID_PATTERN, message = "must be a UUID such as 7a0eed16-9430-4d68-901f-c0d4c1c3bf00") String id) {
        return users.findById(UUID.fromString(id))
                .map(found -> found.orElseThrow(() -> new NotFoundException("No user with id " + id)));
    }

    @GET
    @Operation(summary = "Users of a country (its name in any letter case, e.g. france; aliases such as USA or UK are"
            + " accepted), a page at a time")
    @APIResponse(responseCode = "200", description = "Up to `limit` users of the country, in Cassandra's token order"
            + " (a hash of the id, stable from page to page). While there may be more, a `Link` header with"
            + " `rel=\"next\"` gives the address of the next page")
    @APIResponse(responseCode = "503", description = "Cassandra cannot answer now, or is still building the country"
            + " index; `Retry-After` says when to try again")
    @APIResponse(responseCode = "400", description = "The country is missing or too long, the limit is not a whole"
            + " number from 1 to 1000, or the page is not a token this API gave for the country")
    public Uni<RestResponse<List<StoredUser>>> byCountry(
            @Parameter(description = "Country name") @QueryParam("country") @NotBlank(message = "is required, e.g. ?country=France")
            @Size(max = UserEvent.MAX_COUNTRY_LENGTH, message = "must be at most {max} characters") String country,
            // Text rather than int: JAX-RS answers 404 to a query parameter it cannot convert.
            @Parameter(description = "At most this many users, 1 to 1000") @QueryParam("limit") @DefaultValue("100")
            @Pattern(regexp = "[1-9][0-9]{0,2}|1000", message = "must be a whole number from 1 to 1000") String limit,
            @Parameter(description = "The next page's token, from the previous page's Link header") @QueryParam("page") String page,
            @Context UriInfo request) {
        Uni<CassandraUserStore.Page> found;
        try {
            found = users.findByCountry(CountryNames.canonical(country), Integer.parseInt(limit), page);
        } catch (IllegalArgumentException notOurs) {
            throw new BadRequestException("page is not a token this API gave for country " + country + " (take the"
                    + " next page's address from the Link header): " + notOurs.getMessage());
        }
        return found.map(result -> {
            RestResponse.ResponseBuilder<List<StoredUser>> answer = RestResponse.ResponseBuilder.ok(result.users());
            if (result.next() != null) {
                answer.links(Link.fromUri(request.getRequestUriBuilder().replaceQueryParam("page", result.next()).build())
                        .rel("next").build());
            }
            return answer.build();
        });
    }
}
