package io.userpipeline.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Produces to and reads from the test run's real Kafka, as other applications would. */
public final class TestKafka {

    public static final String USER_TOPIC = "user-profiles";
    public static final String TUTORIAL_TOPIC = "users_created";
    public static final String DEAD_LETTER_TOPIC = "user-profiles-dlq";

    private TestKafka() {
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** Sends the records in order and waits until Kafka has them all. */
    public static void produce(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }

    /** The sum of the topic's partitions' end offsets; 0 for a topic not created yet. */
    public static long endOffsets(String topic) {
        try (Admin admin = admin()) {
            var description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            try {
                description.get().partitions()
                        .forEach(info -> partitions.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
            } catch (ExecutionException missing) {
                return 0;
            }
            return admin.listOffsets(partitions).all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Could not read the end offsets of " + topic, e);
        }
    }

    /** The sum of the processor's group's committed offsets on the topic's partitions. */
    public static long committed(String topic) {
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.user-profiles.group.id", String.class);
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(entry -> entry.getKey().topic().equals(topic)).mapToLong(entry -> entry.getValue().offset()).sum();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Could not read the committed offsets on " + topic, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    public static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>("unused", key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    public static ProducerRecord<byte[], byte[]> record(String key, String value) {
        return record(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
