package io.userpipeline.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic of a test run's real Kafka as an independent consumer would: no group, every partition from its
 * beginning, keys and values as bytes. The one reader of every test module.
 */
public final class KafkaTopics {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private KafkaTopics() {
    }

    /** Every record of the topic, from the beginning to its end as of the call: what is there, each once. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = assignAll(consumer, topic, METADATA_WAIT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA_WAIT);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 3 minutes: read "
                            + records.size() + " of " + end.values().stream().mapToLong(Long::longValue).sum());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    /**
     * The topic's records from the beginning, read until {@code done} holds for those read so far or the timeout
     * passes, for a test that waits for records still to come.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrapServers, String topic, Duration timeout,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = List.of();
            while (!done.test(records) && System.nanoTime() < deadline) {
                if (partitions.isEmpty()) {
                    // A topic not yet created has no partitions to read: ask again until it has.
                    partitions = assignAll(consumer, topic, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    if (partitions.isEmpty()) {
                        pause(Duration.ofMillis(200));
                        continue;
                    }
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The record's key as UTF-8 text, or null. */
    public static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    /** The value of the record's last header of that name as UTF-8 text, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a topic to be created", e);
        }
    }

    /** The topic's partitions, assigned from their beginning; none if it has none yet or none are known in time. */
    private static List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration wait) {
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, wait.compareTo(METADATA_WAIT) < 0 ? wait : METADATA_WAIT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
        } catch (TimeoutException notYet) {
            return List.of();
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }
}
