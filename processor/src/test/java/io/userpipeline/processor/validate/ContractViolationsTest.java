package io.userpipeline.processor.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.beans.Introspector;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.validation.constraints.AssertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.TestUsers;

/** Each rule of the contract the validator finds broken becomes its reason and the field at fault. */
class ContractViolationsTest {

    private static final UserEvent VALID = cleaned(TestUsers.event(1));

    static Stream<Arguments> violations() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("eventId", null, RejectionReason.MISSING_FIELD),
                Arguments.of("userId", null, RejectionReason.MISSING_FIELD),
                Arguments.of("firstName", "", RejectionReason.MISSING_FIELD),
                Arguments.of("source", null, RejectionReason.MISSING_FIELD),
                Arguments.of("firstName", "A".repeat(101), RejectionReason.TOO_LONG),
                Arguments.of("nationality", "TUR", RejectionReason.TOO_LONG),
                Arguments.of("gender", "robot", RejectionReason.INVALID_GENDER),
                Arguments.of("email", "someone@localhost", RejectionReason.INVALID_EMAIL),
                Arguments.of("phone", "call me maybe", RejectionReason.INVALID_PHONE),
                Arguments.of("cell", "no digits", RejectionReason.INVALID_PHONE),
                Arguments.of("dateOfBirth", LocalDate.now().plusDays(1), RejectionReason.DATE_NOT_IN_PAST),
                Arguments.of("dateOfBirth", LocalDate.of(1850, 1, 1), RejectionReason.DATE_OUT_OF_RANGE),
                Arguments.of("registeredAt", now.plus(Duration.ofHours(1)), RejectionReason.DATE_OUT_OF_RANGE),
                Arguments.of("registeredAt", Instant.parse("1980-01-01T00:00:00Z"), RejectionReason.REGISTERED_BEFORE_BIRTH),
                Arguments.of("ingestedAt", Instant.parse("1800-01-01T00:00:00Z"), RejectionReason.DATE_OUT_OF_RANGE),
                Arguments.of("ingestedAt", now.plus(Duration.ofHours(1)), RejectionReason.DATE_IN_FUTURE));
    }

    @ParameterizedTest(name = "{0} = {1}: {2}")
    @MethodSource("violations")
    void aBrokenRuleIsItsReasonAndNamesTheField(String field, Object value, RejectionReason reason) {
        assertThatThrownBy(() -> ContractViolations.check(ValidateFixtures.VALIDATOR, ValidateFixtures.with(VALID, field, value)))
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.rejection().reason()).isEqualTo(reason.wireName());
                    assertThat(e.rejection().field()).isEqualTo(field);
                    assertThat(e.rejection().message()).startsWith(field + " ");
                });
    }

    @Test
    void aValidEventPasses() {
        assertThatCode(() -> ContractViolations.check(ValidateFixtures.VALIDATOR, VALID)).doesNotThrowAnyException();
    }

    @Test
    void theFirstFieldAtFaultInTheEventsOrderIsTheReasonAndTheOthersAreInTheMessage() {
        UserEvent twoFaults = ValidateFixtures.with(ValidateFixtures.with(VALID, "gender", "robot"), "firstName", " ");

        assertThatThrownBy(() -> ContractViolations.check(ValidateFixtures.VALIDATOR, twoFaults))
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.rejection().field()).isEqualTo("firstName");
                    assertThat(e.rejection().reason()).isEqualTo(RejectionReason.MISSING_FIELD.wireName());
                    assertThat(e.rejection().message()).contains("(and 1 more: gender ");
                });
    }

    /** A new cross-field rule without its field and reason would be reported under its method's name. */
    @Test
    void everyCrossFieldRuleOfTheContractHasItsFieldAndReason() {
        var assertTrueProperties = Arrays.stream(UserEvent.class.getMethods())
                .filter(method -> method.isAnnotationPresent(AssertTrue.class))
                .map(method -> Introspector.decapitalize(method.getName().replaceFirst("^is", "")))
                .collect(Collectors.toSet());

        assertThat(ContractViolations.CROSS_FIELD_RULES.keySet()).isEqualTo(assertTrueProperties);
        ContractViolations.CROSS_FIELD_RULES.values().forEach(rule -> assertThat(UserEvent.class.getRecordComponents())
                .as("the field %s", rule.field()).anyMatch(component -> component.getName().equals(rule.field())));
    }

    private static UserEvent cleaned(UserEvent event) {
        try {
            return TextCleaner.clean(ValidateFixtures.with(event, "eventId", UUID.randomUUID()));
        } catch (RecordRejectedException e) {
            throw new IllegalStateException(e);
        }
    }
}
