package io.userpipeline.processor.deadletter;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;
import io.userpipeline.processor.ProcessorConfig;

/**
 * Reads the dead-letter topic by assignment, outside any consumer group (so that reading commits nothing and
 * moves no one's offsets), and makes the producer a replay sends with. Both use the application's Kafka settings
 * ({@code kafka.*}: address, TLS, SASL), as the channels do. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class DeadLetterTopic {

    /** What a reading covered. */
    public record Reading(String topic, long read, long olderNotRead, boolean complete) {
    }

    /** Distinct client ids: two listings at once would otherwise share one client's metrics. */
    private static final AtomicLong READERS = new AtomicLong();

    private final Map<String, Object> kafka;
    private final String topic;
    private final ProcessorConfig.DeadLetters settings;

    DeadLetterTopic(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.outgoing.dead-letters.topic") String topic, ProcessorConfig config) {
        this.kafka = kafka;
        this.topic = topic;
        this.settings = config.deadLetters();
    }

    /**
     * Hands the newest dead letters to {@code visitor}, at most {@code pipeline.dead-letters.scan-limit} per
     * partition, each partition in offset order, up to the end it had when the reading began. Stops when Kafka sends
     * nothing for {@code pipeline.dead-letters.read-timeout}, with what it has, saying so.
     *
     * @throws DeadLetterTopicException when Kafka does not answer
     */
    public Reading read(Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        return read((partition, beginning, end) -> Math.max(beginning, end - settings.scanLimit()),
                (partition, end) -> end, visitor);
    }

    /** Hands every dead letter the topic retains to {@code visitor}, as {@link #read} does the newest. */
    Reading readAll(Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        return read((partition, beginning, end) -> beginning, (partition, end) -> end, visitor);
    }

    /** Reads again the dead letters from {@code first} to {@code last} offset (inclusive) of each partition given. */
    Reading reread(Map<Integer, Long> first, Map<Integer, Long> last, Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        return read((partition, beginning, end) -> first.containsKey(partition) ? Math.max(beginning, first.get(partition)) : end,
                (partition, end) -> last.containsKey(partition) ? Math.min(end, last.get(partition) + 1) : end, visitor);
    }

    private interface StartAt {
        long offset(int partition, long beginning, long end);
    }

    private interface StopAt {
        long offset(int partition, long end);
    }

    private Reading read(StartAt startAt, StopAt stopAt, Consumer<ConsumerRecord<byte[], byte[]>> visitor) {
        Duration timeout = settings.readTimeout();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitionInfos = consumer.partitionsFor(topic, timeout);
            if (partitionInfos == null || partitionInfos.isEmpty()) {
                return new Reading(topic, 0, 0, true); // not created yet: no dead letter so far
            }
            List<TopicPartition> partitions = partitionInfos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> stops = new HashMap<>();
            long olderNotRead = 0;
            for (TopicPartition partition : partitions) {
                long beginning = beginnings.get(partition);
                long start = startAt.offset(partition.partition(), beginning, ends.get(partition));
                stops.put(partition, stopAt.offset(partition.partition(), ends.get(partition)));
                olderNotRead += start - beginning;
                consumer.seek(partition, start);
            }
            Set<TopicPartition> unread = partitions.stream()
                    .filter(partition -> consumer.position(partition, timeout) < stops.get(partition))
                    .collect(Collectors.toSet());
            consumer.pause(partitions.stream().filter(partition -> !unread.contains(partition)).toList());
            long read = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!unread.isEmpty() && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() < stops.get(new TopicPartition(record.topic(), record.partition()))) {
                        visitor.accept(record);
                        read++;
                    }
                }
                if (!records.isEmpty()) {
                    // Only Kafka's silence counts, not the time the visitor took (a replay's pacing).
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                unread.removeIf(partition -> consumer.position(partition, timeout) >= stops.get(partition));
            }
            return new Reading(topic, read, olderNotRead, unread.isEmpty());
        } catch (TimeoutException e) {
            throw new DeadLetterTopicException("Kafka did not answer within " + timeout.toSeconds() + " s while reading"
                    + " the dead-letter topic " + topic + " (" + e.getMessage() + "); check kafka.bootstrap.servers and"
                    + " the processor's access to the topic", e);
        }
    }

    /** A producer for re-publishing originals: every acknowledged by all in-sync replicas, none duplicated by retries. */
    KafkaProducer<byte[], byte[]> replayProducer() {
        Map<String, Object> producer = new HashMap<>(kafka);
        producer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "processor-dead-letter-replay-" + READERS.incrementAndGet());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "processor-dead-letter-reader-" + READERS.incrementAndGet());
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.readTimeout().toMillis());
        return consumer;
    }
}
