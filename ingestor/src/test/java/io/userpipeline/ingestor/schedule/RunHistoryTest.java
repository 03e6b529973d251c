package io.userpipeline.ingestor.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The bounded history of runs, without a runner or servers. */
class RunHistoryTest {

    private final IngestionMetrics metrics = new IngestionMetrics(new SimpleMeterRegistry(), "fake");

    @Test
    void keepsTheLastRunsNewestFirstAndForgetsTheOlderOnes() {
        RunHistory history = new RunHistory(3);

        for (int number = 1; number <= 5; number++) {
            history.add(run("run" + number, number));
        }

        assertThat(history.newestFirst()).extracting(RunRecord::id).containsExactly("run5", "run4", "run3");
        assertThat(history.find("run3")).map(RunRecord::id).hasValue("run3");
        assertThat(history.find("run2")).isEmpty();
        assertThat(history.find("unknown")).isEmpty();
    }

    @Test
    void keepsFewerRunsThanItsSizeUntilFull() {
        RunHistory history = new RunHistory(20);
        history.add(run("first", 1));

        assertThat(history.newestFirst()).extracting(RunRecord::id).containsExactly("first");
        assertThat(history.capacity()).isEqualTo(20);
    }

    @Test
    void aHistoryOfOneKeepsOnlyTheNewestRun() {
        RunHistory history = new RunHistory(1);
        history.add(run("old", 1));
        history.add(run("new", 2));

        assertThat(history.newestFirst()).extracting(RunRecord::id).containsExactly("new");
    }

    @Test
    void keepsNoFewerThanOneRun() {
        assertThatThrownBy(() -> new RunHistory(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one run");
    }

    @Test
    void aRunStoppedAfterItFinishedKeepsItsOutcome() {
        RunRecord run = run("done", 1);
        Instant end = Instant.parse("2026-12-03T10:00:05Z");
        run.finished(end, RunOutcome.SUCCEEDED);
        run.stopped(end.plusSeconds(1), "cancelled");

        IngestionRun view = run.view(end.plusSeconds(60));
        assertThat(view.outcome()).isEqualTo("succeeded");
        assertThat(view.finishedAt()).isEqualTo(end);
        assertThat(view.durationMs()).isEqualTo(5000);
        assertThat(view.error()).isNull();
    }

    @Test
    void aRunGoingOnIsRunningForAsLongAsItHasRun() {
        RunRecord run = run("going-on", 1);

        IngestionRun view = run.view(Instant.parse("2026-12-03T10:00:02.5Z"));

        assertThat(view.outcome()).isEqualTo(IngestionRun.RUNNING);
        assertThat(view.finishedAt()).isNull();
        assertThat(view.durationMs()).isEqualTo(2500);
        assertThat(view.plan()).isEqualTo(new IngestionRun.Plan(10, null));
    }

    private RunRecord run(String id, long number) {
        return new RunRecord(id, StartedBy.SCHEDULE, new IngestionRunner.RunPlan(10, Optional.empty()),
                Instant.parse("2026-12-03T10:00:00Z"), new RunTally(number, "fake", metrics));
    }
}
