package io.userpipeline.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    public static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>("unused", key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    public static ProducerRecord<byte[], byte[]> record(String key, String value) {
        return record(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
