package io.userpipeline.processor.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.userpipeline.processor.deadletter.DeadLetterPublisher;
import io.userpipeline.processor.observe.PipelineActivity;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.processor.store.StoreWrites;
import io.userpipeline.processor.transform.StoredUser;
import io.userpipeline.processor.transform.UserTransformer;
import io.userpipeline.processor.validate.DecodedRecord;
import io.userpipeline.processor.validate.InputFormat;
import io.userpipeline.processor.validate.RecordDecoder;
import io.userpipeline.processor.validate.Rejection;

/**
 * One consumed batch, start to end: validate every record, transform the valid ones, then write them to
 * Cassandra and PostgreSQL and the rejected ones to the dead-letter topic, all three in parallel. The returned
 * {@link Uni} completes only when every write has succeeded; only then is the batch acknowledged and its offsets
 * committed.
 */
@ApplicationScoped
public class UserBatchProcessor {

    private static final Logger LOG = Logger.getLogger(UserBatchProcessor.class);

    private final RecordDecoder decoder;
    private final CassandraUserStore cassandra;
    private final PostgresUserStore postgres;
    private final DeadLetterPublisher deadLetters;
    private final StoreWrites writes;
    private final MeterRegistry registry;
    private final PipelineActivity activity;
    private final DistributionSummary batchSizes;
    private final Timer eventToStored;

    UserBatchProcessor(RecordDecoder decoder, CassandraUserStore cassandra, PostgresUserStore postgres,
            DeadLetterPublisher deadLetters, StoreWrites writes, MeterRegistry registry, PipelineActivity activity) {
        this.decoder = decoder;
        this.cassandra = cassandra;
        this.postgres = postgres;
        this.deadLetters = deadLetters;
        this.writes = writes;
        this.registry = registry;
        this.activity = activity;
        this.batchSizes = DistributionSummary.builder("processor.batch.size").baseUnit("records")
                .description("Records per consumed batch").publishPercentileHistogram().register(registry);
        this.eventToStored = Timer.builder("processor.event.to.stored.latency")
                .description("From the event's ingestion to the end of its writes in both stores")
                .publishPercentileHistogram().register(registry);
    }

    public Uni<Void> process(InputFormat format, ConsumerRecords<byte[], byte[]> records) {
        // Decoding and validation are CPU work: off the event loop.
        return Uni.createFrom().item(() -> decode(format, records))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(this::write);
    }

    private Batch decode(InputFormat format, ConsumerRecords<byte[], byte[]> records) {
        Map<UUID, StoredUser> newestPerUser = new LinkedHashMap<>();
        List<DecodedRecord.Invalid> rejected = new ArrayList<>();
        String topic = null;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            topic = record.topic();
            try {
                switch (decoder.decode(format, record)) {
                    case DecodedRecord.Valid valid -> {
                        StoredUser user = UserTransformer.toStoredUser(valid.event());
                        // One upsert statement cannot touch a row twice; the newest event of a user is the one to keep.
                        newestPerUser.merge(user.userId(), user,
                                (kept, next) -> next.ingestedAt().isBefore(kept.ingestedAt()) ? kept : next);
                    }
                    case DecodedRecord.Invalid invalid -> rejected.add(invalid);
                }
            } catch (RuntimeException bug) {
                // A record this code cannot handle must not stop the pipeline: it goes where people will look.
                LOG.errorf(bug, "Processing %s-%d@%d failed unexpectedly; it is dead-lettered as %s. Please report this"
                        + " with the record.", record.topic(), record.partition(), record.offset(), Rejection.PROCESSING_ERROR);
                rejected.add(new DecodedRecord.Invalid(record, Rejection.of(Rejection.PROCESSING_ERROR, null, bug.toString()),
                        null));
            }
        }
        batchSizes.record(records.count());
        Counter.builder("processor.records.consumed").tag("topic", topic).description("Records consumed")
                .register(registry).increment(records.count());
        return new Batch(topic, records.count(), describe(records), List.copyOf(newestPerUser.values()), rejected);
    }

    private Uni<Void> write(Batch batch) {
        long started = System.nanoTime();
        String what = batch.valid().size() + " users of " + batch.origin();
        Uni<Void> toCassandra = batch.valid().isEmpty() ? Uni.createFrom().voidItem()
                : writes.untilWritten(CassandraUserStore.STORE, batch.topic(), what, () -> cassandra.write(batch.valid()));
        Uni<Void> toPostgres = batch.valid().isEmpty() ? Uni.createFrom().voidItem()
                : writes.untilWritten(PostgresUserStore.STORE, batch.topic(), what, () -> postgres.write(batch.valid()));
        Uni<Void> toDeadLetters = batch.rejected().isEmpty() ? Uni.createFrom().voidItem()
                : writes.untilWritten(DeadLetterPublisher.TARGET, batch.topic(), batch.rejected().size()
                        + " rejected records of " + batch.origin(), () -> deadLetters.publish(batch.rejected()));
        return Uni.combine().all().unis(toCassandra, toPostgres, toDeadLetters).discardItems()
                .invoke(() -> account(batch, Duration.ofNanos(System.nanoTime() - started)));
    }

    private void account(Batch batch, Duration took) {
        Instant now = Instant.now();
        for (StoredUser user : batch.valid()) {
            eventToStored.record(Duration.between(user.ingestedAt(), now));
        }
        activity.stored(batch.valid(), now);
        registry.counter("processor.records.stored", "store", CassandraUserStore.STORE).increment(batch.valid().size());
        registry.counter("processor.records.stored", "store", PostgresUserStore.STORE).increment(batch.valid().size());
        Map<String, Integer> reasons = new TreeMap<>();
        for (DecodedRecord.Invalid invalid : batch.rejected()) {
            reasons.merge(invalid.rejection().reason(), 1, Integer::sum);
            LOG.debugf("Dead-lettered %s%s: %s (%s)", invalid.origin(), eventIdOf(invalid), invalid.rejection().message(),
                    invalid.rejection().reason());
        }
        reasons.forEach((reason, count) -> Counter.builder("processor.records.dead.lettered").tag("reason", reason)
                .description("Records sent to the dead-letter topic, by reason").register(registry).increment(count));
        activity.deadLettered(reasons, now);
        if (batch.rejected().isEmpty()) {
            LOG.infof("Batch %s: %d records, %d users stored in both stores in %d ms", batch.origin(), batch.size(),
                    batch.valid().size(), took.toMillis());
        } else {
            DecodedRecord.Invalid first = batch.rejected().get(0);
            LOG.warnf("Batch %s: %d records, %d users stored in both stores, %d dead-lettered %s in %d ms. First: %s %s",
                    batch.origin(), batch.size(), batch.valid().size(), batch.rejected().size(), reasons,
                    took.toMillis(), first.origin() + eventIdOf(first), first.rejection().message());
        }
    }

    private static String eventIdOf(DecodedRecord.Invalid invalid) {
        return invalid.eventId() == null ? "" : " (event " + invalid.eventId() + ")";
    }

    /** {@code topic[partition:first-last, ...]}: enough to find the batch's records again. */
    private static String describe(ConsumerRecords<byte[], byte[]> records) {
        StringBuilder out = new StringBuilder();
        records.partitions().forEach(partition -> {
            List<ConsumerRecord<byte[], byte[]>> ofPartition = records.records(partition);
            out.append(out.isEmpty() ? partition.topic() + "[" : ", ").append(partition.partition()).append(':')
                    .append(ofPartition.get(0).offset()).append('-').append(ofPartition.get(ofPartition.size() - 1).offset());
        });
        return out.append(']').toString();
    }

    private record Batch(String topic, int size, String origin, List<StoredUser> valid,
            List<DecodedRecord.Invalid> rejected) {
    }
}
