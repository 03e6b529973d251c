package io.userpipeline.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(TestTiers.SERVERS)
class KafkaServerTest {

    @Test
    void clusterIdsAreKafkaShapedAndNeverReadAsAnOption() {
        IntStream.range(0, 10_000).mapToObj(i -> KafkaServer.clusterId()).forEach(id -> assertThat(id)
                .hasSize(22)
                .matches("[A-Za-z0-9_-]+")
                .doesNotStartWith("-"));
    }
}
