package io.userpipeline.processor.validate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A record as the tutorial producers write it: every field text, the address one string
 * ({@code "<number> <street>, <city>, <state>, <country>"}), dates in ISO-8601.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TutorialUserRecord(
        String id,
        @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName,
        String gender,
        String address,
        @JsonProperty("post_code") String postCode,
        String email,
        String username,
        String dob,
        @JsonProperty("registered_date") String registeredDate,
        String phone,
        String picture) {
}
