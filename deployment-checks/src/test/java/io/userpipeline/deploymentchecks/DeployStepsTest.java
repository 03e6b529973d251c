package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * e2e.yml runs the README's deploy steps as written: every command of steps 1 to 4 of "Deploy to Kubernetes"
 * (images, Strimzi, k8s/dev, the chart and its test) is a line of the workflow. The kind cluster is the one
 * documented variation: images are loaded into it instead of pushed to a registry of the reader's.
 */
class DeployStepsTest {

    /** Lines the kind variant replaces, as the README itself says. */
    private static final List<String> KIND_VARIANT = List.of("docker push ", "export IMAGE_REGISTRY=");

    static List<String> commandsMissingFrom(String readme, String workflow) {
        String section = readme.substring(readme.indexOf("## Deploy to Kubernetes"), readme.indexOf("5. Follow the logs:"));
        List<String> workflowLines = workflow.lines().map(String::strip).toList();
        return section.lines()
                .filter(line -> line.startsWith("       ")) // the code blocks of the numbered steps
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .filter(line -> KIND_VARIANT.stream().noneMatch(line::startsWith))
                .filter(line -> !workflowLines.contains(line))
                .toList();
    }

    /**
     * The released chart's defaults are the released images: release.yml rewrites the values' repository prefix
     * to the registry it pushes <registry>/<service>:<version> to, and packages the chart with appVersion
     * <version>, the tag the chart uses when values give none. A prefix the rewrite does not find would leave
     * the chart pointing at images nobody published.
     */
    static List<String> releaseErrors(String releaseWorkflow, String values) {
        Matcher rewrite = Pattern.compile("s#repository: (\\S+)#repository: \\$\\{REGISTRY}/#").matcher(releaseWorkflow);
        if (!rewrite.find()) {
            return List.of("release.yml: no rewrite of the chart's image repositories");
        }
        List<String> errors = new ArrayList<>();
        for (String service : List.of("ingestor", "processor")) {
            if (!values.contains("repository: " + rewrite.group(1) + service + "\n")) {
                errors.add("values.yaml: " + service + " repository is not " + rewrite.group(1) + service + ", which release.yml rewrites");
            }
        }
        for (String expected : List.of("IMAGE: ${{ needs.prepare.outputs.registry }}/${{ matrix.service }}",
                "tags: ${{ env.IMAGE }}:${{ env.VERSION }}", "--app-version \"$VERSION\"", "-t \"${IMAGE}:${VERSION}-native\"")) {
            if (!releaseWorkflow.contains(expected)) {
                errors.add("release.yml: no '" + expected + "'");
            }
        }
        return errors;
    }

    @Test
    void releasedChartDefaultsToTheReleasedImages() throws IOException {
        assertEquals(List.of(), releaseErrors(Files.readString(Repo.ROOT.resolve(".github/workflows/release.yml")),
                Files.readString(Repo.CHART.resolve("values.yaml"))));
    }

    @Test
    void repositoryTheReleaseDoesNotRewriteIsReported() throws IOException {
        String values = Files.readString(Repo.CHART.resolve("values.yaml")).replace("ghcr.io/user-pipeline/processor", "docker.io/someone/processor");
        assertEquals(List.of("values.yaml: processor repository is not ghcr.io/user-pipeline/processor, which release.yml rewrites"),
                releaseErrors(Files.readString(Repo.ROOT.resolve(".github/workflows/release.yml")), values));
    }

    @Test
    void e2eWorkflowRunsTheReadmeDeploySteps() throws IOException {
        String readme = Files.readString(Repo.ROOT.resolve("README.md"));
        assertTrue(readme.contains("docker build -f"), "the README's deploy steps build the images");
        assertEquals(List.of(), commandsMissingFrom(readme, Files.readString(Repo.ROOT.resolve(".github/workflows/e2e.yml"))));
    }

    @Test
    void workflowSkippingAReadmeStepIsReported() throws IOException {
        String readme = Files.readString(Repo.ROOT.resolve("README.md"));
        String workflow = Files.readString(Repo.ROOT.resolve(".github/workflows/e2e.yml"))
                .replace("helm test user-pipeline -n user-pipeline --logs", "helm test user-pipeline -n user-pipeline");
        assertEquals(List.of("helm test user-pipeline -n user-pipeline --logs"), commandsMissingFrom(readme, workflow));
    }
}
