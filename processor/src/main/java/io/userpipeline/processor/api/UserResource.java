package io.userpipeline.processor.api;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.transform.CountryNames;
import io.userpipeline.processor.transform.StoredUser;

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
    @Operation(summary = "Users of a country (its name, e.g. France; aliases such as USA or UK are accepted)")
    @APIResponse(responseCode = "200", description = "Up to `limit` users of the country, by id")
    @APIResponse(responseCode = "400", description = "The country is missing or the limit is out of range")
    public Uni<List<StoredUser>> byCountry(
            @Parameter(description = "Country name") @QueryParam("country") @NotBlank(message = "is required, e.g. ?country=France") String country,
            @Parameter(description = "At most this many users, 1 to 1000") @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return users.findByCountry(CountryNames.canonical(country), limit);
    }
}
