package io.userpipeline.randomuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.userpipeline.event.UserEvent;

/** How an API profile becomes the pipeline's event, field by field, as the real API writes it. No servers. */
class ProfileMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID EVENT_ID = UUID.fromString("1c4a6f0e-8a52-4c1e-9d0b-5e2f8a7b3c11");
    private static final Instant INGESTED_AT = Instant.parse("2026-03-01T10:15:30Z");

    /** A US profile as randomuser.me 1.4 answers it: numeric postcode and street number, id.value present. */
    private static final String US_PROFILE = """
            {"gender":"female","name":{"title":"Ms","first":"Jennie","last":"Nichols"},
             "location":{"street":{"number":8929,"name":"Valwood Pkwy"},"city":"Billings","state":"Michigan",
                         "country":"United States","postcode":63104,
                         "coordinates":{"latitude":"-69.8246","longitude":"134.8719"}},
             "email":"jennie.nichols@example.com",
             "login":{"uuid":"7a0eed16-9430-4d68-901f-c0d4c1c3bf00","username":"yellowpeacock117"},
             "dob":{"date":"1992-03-08T15:13:16.688Z","age":30},
             "registered":{"date":"2007-07-09T05:51:59.390Z","age":14},
             "phone":"(272) 790-0888","cell":"(489) 330-2385","id":{"name":"SSN","value":"405-88-3636"},
             "picture":{"large":"https://randomuser.me/api/portraits/women/75.jpg"},"nat":"US"}
            """;

    @Test
    void everyFieldOfARealProfileReachesTheEvent() {
        UserEvent event = ProfileMapper.toEvent(profile(US_PROFILE), EVENT_ID, "randomuser-api", INGESTED_AT);

        assertThat(event).isEqualTo(new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, EVENT_ID, "randomuser-api",
                INGESTED_AT, UUID.fromString("7a0eed16-9430-4d68-901f-c0d4c1c3bf00"), "Ms", "Jennie", "Nichols",
                "female", "jennie.nichols@example.com", "(272) 790-0888", "(489) 330-2385", LocalDate.of(1992, 3, 8),
                "8929 Valwood Pkwy", "Billings", "Michigan", "United States", "63104", "yellowpeacock117",
                Instant.parse("2007-07-09T05:51:59.390Z"), "https://randomuser.me/api/portraits/women/75.jpg", "US"));
    }

    @ParameterizedTest(name = "postcode {0} is stored as {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            63104       | 63104
            "0051"      | 0051
            "SW1A 1AA"  | SW1A 1AA
            "M5V 2T6"   | M5V 2T6
            null        | NULL
            """)
    void aPostcodeIsTheTextItWasWrittenAsWhateverItsJsonType(String postcode, String stored) {
        String json = US_PROFILE.replace("\"postcode\":63104", "\"postcode\":" + postcode);

        assertThat(ProfileMapper.toEvent(profile(json), EVENT_ID, "api", INGESTED_AT).postcode()).isEqualTo(stored);
    }

    @ParameterizedTest(name = "street {0} becomes ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            {"number":8929,"name":"Valwood Pkwy"}   | 8929 Valwood Pkwy
            {"number":"12b","name":"Rue Pasteur"}   | 12b Rue Pasteur
            {"name":"Valwood Pkwy"}                 | Valwood Pkwy
            {"number":8929}                         | 8929
            """)
    void theStreetIsItsNumberThenItsName(String street, String stored) {
        String json = US_PROFILE.replace("{\"number\":8929,\"name\":\"Valwood Pkwy\"}", street);

        assertThat(ProfileMapper.toEvent(profile(json), EVENT_ID, "api", INGESTED_AT).street()).isEqualTo(stored);
    }

    @Test
    void theDateOfBirthIsTheUtcDateOfTheInstantSent() {
        String json = US_PROFILE.replace("1992-03-08T15:13:16.688Z", "1992-03-08T23:30:00-02:00");

        assertThat(ProfileMapper.toEvent(profile(json), EVENT_ID, "api", INGESTED_AT).dateOfBirth())
                .as("23:30 at UTC-2 is the next day in UTC").isEqualTo(LocalDate.of(1992, 3, 9));
    }

    @Test
    void missingPartsStayMissingForTheProcessorToNameWhenItRefusesThem() {
        String json = """
                {"login":{"uuid":"7a0eed16-9430-4d68-901f-c0d4c1c3bf00"},"email":"a@example.com"}""";

        UserEvent event = ProfileMapper.toEvent(profile(json), EVENT_ID, "api", INGESTED_AT);

        assertThat(event.userId()).isEqualTo(UUID.fromString("7a0eed16-9430-4d68-901f-c0d4c1c3bf00"));
        assertThat(event.email()).isEqualTo("a@example.com");
        assertThat(event).extracting(UserEvent::firstName, UserEvent::street, UserEvent::postcode,
                UserEvent::dateOfBirth, UserEvent::registeredAt, UserEvent::pictureUrl, UserEvent::username)
                .containsOnlyNulls();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no login.uuid          | "uuid":"7a0eed16-9430-4d68-901f-c0d4c1c3bf00" | "uuid":null       | login.uuid is missing
            login.uuid not a UUID  | "uuid":"7a0eed16-9430-4d68-901f-c0d4c1c3bf00" | "uuid":"user-42"  | login.uuid 'user-42' is not a UUID
            dob.date not a date    | "1992-03-08T15:13:16.688Z"                    | "08/03/1992"      | dob.date '08/03/1992' is not an ISO-8601 instant
            registered not a date  | "2007-07-09T05:51:59.390Z"                    | "yesterday"       | registered.date 'yesterday' is not an ISO-8601 instant
            postcode an object     | "postcode":63104                              | "postcode":{"a":1} | location.postcode: expected a whole number or text
            street number a float  | "number":8929                                 | "number":89.5     | location.street.number: expected a whole number or text
            """)
    void aProfileThatCannotBecomeAnEventIsRefusedNamingTheFieldAndValue(String why, String sent, String replacement,
            String message) {
        RandomUserProfile profile = profile(US_PROFILE.replace(sent, replacement));

        assertThatThrownBy(() -> ProfileMapper.toEvent(profile, EVENT_ID, "api", INGESTED_AT)).as(why)
                .isInstanceOf(ProfileMapper.UnmappableProfileException.class).hasMessageContaining(message);
    }

    private static RandomUserProfile profile(String json) {
        try {
            return JSON.readValue(json.getBytes(StandardCharsets.UTF_8), RandomUserProfile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
