package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * renovate.json's regex managers still find the versions they exist to update: a pin moved or rewritten (the
 * README's Strimzi line, a manifest's image, a Dockerfile's base) would otherwise quietly stop being updated.
 * Every file pattern of every manager names files of which at least one holds a match.
 */
class UpdatesTest {

    static List<String> unmatched(JsonNode config, Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).toString().matches("(\\.git|.*target)/.*")).toList();
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode manager : config.path("customManagers")) {
            String name = manager.path("description").asText();
            List<Pattern> contents = new ArrayList<>();
            manager.path("matchStrings").forEach(m -> contents.add(Pattern.compile(m.asText())));
            for (JsonNode filePattern : manager.path("managerFilePatterns")) {
                String text = filePattern.asText();
                Pattern paths = Pattern.compile(text.substring(1, text.length() - 1));
                List<Path> named = files.stream().filter(p -> paths.matcher(root.relativize(p).toString()).find()).toList();
                boolean found = named.stream().map(UpdatesTest::read)
                        .anyMatch(content -> contents.stream().anyMatch(p -> p.matcher(content).find()));
                if (!found) {
                    problems.add(name + ": nothing in " + (named.isEmpty() ? "no file" : named.stream()
                            .map(p -> root.relativize(p).toString()).sorted().toList()) + " (" + text + ") matches its matchStrings");
                }
            }
        }
        return problems;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode renovate() throws IOException {
        return JsonMapper.builder().build().readTree(Repo.ROOT.resolve("renovate.json").toFile());
    }

    @Test
    void everyRegexManagerStillFindsItsVersions() throws IOException {
        assertEquals(List.of(), unmatched(renovate(), Repo.ROOT));
    }

    /** The README's Strimzi line written another way is no longer seen, and that is reported. */
    @Test
    void aPinWrittenAnotherWayIsReported() throws IOException {
        Path copy = Files.createTempDirectory("repo-");
        Files.writeString(copy.resolve("README.md"), "helm install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator"
                + " --version=1.2.0\n");
        Files.createDirectories(copy.resolve(".github/workflows"));
        Files.writeString(copy.resolve(".github/workflows/e2e.yml"), read(Repo.ROOT.resolve(".github/workflows/e2e.yml")));
        JsonNode strimziOnly = JsonMapper.builder().build().createObjectNode()
                .set("customManagers", JsonMapper.builder().build().createArrayNode().add(renovate().path("customManagers").get(0)));
        assertEquals(List.of("The Strimzi operator's Helm chart that the README's deploy steps and e2e.yml install:"
                + " nothing in [README.md] (/^README\\.md$/) matches its matchStrings"), unmatched(strimziOnly, copy));
    }
}
