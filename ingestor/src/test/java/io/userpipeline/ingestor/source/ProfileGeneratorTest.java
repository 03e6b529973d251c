package io.userpipeline.ingestor.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.userpipeline.event.UserEvent;

class ProfileGeneratorTest {

    private static List<RandomUserProfile> first(long seed, int count) {
        return new ProfileGenerator(seed).fetch(count).onItem().<RandomUserProfile>disjoint().collect().asList().await().indefinitely();
    }

    @Test
    void theSameSeedGivesTheSameProfiles() {
        assertThat(first(42, 500)).isEqualTo(first(42, 500));
    }

    @Test
    void anotherSeedGivesOtherProfiles() {
        Set<String> ids42 = ids(first(42, 500));
        Set<String> ids43 = ids(first(43, 500));

        assertThat(ids42).doesNotContainAnyElementsOf(ids43);
    }

    @Test
    void successiveFetchesContinueTheSequence() {
        ProfileGenerator generator = new ProfileGenerator(42);
        List<RandomUserProfile> firstRun = generator.fetch(100).onItem().<RandomUserProfile>disjoint().collect().asList().await().indefinitely();
        List<RandomUserProfile> secondRun = generator.fetch(100).onItem().<RandomUserProfile>disjoint().collect().asList().await().indefinitely();

        assertThat(firstRun).isEqualTo(first(42, 100));
        assertThat(secondRun).containsExactlyElementsOf(
                LongStream.range(100, 200).mapToObj(generator::profile).toList());
    }

    @Test
    void aThousandProfilesAreVaried() {
        List<RandomUserProfile> profiles = first(7, 1000);

        assertThat(ids(profiles)).hasSize(1000);
        assertThat(distinct(profiles, RandomUserProfile::nat)).hasSizeGreaterThanOrEqualTo(12);
        assertThat(distinct(profiles, p -> p.name().first())).hasSizeGreaterThan(100);
        assertThat(distinct(profiles, p -> p.name().last())).hasSizeGreaterThan(80);
        assertThat(distinct(profiles, p -> p.location().city())).hasSizeGreaterThan(30);
        assertThat(distinct(profiles, RandomUserProfile::gender)).containsExactlyInAnyOrder("male", "female");
        assertThat(distinct(profiles, p -> p.dob().date().substring(0, 4))).hasSizeGreaterThan(50);
        assertThat(distinct(profiles, p -> p.phone().replaceAll("[0-9]", "#"))).hasSizeGreaterThanOrEqualTo(10);
        assertThat(distinct(profiles, p -> p.location().postcode().replaceAll("[0-9]", "#").replaceAll("[A-Z]", "@")))
                .hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void everyProfileMapsToACompleteEventRegisteredAfterBirth() {
        Instant now = Instant.now();
        for (RandomUserProfile profile : first(11, 1000)) {
            UserEvent event = ProfileMapper.toEvent(profile, UUID.randomUUID(), "generator", now);

            assertThat(event.userId().toString()).isEqualTo(profile.login().uuid());
            assertThat(event.userId().version()).isEqualTo(4);
            assertThat(List.of(event.firstName(), event.lastName(), event.email(), event.phone(), event.street(),
                    event.city(), event.country(), event.postcode(), event.username(), event.nationality()))
                    .doesNotContainNull();
            assertThat(event.isRegisteredNotBeforeBirth()).isTrue();
            assertThat(event.email()).matches("[a-z]+\\.[a-z]+@example\\.com");
        }
    }

    private static Set<String> ids(List<RandomUserProfile> profiles) {
        return distinct(profiles, p -> p.login().uuid());
    }

    private static Set<String> distinct(List<RandomUserProfile> profiles, Function<RandomUserProfile, String> field) {
        return profiles.stream().map(field).collect(Collectors.toSet());
    }
}
