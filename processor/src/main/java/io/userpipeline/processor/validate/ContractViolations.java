package io.userpipeline.processor.validate;

import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Size;

import io.userpipeline.event.RejectionReason;
import io.userpipeline.event.UserEvent;

/**
 * Checks an event against the contract's constraints and turns what they find into one rejection: the first
 * field at fault in the event's field order, with the others in the message. A cross-field rule is an
 * {@code @AssertTrue} method of {@link UserEvent}; the validator names its violation after the method, so each is
 * listed here with the field it judges and its reason.
 */
final class ContractViolations {

    /** The reason and field of each {@code @AssertTrue} rule, by the property name the validator reports. */
    static final Map<String, CrossFieldRule> CROSS_FIELD_RULES = Map.of(
            "bornAfterEarliestDate", new CrossFieldRule("dateOfBirth", RejectionReason.DATE_OUT_OF_RANGE),
            "registeredInRange", new CrossFieldRule("registeredAt", RejectionReason.DATE_OUT_OF_RANGE),
            "registeredNotBeforeBirth", new CrossFieldRule("registeredAt", RejectionReason.REGISTERED_BEFORE_BIRTH),
            "ingestedAfterEarliestDate", new CrossFieldRule("ingestedAt", RejectionReason.DATE_OUT_OF_RANGE),
            "ingestedInThePast", new CrossFieldRule("ingestedAt", RejectionReason.DATE_IN_FUTURE));

    private static final Map<String, Integer> FIELD_ORDER = fieldOrder();

    record CrossFieldRule(String field, RejectionReason reason) {
    }

    private ContractViolations() {
    }

    static void check(Validator validator, UserEvent event) throws RecordRejectedException {
        Set<ConstraintViolation<UserEvent>> violations = validator.validate(event);
        if (violations.isEmpty()) {
            return;
        }
        ConstraintViolation<UserEvent> first = violations.stream()
                .min(Comparator.comparing(v -> FIELD_ORDER.getOrDefault(field(v), Integer.MAX_VALUE)))
                .orElseThrow();
        String field = field(first);
        String others = violations.size() == 1 ? ""
                : " (and " + (violations.size() - 1) + " more: " + violations.stream().filter(v -> v != first)
                        .map(v -> field(v) + " " + v.getMessage()).sorted().collect(Collectors.joining("; ")) + ")";
        throw new RecordRejectedException(reason(first, field), field, field + " " + first.getMessage() + others);
    }

    private static String field(ConstraintViolation<UserEvent> violation) {
        String property = violation.getPropertyPath().toString();
        CrossFieldRule rule = CROSS_FIELD_RULES.get(property);
        return rule == null ? property : rule.field();
    }

    private static RejectionReason reason(ConstraintViolation<UserEvent> violation, String field) {
        Class<? extends Annotation> constraint = violation.getConstraintDescriptor().getAnnotation().annotationType();
        if (constraint == NotNull.class || constraint == NotBlank.class) {
            return RejectionReason.MISSING_FIELD;
        }
        if (constraint == Size.class) {
            return RejectionReason.TOO_LONG;
        }
        if (constraint == Past.class) {
            return RejectionReason.DATE_NOT_IN_PAST;
        }
        if (constraint == AssertTrue.class) {
            CrossFieldRule rule = CROSS_FIELD_RULES.get(violation.getPropertyPath().toString());
            return rule == null ? RejectionReason.INVALID_VALUE : rule.reason();
        }
        return switch (field) {
            case "gender" -> RejectionReason.INVALID_GENDER;
            case "email" -> RejectionReason.INVALID_EMAIL;
            case "phone", "cell" -> RejectionReason.INVALID_PHONE;
            default -> RejectionReason.INVALID_VALUE;
        };
    }

    private static Map<String, Integer> fieldOrder() {
        Map<String, Integer> order = new HashMap<>();
        RecordComponent[] components = UserEvent.class.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            order.put(components[i].getName(), i);
        }
        return order;
    }
}
