package io.userpipeline.processor.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The latency recorded after a batch's writes: nothing a record carries may make it throw. */
class LatencyTest {

    @Test
    void aLatencyBeyondWhatATimerHoldsIsRecordedAtItsLimitRatherThanFailingTheStoredBatch() {
        Timer timer = Timer.builder("latency").register(new SimpleMeterRegistry());

        timer.record(UserBatchProcessor.latency(Instant.parse("1700-01-01T00:00:00Z"), Instant.now()));

        assertThat(timer.count()).isEqualTo(1);
    }
}
