package io.userpipeline.bench.ceiling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;

/**
 * How fast Kafka alone takes and gives back user events on this machine: records of the ingestor's shape (a user
 * event in its JSON wire format, keyed by the user id) produced with the ingestor's producer settings to a fresh
 * topic, then all consumed from the beginning by a plain consumer with the processor's {@code max.poll.records}.
 * <p>
 * The values are serialized before the clock starts and reused, {@value #DISTINCT_RECORDS} distinct events in
 * turn (many more than a producer batch holds, so compression sees no repeats): the figure is Kafka's, not
 * Jackson's. The topic has the broker's default partition count, as the pipeline's auto-created topic, and is
 * deleted afterwards.
 */
public final class KafkaCeiling {

    public static final int DISTINCT_RECORDS = 8192;
    /** The processor's {@code max.poll.records}. */
    public static final int MAX_POLL_RECORDS = 1000;

    private static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    /**
     * @param records            records produced, and consumed, in the measured part
     * @param averageRecordBytes key and value, uncompressed
     * @param consumeSeconds     from a poll's return to the last record's, scaled to {@code records}
     * @param produceCpu         the cores the loader and the servers used while producing
     * @param consumeCpu         the same while consuming
     */
    public record Result(long records, double averageRecordBytes, double produceSeconds, double consumeSeconds,
            CpuUsage produceCpu, CpuUsage consumeCpu) {

        public double producedPerSecond() {
            return records / produceSeconds;
        }

        public double consumedPerSecond() {
            return records / consumeSeconds;
        }
    }

    private KafkaCeiling() {
    }

    /**
     * Produces a warm-up's worth of records, then {@code records} more, timed; then consumes them all, timing the
     * part after the warm-up's records.
     *
     * @param connection the servers' connection properties: {@code kafka.bootstrap.servers}
     */
    public static Result measure(Map<String, String> connection, int records) {
        String bootstrap = ConnectionProperties.required(connection, "kafka.bootstrap.servers");
        int warmup = Warmup.countFor(records);
        String topic = "ceiling-" + System.currentTimeMillis();
        System.out.printf("Kafka ceiling: %,d records to topic %s at %s%n", records, topic, bootstrap);
        List<String> keys = new ArrayList<>(DISTINCT_RECORDS);
        List<byte[]> values = new ArrayList<>(DISTINCT_RECORDS);
        long bytes = 0;
        for (int index = 0; index < DISTINCT_RECORDS; index++) {
            UserEvent event = UserRows.event(index);
            keys.add(event.userId().toString());
            values.add(UserEventJson.write(event));
            bytes += keys.getLast().length() + values.getLast().length;
        }
        double averageRecordBytes = (double) bytes / DISTINCT_RECORDS;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await(admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty()))).all());
            try {
                Timed produced = produce(connection, bootstrap, topic, keys, values, warmup, records);
                Timed consumed = consume(connection, bootstrap, topic, warmup, records);
                Result result = new Result(records, averageRecordBytes, produced.seconds(), consumed.seconds(),
                        produced.cpu(), consumed.cpu());
                System.out.printf("Kafka ceiling: produce %,.0f records/s, consume %,.0f records/s, %,.0f bytes per record"
                        + " (uncompressed); CPU producing: %s; consuming: %s%n", result.producedPerSecond(),
                        result.consumedPerSecond(), averageRecordBytes, produced.cpu().describe(), consumed.cpu().describe());
                return result;
            } finally {
                await(admin.deleteTopics(List.of(topic)).all());
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka ceiling at " + bootstrap + " (topic " + topic + ") failed: "
                    + e.getMessage() + ". Check that Kafka is up and its log for errors.", e);
        }
    }

    private record Timed(double seconds, CpuUsage cpu) {
    }

    /** Producing {@code records} after {@code warmup} records, every one acknowledged. */
    private static Timed produce(Map<String, String> connection, String bootstrap, String topic, List<String> keys,
            List<byte[]> values, int warmup, int records) {
        // The ingestor's producer settings (its application.properties).
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            send(producer, topic, keys, values, 0, warmup, "warm-up");
            CpuUsage.Clock cpu = CpuUsage.start(connection);
            long start = System.nanoTime();
            send(producer, topic, keys, values, warmup, warmup + (long) records, "measured");
            return new Timed((System.nanoTime() - start) / 1e9, cpu.stop());
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, List<String> keys,
            List<byte[]> values, long from, long to, String phase) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        Progress progress = new Progress("Kafka produce " + phase, to - from);
        for (long index = from; index < to && failure.get() == null; index++) {
            int distinct = (int) (index % DISTINCT_RECORDS);
            producer.send(new ProducerRecord<>(topic, keys.get(distinct), values.get(distinct)), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            progress.update(index - from + 1);
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("a record was not acknowledged during the " + phase + " part: "
                    + failure.get(), failure.get());
        }
    }

    /**
     * Consuming {@code records}, timed from the poll that passes the first {@code warmup} records of the topic to
     * the last record, and scaled to {@code records} (that poll's records past the warm-up are not timed).
     */
    private static Timed consume(Map<String, String> connection, String bootstrap, String topic, int warmup,
            int records) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            // Assigned rather than subscribed: no group to join, so the clock does not include a rebalance.
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long total = (long) warmup + records;
            long consumed = 0;
            long start = 0;
            long timedFrom = 0;
            CpuUsage.Clock cpu = null;
            long lastRecordAt = System.nanoTime();
            Progress progress = new Progress("Kafka consume", total);
            while (consumed < total) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                long now = System.nanoTime();
                if (polled.isEmpty()) {
                    if (now - lastRecordAt > IDLE_LIMIT.toNanos()) {
                        throw new IllegalStateException("no records for " + IDLE_LIMIT.toSeconds() + " s after "
                                + consumed + " of " + total);
                    }
                    continue;
                }
                lastRecordAt = now;
                consumed += polled.count();
                if (start == 0 && consumed >= warmup) {
                    cpu = CpuUsage.start(connection);
                    start = now;
                    timedFrom = consumed;
                }
                progress.update(consumed);
            }
            return new Timed((System.nanoTime() - start) / 1e9 * records / (total - timedFrom), cpu.stop());
        }
    }

    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the Kafka admin client within " + ADMIN_TIMEOUT_SECONDS
                    + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
