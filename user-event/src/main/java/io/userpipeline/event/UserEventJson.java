package io.userpipeline.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The wire format of {@link UserEvent}: UTF-8 JSON, ISO-8601 dates, camelCase names.
 * <p>
 * Reading is strict about types (a number where text is expected is an error, not a conversion), duplicate
 * fields and trailing content, so that a malformed event is rejected with the field named, and lenient about
 * unknown fields so that a newer producer
 * adding an optional field does not break an older processor.
 */
public final class UserEventJson {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private UserEventJson() {
    }

    /** The mapper settings of the wire format, for readers of other shapes that must agree with it. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        builder.addModule(new JavaTimeModule())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        builder.withCoercionConfigDefaults(config -> config
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
        return builder;
    }

    public static byte[] write(UserEvent event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("User event " + event.eventId() + " cannot be written as JSON", e);
        }
    }

    /**
     * @throws IOException when the bytes are not JSON or not of the event's shape; Jackson's exceptions name
     *                     the field ({@link com.fasterxml.jackson.databind.JsonMappingException#getPath()})
     */
    public static UserEvent read(byte[] json) throws IOException {
        return MAPPER.readValue(json, UserEvent.class);
    }
}
