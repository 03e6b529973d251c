package io.userpipeline.processor.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

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
import io.userpipeline.event.RejectionReason;
import io.userpipeline.processor.deadletter.DeadLetterPublisher;
import io.userpipeline.processor.observe.PipelineActivity;
import io.userpipeline.processor.store.CassandraUserStore;
import io.userpipeline.processor.store.PostgresUserStore;
import io.userpipeline.processor.store.StoreWrites;
import io.userpipeline.processor.store.StoreWrites.Refusal;
import io.userpipeline.processor.validate.DecodedRecord;
import io.userpipeline.processor.validate.InputFormat;
import io.userpipeline.processor.validate.RecordDecoder;
import io.userpipeline.processor.validate.Rejection;
import io.userpipeline.storeduser.StoredUser;
import io.userpipeline.storeduser.UserTransformer;

/**
 * One consumed batch, start to end: validate every record, transform the valid ones, then write them to
 * Cassandra and PostgreSQL and the rejected ones to the dead-letter topic, all three in parallel; the records a
 * store refuses for good are dead-lettered after them. The returned {@link Uni} completes only when every write
 * has succeeded; only then is the batch acknowledged and its offsets committed.
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

    /** The longest latency a {@link Timer} can record: {@code Duration.toNanos} overflows beyond this. */
    private static final Duration MAX_LATENCY = Duration.ofNanos(Long.MAX_VALUE);

    public Uni<Void> process(InputFormat format, ConsumerRecords<byte[], byte[]> records) {
        // Decoding and validation are CPU work: off the event loop.
        return Uni.createFrom().item(() -> decode(format, records))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(this::write);
    }

    private Batch decode(InputFormat format, ConsumerRecords<byte[], byte[]> records) {
        Map<UUID, Accepted> newestPerUser = LinkedHashMap.newLinkedHashMap(records.count());
        List<DecodedRecord.Invalid> rejected = new ArrayList<>();
        String topic = null;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            topic = record.topic();
            try {
                switch (decoder.decode(format, record)) {
                    case DecodedRecord.Valid valid -> {
                        StoredUser user = UserTransformer.toStoredUser(valid.event());
                        // One upsert statement cannot touch a row twice; the newest event of a user is the one to keep.
                        newestPerUser.merge(user.userId(), new Accepted(user, valid), (kept, next) ->
                                StoredUser.EVENT_ORDER.compare(next.user(), kept.user()) > 0 ? next : kept);
                    }
                    case DecodedRecord.Invalid invalid -> rejected.add(invalid);
                }
            } catch (RuntimeException bug) {
                // A record this code cannot handle must not stop the pipeline: it goes where people will look.
                LOG.errorf(bug, "Processing %s-%d@%d failed unexpectedly; it is dead-lettered as %s. Please report this"
                        + " with the record.", record.topic(), record.partition(), record.offset(),
                        RejectionReason.PROCESSING_ERROR.wireName());
                rejected.add(new DecodedRecord.Invalid(record, Rejection.of(RejectionReason.PROCESSING_ERROR, null, bug.toString()),
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
        Uni<List<Refusal<Accepted>>> toCassandra = store(CassandraUserStore.STORE, batch, what, cassandra::write);
        Uni<List<Refusal<Accepted>>> toPostgres = store(PostgresUserStore.STORE, batch, what, postgres::write);
        return Uni.combine().all().unis(toCassandra, toPostgres, deadLetter(batch, batch.rejected())).asTuple()
                .chain(written -> {
                    Refused refused = new Refused(written.getItem1(), written.getItem2());
                    List<DecodedRecord.Invalid> letters = refused.letters();
                    return deadLetter(batch, letters).invoke(() -> {
                        // The batch is stored: nothing after this may fail it, or it would be consumed and fail again.
                        try {
                            account(batch, refused, letters, Duration.ofNanos(System.nanoTime() - started));
                        } catch (RuntimeException bug) {
                            LOG.errorf(bug, "Batch %s is stored and acknowledged, but counting it failed: the metrics and"
                                    + " the status page miss it. Please report this with the log.", batch.origin());
                        }
                    });
                });
    }

    private Uni<List<Refusal<Accepted>>> store(String store, Batch batch, String what,
            Function<List<StoredUser>, Uni<Void>> write) {
        return batch.valid().isEmpty() ? Uni.createFrom().item(List.of())
                : writes.writeRefusingBadRecords(store, batch.topic(), what, batch.valid(), Accepted::describe,
                        accepted -> write.apply(accepted.stream().map(Accepted::user).toList()));
    }

    private Uni<Void> deadLetter(Batch batch, List<DecodedRecord.Invalid> letters) {
        return letters.isEmpty() ? Uni.createFrom().voidItem()
                : writes.untilWritten(DeadLetterPublisher.TARGET, batch.topic(), letters.size() + " rejected records of "
                        + batch.origin(), () -> deadLetters.publish(letters));
    }

    private void account(Batch batch, Refused refused, List<DecodedRecord.Invalid> refusedLetters, Duration took) {
        Instant now = Instant.now();
        Set<Accepted> refusedRecords = refused.records();
        // Records hash by their whole content: looked up only when a store did refuse some.
        List<StoredUser> storedInBoth = batch.valid().stream()
                .filter(accepted -> refusedRecords.isEmpty() || !refusedRecords.contains(accepted))
                .map(Accepted::user).toList();
        for (StoredUser user : storedInBoth) {
            eventToStored.record(latency(user.ingestedAt(), now));
        }
        activity.stored(storedInBoth, now);
        registry.counter("processor.records.stored", "store", CassandraUserStore.STORE)
                .increment(batch.valid().size() - refused.byCassandra().size());
        registry.counter("processor.records.stored", "store", PostgresUserStore.STORE)
                .increment(batch.valid().size() - refused.byPostgres().size());
        List<DecodedRecord.Invalid> deadLettered = new ArrayList<>(batch.rejected());
        deadLettered.addAll(refusedLetters);
        Map<String, Integer> reasons = new TreeMap<>();
        for (DecodedRecord.Invalid invalid : deadLettered) {
            reasons.merge(invalid.rejection().reason(), 1, Integer::sum);
            LOG.debugf("Dead-lettered %s%s: %s (%s)", invalid.origin(), eventIdOf(invalid), invalid.rejection().message(),
                    invalid.rejection().reason());
        }
        reasons.forEach((reason, count) -> Counter.builder("processor.records.dead.lettered").tag("reason", reason)
                .description("Records sent to the dead-letter topic, by reason").register(registry).increment(count));
        activity.deadLettered(reasons, now);
        if (deadLettered.isEmpty()) {
            LOG.infof("Batch %s: %d records, %d users stored in both stores in %d ms", batch.origin(), batch.size(),
                    storedInBoth.size(), took.toMillis());
        } else {
            DecodedRecord.Invalid first = deadLettered.get(0);
            LOG.warnf("Batch %s: %d records, %d users stored in both stores, %d dead-lettered %s in %d ms. First: %s %s",
                    batch.origin(), batch.size(), storedInBoth.size(), deadLettered.size(), reasons,
                    took.toMillis(), first.origin() + eventIdOf(first), first.rejection().message());
        }
    }

    /**
     * From ingestion to storage, as a {@link Timer} can take it. The contract's bounds keep real values far from
     * the limit; this keeps a value that slips past them from failing a batch that is already stored.
     */
    static Duration latency(Instant ingestedAt, Instant storedAt) {
        Duration latency = Duration.between(ingestedAt, storedAt);
        return latency.compareTo(MAX_LATENCY) > 0 ? MAX_LATENCY : latency;
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

    private record Batch(String topic, int size, String origin, List<Accepted> valid,
            List<DecodedRecord.Invalid> rejected) {
    }

    /** A valid record's user, with the record it came from: a store may still refuse it, and then it is dead-lettered. */
    private record Accepted(StoredUser user, DecodedRecord.Valid source) {
        String describe() {
            return source.origin() + " (event " + user.eventId() + ")";
        }
    }

    /** What the stores refused of a batch, each store on its own. */
    private record Refused(List<Refusal<Accepted>> byCassandra, List<Refusal<Accepted>> byPostgres) {

        Set<Accepted> records() {
            Set<Accepted> records = new HashSet<>();
            byCassandra.forEach(refusal -> records.add(refusal.item()));
            byPostgres.forEach(refusal -> records.add(refusal.item()));
            return records;
        }

        /** One dead letter per refused record, naming every store that refused it and why. */
        List<DecodedRecord.Invalid> letters() {
            Map<Accepted, List<String>> why = new LinkedHashMap<>();
            for (List<Refusal<Accepted>> byStore : List.of(byCassandra, byPostgres)) {
                byStore.forEach(refusal -> why.computeIfAbsent(refusal.item(), record -> new ArrayList<>())
                        .add(refusal.target() + " refused it: " + refusal.message()));
            }
            List<DecodedRecord.Invalid> letters = new ArrayList<>();
            why.forEach((accepted, messages) -> letters.add(new DecodedRecord.Invalid(accepted.source().record(),
                    Rejection.of(RejectionReason.STORE_REJECTED, null, String.join("; ", messages)), accepted.user().eventId())));
            return letters;
        }
    }
}
