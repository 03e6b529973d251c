package io.userpipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's rules on single values, with the engine the processor runs: what real sources send is accepted,
 * and each rule refuses what it exists to refuse. The processor's integration tests check the reasons on the wire.
 */
class UserEventConstraintsTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private static Set<String> violatedFields(UserEvent event) {
        return VALIDATOR.validate(event).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString)
                .collect(Collectors.toSet());
    }

    /** The sample event with one text field replaced. */
    private static UserEvent with(String field, String value) {
        UserEvent e = UserEventJsonTest.sample();
        return new UserEvent(e.schemaVersion(), e.eventId(), e.source(), e.ingestedAt(), e.userId(), e.title(),
                field.equals("firstName") ? value : e.firstName(),
                field.equals("lastName") ? value : e.lastName(), e.gender(),
                field.equals("email") ? value : e.email(),
                field.equals("phone") ? value : e.phone(),
                field.equals("cell") ? value : e.cell(), e.dateOfBirth(),
                field.equals("street") ? value : e.street(),
                field.equals("city") ? value : e.city(),
                field.equals("state") ? value : e.state(), e.country(),
                field.equals("postcode") ? value : e.postcode(), e.username(), e.registeredAt(),
                e.pictureUrl(), e.nationality());
    }

    /** Values the randomuser.me generator emits (its v1.4 source, nationality by nationality). */
    static Stream<Arguments> realValues() {
        return Stream.of(
                Arguments.of("email", "hansd..keller@example.com"),
                Arguments.of("email", "آرمیتا.یاسمی@example.com"),
                Arguments.of("email", "Jennie.Nichols@Example.COM"),
                Arguments.of("email", "o'brien.aoife@example.com"),
                Arguments.of("phone", "M12 M77-6122"),
                Arguments.of("phone", "(272) 790-0888"),
                Arguments.of("phone", "015394 44955"),
                Arguments.of("phone", "+41 79 123 45 67"),
                Arguments.of("cell", "0930-735-8218"),
                Arguments.of("phone", "081-123 45 67"),
                Arguments.of("firstName", "آرمیتا"),
                Arguments.of("lastName", "Дячук"),
                Arguments.of("lastName", "Đorđević"),
                Arguments.of("lastName", "O'Connor-Smith"),
                Arguments.of("city", "Лисичанськ"),
                Arguments.of("postcode", "SW1A 1AA"),
                Arguments.of("postcode", "63104"),
                Arguments.of("state", "Sistan and Baluchestan"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("realValues")
    void valuesRealSourcesSendAreAccepted(String field, String value) {
        assertThat(violatedFields(with(field, value))).isEmpty();
    }

    static Stream<Arguments> refusedValues() {
        return Stream.of(
                Arguments.of("email", "not-an-email"),
                Arguments.of("email", "someone@localhost"),
                Arguments.of("email", "two@at@example.com"),
                Arguments.of("email", "has space@example.com"),
                Arguments.of("email", "@example.com"),
                Arguments.of("email", "x".repeat(250) + "@example.com"),
                Arguments.of("phone", "call me maybe"),
                Arguments.of("phone", "1; DROP KEYSPACE user_pipeline"),
                Arguments.of("phone", "$$ DROP $$"),
                Arguments.of("phone", "1".repeat(33)),
                Arguments.of("cell", "<b>5</b>"),
                Arguments.of("phone", " "),
                Arguments.of("firstName", " "),
                Arguments.of("firstName", "A".repeat(101)),
                Arguments.of("street", "S".repeat(201)),
                Arguments.of("city", ""),
                Arguments.of("postcode", "1".repeat(21)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("refusedValues")
    void eachRuleRefusesWhatItExistsFor(String field, String value) {
        assertThat(violatedFields(with(field, value))).containsExactly(field);
    }

    @Test
    void aSampleOfTheContractIsValid() {
        assertThat(violatedFields(UserEventJsonTest.sample())).isEmpty();
    }
}
