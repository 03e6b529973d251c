package io.userpipeline.ingestor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Run ids: short, URL-safe, distinct, and in the order the runs started. */
class RunIdsTest {

    @Test
    void anIdIsSixteenLowerCaseLettersAndDigitsWithTheStartFirst() {
        assertThat(RunIds.next(Instant.EPOCH, new Random(1))).matches("0{10}[0-9a-z]{6}");
        assertThat(RunIds.next(Instant.parse("2026-12-03T10:00:00Z"), new Random(1))).matches("[0-9a-hjkmnp-tv-z]{16}");
    }

    @Test
    void idsSortAsTheRunsStarted() {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        for (long step = 0; step < 2000; step++) {
            ids.add(RunIds.next(start.plusMillis(step * step * 37), random));
        }

        assertThat(ids).isSorted();
    }

    @Test
    void runsStartedTheSameMillisecondStillHaveDistinctIds() {
        Random random = new Random(3);
        Set<String> ids = new HashSet<>();
        Instant sameTime = Instant.parse("2026-12-03T10:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            ids.add(RunIds.next(sameTime, random));
        }

        assertThat(ids).hasSizeGreaterThan(9_990);
    }
}
