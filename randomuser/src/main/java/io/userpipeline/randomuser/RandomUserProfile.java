package io.userpipeline.randomuser;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One profile in the shape randomuser.me returns (API 1.4), field for field in the API's order, and the shape
 * {@link RandomUserGenerator} produces. Every part may be null: real responses leave fields out or null, and
 * which fields are present depends on the request's {@code inc}/{@code exc} parameters.
 * <p>
 * The street number and the postcode are whatever JSON scalar the API sent: the street number is a number, the
 * postcode a number for some nationalities ({@code 63104}) and text for others ({@code "SW1A 1AA"}). They are
 * kept as sent so that a profile written back out is the bytes the API would have written; {@link #text}
 * reads them as text.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RandomUserProfile(
        String gender,
        Name name,
        Location location,
        String email,
        Login login,
        DateAndAge dob,
        DateAndAge registered,
        String phone,
        String cell,
        Id id,
        Picture picture,
        String nat) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Name(String title, String first, String last) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Location(Street street, String city, String state, String country, JsonNode postcode) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Street(JsonNode number, String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Login(String uuid, String username) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DateAndAge(String date, Integer age) {
    }

    /** A national identifier; its value is null for nationalities the API has no format for. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Id(String name, String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Picture(String large, String medium, String thumbnail) {
    }

    /** A whole API response: {@code results} and {@code info}, or {@code error} when the API refuses the request. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(List<RandomUserProfile> results, Info info, String error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Info(String seed, Integer results, Integer page, String version) {
    }

    /**
     * A scalar as text: {@code 63104} and {@code "63104"} both read {@code "63104"}; JSON null or absent is null.
     *
     * @throws IllegalArgumentException for a value that is neither a whole number nor text (true, 1.5, an object)
     */
    public static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual() || value.isIntegralNumber()) {
            return value.asText();
        }
        throw new IllegalArgumentException("expected a whole number or text, found " + value);
    }
}
