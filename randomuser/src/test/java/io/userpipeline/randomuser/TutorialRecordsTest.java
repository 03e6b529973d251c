package io.userpipeline.randomuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** The bytes are those that Python 3's {@code json.dumps(format_data(res))} wrote for the same profile. */
class TutorialRecordsTest {

    private static final UUID ID = UUID.fromString("0b9c8f0e-7f55-4f5e-9a60-2f1f4c1f6a01");

    private static RandomUserProfile profile(String last, JsonNode postcode) {
        return new RandomUserProfile("female", new RandomUserProfile.Name("Ms", "آرمیتا", last),
                new RandomUserProfile.Location(new RandomUserProfile.Street(IntNode.valueOf(8929), "Rua da Paz "),
                        "Ulsted, Hals", "Troms - Romsa", "Brazil", postcode),
                "armyta.dordevic@example.com", new RandomUserProfile.Login("7a0eed16-9430-4d68-901f-c0d4c1c3bf00",
                        "yellowpeacock117"),
                new RandomUserProfile.DateAndAge("1992-03-08T15:13:16.688Z", 30),
                new RandomUserProfile.DateAndAge("2007-07-09T05:51:59.390Z", 14), "M12 M77-6122", "M12 M77-6122",
                new RandomUserProfile.Id("", null), new RandomUserProfile.Picture("l", "https://randomuser.me/api/portraits/med/women/75.jpg", "t"),
                "BR");
    }

    @Test
    void writesWhatPythonWritesWithANumericPostcode() {
        assertThat(new String(TutorialRecords.json(profile("Đorđević", IntNode.valueOf(63104)), ID), StandardCharsets.US_ASCII))
                .isEqualTo("{\"id\": \"0b9c8f0e-7f55-4f5e-9a60-2f1f4c1f6a01\", \"first_name\": \"\\u0622\\u0631\\u0645\\u06cc\\u062a\\u0627\", "
                        + "\"last_name\": \"\\u0110or\\u0111evi\\u0107\", \"gender\": \"female\", "
                        + "\"address\": \"8929 Rua da Paz , Ulsted, Hals, Troms - Romsa, Brazil\", \"post_code\": 63104, "
                        + "\"email\": \"armyta.dordevic@example.com\", \"username\": \"yellowpeacock117\", "
                        + "\"dob\": \"1992-03-08T15:13:16.688Z\", \"registered_date\": \"2007-07-09T05:51:59.390Z\", "
                        + "\"phone\": \"M12 M77-6122\", \"picture\": \"https://randomuser.me/api/portraits/med/women/75.jpg\"}");
    }

    @Test
    void writesWhatPythonWritesWithATextPostcodeAndCharactersToEscape() {
        assertThat(new String(TutorialRecords.json(profile("O\"Brien\\\t😀", TextNode.valueOf("SW1A 1AA")), ID), StandardCharsets.US_ASCII))
                .contains("\"last_name\": \"O\\\"Brien\\\\\\t\\ud83d\\ude00\"", "\"post_code\": \"SW1A 1AA\"");
    }
}
