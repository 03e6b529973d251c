package io.userpipeline.processor.validate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record as the tutorial producers write it ({@code format_data} of one randomuser.me profile, then
 * {@code json.dumps}): every field text except {@code post_code}, which is the API's number or text; the address
 * one string ({@code "<number> <street>, <city>, <state>, <country>"}); dates as the API's ISO-8601 instants.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record TutorialUserRecord(
        String id,
        @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName,
        String gender,
        String address,
        @JsonProperty("post_code") JsonNode postCode,
        String email,
        String username,
        String dob,
        @JsonProperty("registered_date") String registeredDate,
        String phone,
        String picture) {
}
