package io.userpipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The dead-letter topic's wire names, and this module's README that documents them, agree. */
class DeadLetterContractTest {

    private static final Path README = Path.of("README.md");
    private static final String REASONS_TABLE_HEADER = "| `dlq-reason` | when | `dlq-field` |";
    private static final Pattern FIRST_CELL = Pattern.compile("^\\| `([^`]+)` \\|");

    @Test
    void theReadmesTableOfReasonsListsEveryReasonOnceAndNoOther() throws IOException {
        assertThat(reasonsInReadme()).as("the reasons in %s, in the enum's order", README)
                .containsExactlyElementsOf(Arrays.stream(RejectionReason.values()).map(RejectionReason::wireName).toList());
    }

    @Test
    void theReadmeNamesEveryDeadLetterHeader() throws IOException, IllegalAccessException {
        String readme = Files.readString(README);
        for (Field constant : DeadLetterHeaders.class.getFields()) {
            assertThat(Modifier.isStatic(constant.getModifiers())).isTrue();
            assertThat(readme).as("%s names the header %s", README, constant.getName()).contains("`" + constant.get(null) + "`");
        }
    }

    @Test
    void wireNamesAreLowerCaseWordsAndReadBack() {
        for (RejectionReason reason : RejectionReason.values()) {
            assertThat(reason.wireName()).matches("[a-z]+(-[a-z]+)*");
            assertThat(RejectionReason.fromWireName(reason.wireName())).isSameAs(reason);
        }
    }

    @Test
    void anUnknownReasonIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> RejectionReason.fromWireName("invalid_email"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'invalid_email'").hasMessageContaining("invalid-email");
    }

    private static List<String> reasonsInReadme() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int header = lines.indexOf(REASONS_TABLE_HEADER);
        assertThat(header).as("%s has a table headed %s", README, REASONS_TABLE_HEADER).isNotNegative();
        List<String> reasons = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            Matcher cell = FIRST_CELL.matcher(line);
            assertThat(cell.find()).as("a row of the reasons table names its reason: %s", line).isTrue();
            reasons.add(cell.group(1));
        }
        return reasons;
    }
}
