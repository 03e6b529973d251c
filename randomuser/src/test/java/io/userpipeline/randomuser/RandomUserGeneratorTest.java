package io.userpipeline.randomuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The generator against the formats of randomuser.me's own generator (its v1.4 {@code inject.js} files, quoted
 * per nationality as patterns), and against the quirks real profiles have.
 */
class RandomUserGeneratorTest {

    private static final List<RandomUserProfile> PROFILES = new RandomUserGenerator(7).profiles(0, 21_000);

    /** Phone, then cell, as each nationality's inject.js builds them. */
    private static final Map<Nationality, List<String>> PHONE_FORMATS = new EnumMap<>(Map.ofEntries(
            Map.entry(Nationality.AU, List.of("0\\d-\\d{4}-\\d{4}", "04\\d{2}-\\d{3}-\\d{3}")),
            Map.entry(Nationality.BR, List.of("\\(\\d{2}\\) \\d{4}-\\d{4}", "\\(\\d{2}\\) \\d{4}-\\d{4}")),
            Map.entry(Nationality.CA, List.of("[A-Z]\\d{2} [A-Z]\\d{2}-\\d{4}", "[A-Z]\\d{2} [A-Z]\\d{2}-\\d{4}")),
            Map.entry(Nationality.CH, List.of("07[5-9] \\d{3} \\d{2} \\d{2}", "07[5-9] \\d{3} \\d{2} \\d{2}")),
            Map.entry(Nationality.DE, List.of("0\\d{3}-\\d{7}", "017\\d-\\d{7}")),
            Map.entry(Nationality.DK, List.of("\\d{8}", "\\d{8}")),
            Map.entry(Nationality.ES, List.of("9\\d{2}-\\d{3}-\\d{3}", "6\\d{2}-\\d{3}-\\d{3}")),
            Map.entry(Nationality.FI, List.of("0[2-9]-\\d{3}-\\d{3}", "04\\d-\\d{3}-\\d{2}-\\d{2}")),
            Map.entry(Nationality.FR, List.of("0[1-5](-\\d{2}){4}", "06(-\\d{2}){4}")),
            Map.entry(Nationality.GB, List.of("0[12]\\d{1,5} \\d{3,6}( \\d{4})?", "07\\d{3} \\d{6}")),
            Map.entry(Nationality.IE, List.of("0[1-7]1-\\d{3}-\\d{4}", "081-\\d{3}-\\d{4}")),
            Map.entry(Nationality.IN, List.of("[789]\\d{9}", "[789]\\d{9}")),
            Map.entry(Nationality.IR, List.of("0\\d{2}-\\d{8}", "09\\d{2}-\\d{3}-\\d{4}")),
            Map.entry(Nationality.MX, List.of("\\(6\\d{2}\\) \\d{3} \\d{4}", "\\(6\\d{2}\\) \\d{3} \\d{4}")),
            Map.entry(Nationality.NL, List.of("\\(\\d{3}\\)-\\d{3}-\\d{4}", "\\(\\d{3}\\)-\\d{3}-\\d{4}")),
            Map.entry(Nationality.NO, List.of("[235678]\\d{7}", "[49]\\d{7}")),
            Map.entry(Nationality.NZ, List.of("\\(\\d{3}\\)-\\d{3}-\\d{4}", "\\(\\d{3}\\)-\\d{3}-\\d{4}")),
            Map.entry(Nationality.RS, List.of("0[123]\\d-\\d{4}-\\d{3}", "06\\d-\\d{4}-\\d{3}")),
            Map.entry(Nationality.TR, List.of("\\(\\d{3}\\)-\\d{3}-\\d{4}", "\\(\\d{3}\\)-\\d{3}-\\d{4}")),
            Map.entry(Nationality.UA, List.of("\\(0(66|67|68|96|97|98|99)\\) [A-Z]\\d{2}-\\d{4}",
                    "\\(0(66|67|68|96|97|98|99)\\) [A-Z]\\d{2}-\\d{4}")),
            Map.entry(Nationality.US, List.of("\\([2-9]\\d{2}\\) [2-9]\\d{2}-\\d{4}", "\\([2-9]\\d{2}\\) [2-9]\\d{2}-\\d{4}"))));

    private static final Set<Nationality> TEXT_POSTCODES = Set.of(Nationality.CA, Nationality.GB, Nationality.NO);
    private static final Set<Nationality> WITHOUT_ID = Set.of(Nationality.IR, Nationality.NZ, Nationality.TR, Nationality.UA);

    @Test
    void theSameSeedGivesTheSameProfilesAndAnotherSeedOtherPeople() {
        assertThat(new RandomUserGenerator(7).profiles(0, 500)).isEqualTo(PROFILES.subList(0, 500));
        assertThat(new RandomUserGenerator(7).profile(20_999)).isEqualTo(PROFILES.get(20_999));
        Set<String> otherSeed = new RandomUserGenerator(8).profiles(0, 500).stream().map(p -> p.login().uuid())
                .collect(Collectors.toSet());
        assertThat(PROFILES.subList(0, 500)).noneMatch(p -> otherSeed.contains(p.login().uuid()));
        assertThat(PROFILES.stream().map(p -> p.login().uuid()).distinct()).hasSize(PROFILES.size());
    }

    @Test
    void everyNationalityHasTheApisFormats() {
        Map<Nationality, List<RandomUserProfile>> byNat = PROFILES.stream()
                .collect(Collectors.groupingBy(p -> Nationality.valueOf(p.nat())));
        assertThat(byNat.keySet()).containsExactlyInAnyOrder(Nationality.values());
        byNat.forEach((nat, profiles) -> {
            for (RandomUserProfile p : profiles) {
                assertThat(p.phone()).as("%s phone", nat).matches(PHONE_FORMATS.get(nat).get(0));
                assertThat(p.cell()).as("%s cell", nat).matches(PHONE_FORMATS.get(nat).get(1));
                assertThat(p.location().country()).isEqualTo(nat.country());
                assertThat(p.location().postcode().isTextual()).as("%s postcode %s is text", nat, p.location().postcode())
                        .isEqualTo(TEXT_POSTCODES.contains(nat));
                assertThat(p.location().street().number().isInt()).isTrue();
                assertThat(p.id().value() == null).as("%s id.value is null", nat).isEqualTo(WITHOUT_ID.contains(nat));
                assertThat(p.dob().date()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z")
                        .isBetween("1944-08-25", "2001-05-29");
                assertThat(p.registered().date()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z")
                        .isBetween("2002-03-21", "2022-05-24");
                assertThat(p.email()).endsWith("@example.com").doesNotContain(" ");
            }
        });
        assertThat(byNat.get(Nationality.CA)).allMatch(p -> p.location().postcode().asText().matches("[A-Z]\\d[A-Z] \\d[A-Z]\\d"));
        assertThat(byNat.get(Nationality.NO)).anyMatch(p -> p.location().postcode().asText().startsWith("0"));
        assertThat(byNat.get(Nationality.AU)).allMatch(p -> p.location().postcode().asInt() >= 200 && p.location().postcode().asInt() <= 9999);
        assertThat(byNat.get(Nationality.CH)).allMatch(p -> p.name().title().matches("Monsieur|Madame|Mademoiselle"));
        assertThat(byNat.get(Nationality.FI)).allMatch(p -> p.id().value().matches("NaNNA\\d{3}undefined"));
    }

    @Test
    void theQuirksOfRealProfilesAreThere() {
        assertThat(count(p -> p.name().first().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC)))
                .as("names in Persian script").isPositive();
        assertThat(count(p -> p.email().contains(".."))).as("e-mails with consecutive dots").isPositive();
        assertThat(count(p -> p.email().contains("'"))).as("e-mails with apostrophes").isPositive();
        assertThat(count(p -> p.location().street().name().endsWith(" "))).as("streets with trailing spaces").isPositive();
        assertThat(count(p -> p.location().city().contains(","))).as("cities with commas").isPositive();
        assertThat(count(p -> p.location().street().name().isEmpty())).as("empty street names").isPositive();
        assertThat(count(p -> p.phone().matches(".*[A-Z].*"))).as("phones with letters").isPositive();
        assertThat(count(p -> p.location().postcode().isInt())).as("numeric postcodes").isGreaterThan(PROFILES.size() / 2);
        assertThat(count(p -> p.name().last().chars().anyMatch(c -> c > 127))).as("last names beyond ASCII").isPositive();
    }

    @Test
    void theApisBytesReadBackAsTheSameProfilesWithTheirJsonTypes() throws Exception {
        List<RandomUserProfile> page = PROFILES.subList(0, 2_000);
        byte[] json = RandomUserJson.response(page, "abc", 3);

        RandomUserProfile.Response read = RandomUserJson.readResponse(json);

        assertThat(read.results()).isEqualTo(page);
        assertThat(read.info()).isEqualTo(new RandomUserProfile.Info("abc", 2_000, 3, "1.4"));
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"postcode\":" + page.stream().filter(p -> p.location().postcode().isInt())
                .findFirst().orElseThrow().location().postcode().asInt() + "}");
        assertThat(text).contains("\"id\":{\"name\":\"\",\"value\":null}");
    }

    private static long count(Predicate<RandomUserProfile> quirk) {
        return PROFILES.stream().filter(quirk).count();
    }
}
