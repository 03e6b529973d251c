package io.userpipeline.randomuser;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The API's answers as bytes: what a randomuser.me-compatible server sends, and how the ingestor reads it.
 * Reading is lenient about fields it does not know, since the API adds fields and {@code inc}/{@code exc}
 * remove them.
 */
public final class RandomUserJson {

    /** The API version whose shape {@link RandomUserProfile} is. */
    public static final String API_VERSION = "1.4";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RandomUserJson() {
    }

    /** A response in the API's shape: {@code {"results":[…],"info":{"seed":…,"results":…,"page":…,"version":"1.4"}}}. */
    public static byte[] response(List<RandomUserProfile> profiles, String seed, int page) {
        RandomUserProfile.Response response = new RandomUserProfile.Response(profiles,
                new RandomUserProfile.Info(seed, profiles.size(), page, API_VERSION), null);
        try {
            return MAPPER.writeValueAsBytes(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A generated response cannot be written as JSON", e);
        }
    }

    /**
     * @throws IOException when the bytes are not JSON or not of the response's shape; Jackson's message says where
     */
    public static RandomUserProfile.Response readResponse(byte[] json) throws IOException {
        return MAPPER.readValue(json, RandomUserProfile.Response.class);
    }
}
