package io.userpipeline.randomuser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Samples of the API's data lists, entries exactly as in its files (trailing spaces included), with each name's
 * e-mail form as the API computes it: {@code lists.json}, made by {@code tools/extract-lists.mjs}.
 */
record Lists(Common common, Map<Nationality, OfNationality> nationalities) {

    record Common(List<String> title, List<String> user1, List<String> user2) {
    }

    record OfNationality(
            @JsonProperty("male_first") List<String> maleFirst,
            @JsonProperty("male_first_email") List<String> maleFirstEmail,
            @JsonProperty("female_first") List<String> femaleFirst,
            @JsonProperty("female_first_email") List<String> femaleFirstEmail,
            List<String> last,
            @JsonProperty("last_email") List<String> lastEmail,
            List<String> street,
            List<String> cities,
            List<String> states,
            @JsonProperty("post_codes") List<String> postCodes) {
    }

    private static final String RESOURCE = "lists.json";

    static Lists load() {
        try (InputStream in = Lists.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + Lists.class.getName());
            }
            Lists lists = new ObjectMapper().readerFor(Lists.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(in);
            for (Nationality nat : Nationality.values()) {
                if (!lists.nationalities().containsKey(nat)) {
                    throw new IllegalStateException(RESOURCE + " has no lists for " + nat + ": run tools/extract-lists.mjs again");
                }
            }
            return new Lists(lists.common(), new EnumMap<>(lists.nationalities()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    OfNationality of(Nationality nat) {
        return nationalities.get(nat);
    }

    /** Women's titles; every man is "Mr" (the Swiss have their own, see {@link Nationality}). */
    List<String> titles() {
        return common.title();
    }

    List<String> usernameFirstWords() {
        return common.user1();
    }

    List<String> usernameSecondWords() {
        return common.user2();
    }
}
