package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The README's side-by-side figures are those of the last published run of {@code bench/side-by-side}
 * ({@code bench/results/side-by-side.md}), line for line: a new run's figures cannot be left out of the README, nor
 * the README's be edited by hand.
 */
class PerformanceFiguresTest {

    private static final Path SIDE_BY_SIDE = Repo.ROOT.resolve("bench/results/side-by-side.md");

    @Test
    void theReadmeShowsTheLastSideBySideRunAsItWasWritten() throws IOException {
        String performance = ConfigurationReferenceTest.section(Files.readString(ConfigurationReferenceTest.README),
                "Performance");
        List<String> missing = Files.readAllLines(SIDE_BY_SIDE).stream()
                .filter(line -> !line.isBlank())
                .filter(line -> !performance.contains(line))
                .toList();
        assertEquals(List.of(), missing, "lines of " + Repo.ROOT.relativize(SIDE_BY_SIDE)
                + " that README.md's Performance section does not show as they are: paste the file's content there");
    }
}
