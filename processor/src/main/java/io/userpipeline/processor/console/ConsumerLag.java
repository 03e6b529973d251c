package io.userpipeline.processor.console;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;
import io.userpipeline.processor.consume.ProcessingSwitch;

/**
 * The consumer group's lag per partition of each input topic, asked of Kafka (committed offsets against the ends),
 * so that it is right whatever this replica consumes. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class ConsumerLag {

    /**
     * One partition: the group's committed offset (-1 before its first commit), the end, and what the group has yet
     * to read (from the partition's beginning before its first commit).
     */
    public record PartitionLag(String topic, int partition, long committed, long end, long lag) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> kafka;
    private final String group;
    private final ProcessingSwitch processing;
    private Admin admin;

    ConsumerLag(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.incoming.user-profiles.group.id") String group,
            ProcessingSwitch processing) {
        this.kafka = kafka;
        this.group = group;
        this.processing = processing;
    }

    public String group() {
        return group;
    }

    /**
     * @throws IllegalStateException when Kafka does not answer within 5 s
     */
    public List<PartitionLag> partitions() {
        try {
            Admin client = admin();
            List<String> topics = processing.inputs().stream().map(ProcessingSwitch.Channel::topic).toList();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            client.describeTopics(topics).topicNameValues().forEach((topic, description) -> {
                try {
                    description.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).partitions()
                            .forEach(info -> ends.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
                } catch (ExecutionException missing) {
                    // A topic not created yet has no lag.
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException("Kafka did not describe " + topic + " within 5 s", e);
                }
            });
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            var endOffsets = client.listOffsets(ends).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // A partition the group never committed on is read from its beginning (auto.offset.reset=earliest).
            Map<TopicPartition, OffsetSpec> uncommitted = new HashMap<>();
            ends.keySet().stream().filter(partition -> committed.get(partition) == null)
                    .forEach(partition -> uncommitted.put(partition, OffsetSpec.earliest()));
            var beginnings = client.listOffsets(uncommitted).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<PartitionLag> lags = new ArrayList<>();
            endOffsets.forEach((partition, end) -> {
                OffsetAndMetadata offset = committed.get(partition);
                long at = offset == null ? -1 : offset.offset();
                long from = offset == null ? beginnings.get(partition).offset() : at;
                lags.add(new PartitionLag(partition.topic(), partition.partition(), at, end.offset(), end.offset() - from));
            });
            lags.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
            return lags;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer for the lag of group " + group + " within 5 s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Kafka for the lag of group " + group, e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
            settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "processor-console-lag");
            settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            admin = Admin.create(settings);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
