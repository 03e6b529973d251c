package io.userpipeline.ingestor.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.Test;

import io.userpipeline.event.UserEvent;
import io.userpipeline.randomuser.ProfileMapper;
import io.userpipeline.randomuser.RandomUserJson;
import io.userpipeline.randomuser.RandomUserProfile;

class ProfileGeneratorTest {

    private static List<RandomUserProfile> fetched(ProfileGenerator generator, int count) {
        return generator.fetch(count).onItem().<RandomUserProfile>disjoint().collect().asList().await().indefinitely();
    }

    @Test
    void successiveFetchesContinueTheSequence() {
        ProfileGenerator generator = new ProfileGenerator(42);
        List<RandomUserProfile> firstRun = fetched(generator, 1000);
        List<RandomUserProfile> secondRun = fetched(generator, 100);

        assertThat(firstRun).isEqualTo(fetched(new ProfileGenerator(42), 1000));
        assertThat(secondRun).containsExactlyElementsOf(
                LongStream.range(1000, 1100).mapToObj(generator::profile).toList());
    }

    /**
     * Real-format profiles of every nationality, through the mapping both sources share: every one makes an event
     * the contract accepts, and the API's bytes of a profile map to the same event as the profile itself.
     */
    @Test
    void everyRealFormatProfileMapsToAnEventTheContractAccepts() throws Exception {
        Instant now = Instant.now();
        List<RandomUserProfile> profiles = fetched(new ProfileGenerator(11), 20_000);
        List<RandomUserProfile> overTheWire = RandomUserJson.readResponse(RandomUserJson.response(profiles, "11", 1)).results();
        UUID eventId = UUID.randomUUID();

        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            Validator validator = factory.getValidator();
            Map<String, Long> refusedByField = profiles.stream()
                    .flatMap(p -> validator.validate(ProfileMapper.toEvent(p, eventId, "generator", now)).stream())
                    .collect(Collectors.groupingBy(v -> v.getPropertyPath() + " " + v.getMessage(), Collectors.counting()));
            assertThat(refusedByField).as("contract violations of mapped real-format profiles").isEmpty();
        }
        assertThat(profiles.stream().map(RandomUserProfile::nat).distinct()).hasSize(21);
        for (int i = 0; i < profiles.size(); i++) {
            UserEvent direct = ProfileMapper.toEvent(profiles.get(i), eventId, "generator", now);
            assertThat(ProfileMapper.toEvent(overTheWire.get(i), eventId, "generator", now)).isEqualTo(direct);
            assertThat(direct.userId().toString()).isEqualTo(profiles.get(i).login().uuid());
        }
    }
}
