package io.userpipeline.ingestor.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /ingestion/status} as operators, alerts and the fault suite read it: each outcome by its wire name.
 * No servers; {@code ScheduleControlTest} reads the answer of the running service.
 */
class IngestionStatusJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @ParameterizedTest
    @EnumSource(RunOutcome.class)
    void aRunsOutcomeIsWrittenByItsWireName(RunOutcome outcome) {
        JsonNode run = JSON.valueToTree(new IngestionStatus.RunSummary(7, Instant.parse("2026-12-03T10:00:00Z"),
                Instant.parse("2026-12-03T10:00:02Z"), 2000, 100, 98, 2, outcome));

        assertThat(run.get("outcome").asText()).isEqualTo(outcome.wireName());
    }

    @Test
    void theWireNamesAreTheOnesAlertsAndDashboardsMatch() {
        assertThat(RunOutcome.values()).extracting(RunOutcome::wireName).containsExactly("succeeded", "partly-failed",
                "failed", "source-failed", "kafka-unreachable");
    }
}
