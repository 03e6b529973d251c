package io.userpipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Size;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract's rules on single values, with the engine the processor runs: what real sources send is accepted,
 * and each rule refuses what it exists to refuse. The processor's integration tests check the reasons on the wire.
 */
class UserEventConstraintsTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    /** The length limit of every text field, as the stores' columns and the README state them. */
    private static final Map<String, Integer> LIMITS = Map.ofEntries(Map.entry("source", 64), Map.entry("title", 32),
            Map.entry("firstName", 100), Map.entry("lastName", 100), Map.entry("email", 254), Map.entry("phone", 32),
            Map.entry("cell", 32), Map.entry("street", 200), Map.entry("city", 100), Map.entry("state", 100),
            Map.entry("country", 100), Map.entry("postcode", 20), Map.entry("username", 100),
            Map.entry("pictureUrl", 500), Map.entry("nationality", 2));

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private static Set<String> violatedFields(UserEvent event) {
        return VALIDATOR.validate(event).stream().map(ConstraintViolation::getPropertyPath).map(Object::toString)
                .collect(Collectors.toSet());
    }

    /** The sample event with one field replaced. */
    private static UserEvent with(String field, Object value) {
        RecordComponent[] components = UserEvent.class.getRecordComponents();
        UserEvent sample = UserEventJsonTest.sample();
        Object[] values = Arrays.stream(components).map(c -> c.getName().equals(field) ? value : read(c, sample)).toArray();
        assertThat(Arrays.stream(components).map(RecordComponent::getName)).as("fields").contains(field);
        try {
            return UserEvent.class.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(RecordComponent component, UserEvent event) {
        try {
            return component.getAccessor().invoke(event);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Values real sources send: randomuser.me's generator (its v1.4 source: CA and UA phones with letters, e-mails
     * built from names, Persian names, GB and NO postcodes) and producers of international formats.
     */
    static Stream<Arguments> realValues() {
        return Stream.of(
                Arguments.of("email", "hansd..keller@example.com"),
                Arguments.of("email", "o'connor.omer@example.com"),
                Arguments.of("email", "آرمیتا.یاسمی@example.com"),
                Arguments.of("email", "Jennie.Nichols@Example.COM"),
                Arguments.of("phone", "M12 M77-6122"),
                Arguments.of("cell", "(066) K12-3456"),
                Arguments.of("phone", "(272) 790-0888"),
                Arguments.of("phone", "015394 44955"),
                Arguments.of("cell", "0930-735-8218"),
                Arguments.of("phone", "+41 79 123 45 67"),
                Arguments.of("phone", "1-800-FLOWERS ext. 12"),
                Arguments.of("firstName", "آرمیتا"),
                Arguments.of("lastName", "Đorđević"),
                Arguments.of("lastName", "O'Connor-Smith"),
                Arguments.of("city", "Ulsted, Hals"),
                Arguments.of("state", "سیستان و بلوچستان"),
                Arguments.of("postcode", "SW1A 1AA"),
                Arguments.of("postcode", "0051"),
                Arguments.of("postcode", "63104"));
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
                Arguments.of("phone", "call me maybe"),
                Arguments.of("phone", "1; DROP KEYSPACE user_pipeline"),
                Arguments.of("phone", "$$ DROP $$"),
                Arguments.of("cell", "<b>5</b>"),
                Arguments.of("gender", "robot"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("refusedValues")
    void eachFormatRuleRefusesWhatItExistsFor(String field, String value) {
        assertThat(violatedFields(with(field, value))).containsExactly(field);
    }

    static Stream<Arguments> limits() {
        return LIMITS.entrySet().stream().map(limit -> Arguments.of(limit.getKey(), limit.getValue()));
    }

    /** One character over the limit is refused; a value of the limit's length breaks no length rule. */
    @ParameterizedTest(name = "{0} at most {1}")
    @MethodSource("limits")
    void everyTextFieldHasItsLengthLimit(String field, int limit) {
        assertThat(violatedFields(with(field, "7".repeat(limit + 1)))).containsExactly(field);
        assertThat(VALIDATOR.validate(with(field, "7".repeat(limit))))
                .noneMatch(v -> v.getConstraintDescriptor().getAnnotation() instanceof Size);
    }

    @ParameterizedTest
    @ValueSource(strings = { "source", "firstName", "lastName", "gender", "email", "phone", "street", "city", "country",
            "username" })
    void requiredTextMustNotBeBlank(String field) {
        assertThat(violatedFields(with(field, " "))).containsExactly(field);
        assertThat(violatedFields(with(field, null))).containsExactly(field);
    }

    @ParameterizedTest
    @ValueSource(strings = { "title", "cell", "state", "postcode", "pictureUrl", "nationality" })
    void optionalTextMayBeAbsent(String field) {
        assertThat(violatedFields(with(field, null))).isEmpty();
    }

    /**
     * The format rules' patterns take time that grows faster than the text: a value over its limit must be refused
     * for its length alone, before any pattern reads it (a 60 KB phone took 14 s in the pattern).
     */
    @Test
    void anOverlongValueIsRefusedForItsLengthBeforeAnyPatternReadsIt() {
        Set<ConstraintViolation<UserEvent>> violations = VALIDATOR.validate(with("phone", "1".repeat(60_000) + "!"));

        assertThat(violations).extracting(v -> v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName())
                .containsExactly("Size");
    }

    @Test
    void aSampleOfTheContractIsValid() {
        assertThat(violatedFields(UserEventJsonTest.sample())).isEmpty();
    }
}
