package io.userpipeline.storeduser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.userpipeline.event.UserEvent;

/** What the stores hold of an event: kept as sent, normalised or derived, and the same on every replay. No servers. */
class UserTransformerTest {

    private static final UserEvent EVENT = new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION,
            UUID.fromString("1c4a6f0e-8a52-4c1e-9d0b-5e2f8a7b3c11"), "randomuser-api",
            Instant.parse("2026-03-01T10:15:30.123456Z"), UUID.fromString("9b2e4d6f-1a3c-4e5b-8f7a-0c9d2e4f6a8b"), "Mr",
            "Hans", "Keller", "MALE", "Hans.Keller@Example.CH", "077 123 45 67", "(272) 790-0888", LocalDate.of(1990, 3, 1),
            "9 Bahnhofstrasse", "Zürich", "Zürich", "  switzerland ", "8001", "bluebird", Instant.parse("2012-12-31T23:59:59.999999Z"),
            "https://randomuser.me/api/portraits/men/1.jpg", "ch");

    @Test
    void keepsWhatPeopleTypedAsSentAndNormalisesOnlyWhatIsLossless() {
        StoredUser user = UserTransformer.toStoredUser(EVENT);

        assertThat(user.email()).isEqualTo("Hans.Keller@Example.CH");
        assertThat(user.emailDomain()).isEqualTo("example.ch");
        assertThat(user.phone()).isEqualTo("077 123 45 67");
        assertThat(user.cell()).isEqualTo("(272) 790-0888");
        assertThat(user.postcode()).isEqualTo("8001");
        assertThat(user.gender()).isEqualTo("male");
        assertThat(user.nationality()).isEqualTo("CH");
        assertThat(user.country()).isEqualTo("Switzerland");
    }

    @Test
    void keepsMillisecondsAsCassandraDoesAndDerivesFromThem() {
        StoredUser user = UserTransformer.toStoredUser(EVENT);

        assertThat(user.ingestedAt()).isEqualTo(Instant.parse("2026-03-01T10:15:30.123Z"));
        assertThat(user.registeredAt()).isEqualTo(Instant.parse("2012-12-31T23:59:59.999Z"));
        assertThat(user.registrationYear()).isEqualTo(2012);
        assertThat(user.age()).as("36 on the day of ingestion, birthday included").isEqualTo(36);
        assertThat(UserTransformer.toStoredUser(EVENT)).as("a replay").isEqualTo(user);
    }

    @ParameterizedTest
    @CsvSource({
            "1990-03-02, 2026-03-01T23:59:59Z, 35",
            "1990-03-01, 2026-03-01T00:00:00Z, 36",
            "2000-02-29, 2025-02-28T12:00:00Z, 24",
            "2000-02-29, 2025-03-01T00:00:00Z, 25",
            "2026-06-01, 2026-03-01T00:00:00Z, 0" })
    void ageIsWholeYearsAtTheIngestionDateInUtc(LocalDate born, Instant ingested, int age) {
        assertThat(UserTransformer.ageAt(born, ingested)).isEqualTo(age);
    }

    @ParameterizedTest
    @CsvSource({
            "USA, United States", "u.s.a., United States", "United States of America, United States",
            "france, France", "FRANCE, France", "Türkiye, Turkey", "turkiye, Turkey", "TURKEY, Turkey",
            "'  New   Zealand ', New Zealand", "aotearoa, New Zealand", "'Narnia  Land', Narnia Land" })
    void oneNameForEachCountryAndUnknownNamesKeptTidy(String sent, String stored) {
        assertThat(CountryNames.canonical(sent)).isEqualTo(stored);
    }
}
