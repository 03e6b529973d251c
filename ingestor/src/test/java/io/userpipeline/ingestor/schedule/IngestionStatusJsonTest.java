package io.userpipeline.ingestor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /ingestion/status} and {@code GET /ingestion/runs} as operators, alerts, the fault suite, the console and
 * the CLI read them: each outcome by its wire name, a run's fields by their names. No servers;
 * {@code ScheduleControlTest} and {@code RunHistoryApiTest} read the answers of the running service.
 */
class IngestionStatusJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @ParameterizedTest
    @EnumSource(RunOutcome.class)
    void aRunsOutcomeIsWrittenByItsWireName(RunOutcome outcome) {
        JsonNode run = JSON.valueToTree(new IngestionStatus.RunSummary(7, "01kbx4c2tq3m9f7a",
                Instant.parse("2026-12-03T10:00:00Z"), Instant.parse("2026-12-03T10:00:02Z"), 2000, 100, 98, 2, outcome));

        assertThat(run.get("outcome").asText()).isEqualTo(outcome.wireName());
    }

    @Test
    void aRunOfTheHistoryHasTheFieldsTheConsoleAndTheCliRead() {
        JsonNode run = JSON.valueToTree(new IngestionRun.History(20, List.of(new IngestionRun("01kbx4c2tq3m9f7a", 7,
                StartedBy.OPERATOR, new IngestionRun.Plan(500, null), Instant.parse("2026-12-03T10:00:00Z"), null,
                1200, IngestionRun.RUNNING, new IngestionRun.Counts(100, 97, 3, 1, 2), null)))).get("runs").get(0);

        assertThat(run.properties()).extracting(Map.Entry::getKey).containsExactly("id", "number", "startedBy",
                "plan", "startedAt", "finishedAt", "durationMs", "outcome", "counts", "error");
        assertThat(run.get("plan").properties()).extracting(Map.Entry::getKey)
                .containsExactly("profiles", "maxRate");
        assertThat(run.get("counts").properties()).extracting(Map.Entry::getKey)
                .containsExactly("fetched", "published", "failed", "unmappable", "publishFailed");
        assertThat(run.get("startedBy").asText()).isEqualTo("operator");
        assertThat(run.get("outcome").asText()).isEqualTo("running");
        assertThat(run.get("finishedAt").isNull()).isTrue();
    }

    @Test
    void whatStartedARunIsWrittenByItsWireName() {
        assertThat(StartedBy.values()).extracting(StartedBy::wireName).containsExactly("schedule", "operator");
    }

    @Test
    void theWireNamesAreTheOnesAlertsAndDashboardsMatch() {
        assertThat(RunOutcome.values()).extracting(RunOutcome::wireName).containsExactly("succeeded", "partly-failed",
                "failed", "source-failed", "kafka-unreachable", "empty");
    }
}
