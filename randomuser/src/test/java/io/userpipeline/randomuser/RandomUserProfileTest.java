package io.userpipeline.randomuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class RandomUserProfileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPostcodeOrStreetNumberIsTheTextItWasWrittenAs() throws Exception {
        assertThat(RandomUserProfile.text(JSON.readTree("63104"))).isEqualTo("63104");
        assertThat(RandomUserProfile.text(JSON.readTree("\"0051\""))).isEqualTo("0051");
        assertThat(RandomUserProfile.text(JSON.readTree("\"SW1A 1AA\""))).isEqualTo("SW1A 1AA");
        assertThat(RandomUserProfile.text(JSON.readTree("null"))).isNull();
        assertThat(RandomUserProfile.text(null)).isNull();
    }

    @Test
    void aValueThatIsNoWholeNumberNorTextIsRefused() {
        for (String json : new String[] { "631.04", "true", "{\"zip\":1}", "[1]" }) {
            assertThatThrownBy(() -> RandomUserProfile.text(JSON.readTree(json))).as(json)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number or text");
        }
    }
}
