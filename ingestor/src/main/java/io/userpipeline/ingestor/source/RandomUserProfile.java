package io.userpipeline.ingestor.source;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One profile in the shape randomuser.me returns (API 1.4), and the shape the built-in generator produces.
 * Every part may be null: real responses leave fields out or null, and which fields are present depends on
 * the request's {@code inc}/{@code exc} parameters. Postcodes are numbers for some nationalities and text for
 * others; both read into text here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    public record Location(Street street, String city, String state, String country, String postcode) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Street(String number, String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Login(String uuid, String username) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DateAndAge(String date, Integer age) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Id(String name, String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Picture(String large, String medium, String thumbnail) {
    }

    /** A whole API response: {@code results} and {@code info}, or {@code error} when the API refuses the request. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Response(List<RandomUserProfile> results, Info info, String error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Info(String seed, Integer results, Integer page, String version) {
    }
}
