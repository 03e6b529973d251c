package io.userpipeline.ingestor.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.userpipeline.randomuser.RandomUserProfile;

class PacedPagesTest {

    @Test
    void aPacedRunLetsProfilesThroughNoFasterThanTheRateAndKeepsTheirOrder() {
        List<RandomUserProfile> profiles = new ProfileGenerator(7).fetch(1500).onItem().<RandomUserProfile>disjoint()
                .collect().asList().await().indefinitely();
        List<Long> arrivals = new ArrayList<>();
        long startedAt = System.nanoTime();

        List<RandomUserProfile> letThrough = PacedPages.pace(new ProfileGenerator(7).fetch(1500), 2000)
                .onItem().invoke(slice -> arrivals.add(System.nanoTime() - startedAt))
                .onItem().<RandomUserProfile>disjoint().collect().asList().await().atMost(Duration.ofSeconds(30));

        assertThat(letThrough).isEqualTo(profiles);
        // Pages of 512, 512 and 476 cut into slices of at most 100 (1/20 s at 2,000/s): 17 slices. The last one
        // follows 1,424 profiles, so it is due 0.712 s after the start, not earlier.
        assertThat(arrivals).hasSize(17);
        assertThat(arrivals.get(16)).isGreaterThanOrEqualTo(Duration.ofMillis(700).toNanos());
    }

    @Test
    void pagesSmallerThanASliceStayWhole() {
        List<List<RandomUserProfile>> slices = PacedPages.pace(new ProfileGenerator(7).fetch(30), 1_000_000)
                .collect().asList().await().atMost(Duration.ofSeconds(10));

        assertThat(slices).hasSize(1);
        assertThat(slices.get(0)).hasSize(30);
    }
}
