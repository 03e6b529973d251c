package io.userpipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonMappingException;

class UserEventJsonTest {

    static UserEvent sample() {
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, UUID.fromString("0b9c8f0e-7f55-4f5e-9a60-2f1f4c1f6a01"),
                "generator", Instant.parse("2026-11-21T08:00:00Z"), UUID.fromString("6f1c5c2e-3a1d-4d0a-b8f7-7a2c9e4d1b55"),
                "Ms", "Ayşe", "Öztürk", "female", "ayse.ozturk@example.com", "(542)-123-4567", "(533)-765-4321",
                LocalDate.parse("1990-05-17"), "4512 Atatürk Cd", "İzmir", "İzmir", "Turkey", "35220",
                "bluebird512", Instant.parse("2012-03-04T10:11:12Z"), "https://example.com/p/1.jpg", "TR");
    }

    @Test
    void writesAndReadsBackTheSameEvent() throws Exception {
        UserEvent event = sample();

        byte[] json = UserEventJson.write(event);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .startsWith("{\"schemaVersion\":1,\"eventId\":\"0b9c8f0e-7f55-4f5e-9a60-2f1f4c1f6a01\"")
                .contains("\"dateOfBirth\":\"1990-05-17\"", "\"registeredAt\":\"2012-03-04T10:11:12Z\"")
                .doesNotContain("registeredNotBeforeBirth");
        assertThat(UserEventJson.read(json)).isEqualTo(event);
    }

    @Test
    void toleratesFieldsAddedByNewerProducers() throws Exception {
        String json = new String(UserEventJson.write(sample()), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"loyaltyTier\":\"gold\",");

        assertThat(UserEventJson.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(sample());
    }

    @Test
    void rejectsANumberWhereTextIsExpectedNamingTheField() {
        String json = new String(UserEventJson.write(sample()), StandardCharsets.UTF_8)
                .replace("\"firstName\":\"Ayşe\"", "\"firstName\":42");

        assertThatThrownBy(() -> UserEventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(JsonMappingException.class,
                        e -> assertThat(e.getPath().get(0).getFieldName()).isEqualTo("firstName"));
    }

    @Test
    void rejectsAnUnparseableDateNamingTheField() {
        String json = new String(UserEventJson.write(sample()), StandardCharsets.UTF_8)
                .replace("\"1990-05-17\"", "\"17/05/1990\"");

        assertThatThrownBy(() -> UserEventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(JsonMappingException.class,
                        e -> assertThat(e.getPath().get(0).getFieldName()).isEqualTo("dateOfBirth"));
    }

    @Test
    void serializerWritesTheWireFormat() throws Exception {
        try (UserEventSerializer serializer = new UserEventSerializer()) {
            assertThat(UserEventJson.read(serializer.serialize("user-profiles", sample()))).isEqualTo(sample());
            assertThat(serializer.serialize("user-profiles", null)).isNull();
        }
    }
}
