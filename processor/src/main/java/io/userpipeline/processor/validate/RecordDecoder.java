package io.userpipeline.processor.validate;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Validator;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.userpipeline.event.UserEvent;
import io.userpipeline.processor.ProcessorConfig;

/**
 * Reads a record's bytes as a user event and checks it against the contract: read the format's JSON
 * ({@link JsonRecordReader}), make an event of a tutorial record ({@link TutorialRecordAdapter}), clean its text
 * ({@link TextCleaner}), apply the constraints ({@link ContractViolations}). Nothing that comes off the topic
 * makes this throw: every problem becomes a {@link Rejection} naming the field and the rule.
 */
@ApplicationScoped
public class RecordDecoder {

    private final Validator validator;
    private final JsonRecordReader reader;
    private final TutorialRecordAdapter tutorials;

    @Inject
    RecordDecoder(Validator validator, ProcessorConfig config) {
        this(validator, config.maxRecordBytes(), Clock.systemUTC());
    }

    RecordDecoder(Validator validator, int maxRecordBytes, Clock clock) {
        this.validator = validator;
        this.reader = new JsonRecordReader(maxRecordBytes);
        this.tutorials = new TutorialRecordAdapter(clock);
    }

    public DecodedRecord decode(InputFormat format, ConsumerRecord<byte[], byte[]> record) {
        UserEvent read;
        try {
            read = switch (format) {
                case USER_EVENT -> reader.readUserEvent(record.value());
                case TUTORIAL -> tutorials.toEvent(reader.readTutorial(record.value()), record);
            };
        } catch (RecordRejectedException e) {
            return new DecodedRecord.Invalid(record, e.rejection(), null);
        }
        try {
            UserEvent event = TextCleaner.clean(read);
            ContractViolations.check(validator, event);
            return new DecodedRecord.Valid(record, event);
        } catch (RecordRejectedException e) {
            return new DecodedRecord.Invalid(record, e.rejection(), read.eventId());
        }
    }
}
