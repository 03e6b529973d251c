package io.userpipeline.processor.validate;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.userpipeline.event.UserEvent;

/** What the validate package's unit tests share: the contract's validator without Quarkus, records, edited events. */
final class ValidateFixtures {

    /** The constraints' engine the processor runs, without the expression language its messages do not use. */
    static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private ValidateFixtures() {
    }

    static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp,
            TimestampType type, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, type, 0, value == null ? 0 : value.length, null,
                value, new RecordHeaders(), Optional.empty());
    }

    static ConsumerRecord<byte[], byte[]> record(long timestamp, String value) {
        return record("users_created", 0, 42, timestamp, TimestampType.CREATE_TIME, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The event with one field, named as the record component, set to another value. */
    static UserEvent with(UserEvent event, String field, Object value) {
        RecordComponent[] components = UserEvent.class.getRecordComponents();
        Object[] values = new Object[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                found |= components[i].getName().equals(field);
                values[i] = components[i].getName().equals(field) ? value : components[i].getAccessor().invoke(event);
            }
            if (!found) {
                throw new IllegalArgumentException("UserEvent has no field " + field);
            }
            return UserEvent.class.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot set " + field + " of a UserEvent", e);
        }
    }
}
