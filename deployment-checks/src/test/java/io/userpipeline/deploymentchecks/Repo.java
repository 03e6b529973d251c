package io.userpipeline.deploymentchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** Locations in the repository and the rendering shared by the tests. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("k8s");
    static final Path CHART = ROOT.resolve("helm/user-pipeline");
    /** The values the README's production steps install with, next to k8s/prod. */
    static final Path PRODUCTION_VALUES = CHART.resolve("values-production.yaml");
    static final Path BAD = Path.of("src/test/resources/bad").toAbsolutePath();
    static final String RELEASE = "user-pipeline";
    static final String NAMESPACE = "user-pipeline";
    /** helm-java renders for Kubernetes 1.20 unless told otherwise; the chart requires 1.30+ (as Strimzi 1.2 does). */
    static final String KUBE_VERSION = "1.33.0";
    /** Where the hook annotations of the chart's test templates end up in the rendered manifests (see below). */
    static final String HOOK_ANNOTATIONS = "deployment-checks.user-pipeline.io/";

    private static StrictSchemas schemas;
    private static Path chartWithTestsAsManifests;

    private Repo() {
    }

    static synchronized StrictSchemas schemas() {
        if (schemas == null) {
            schemas = new StrictSchemas(Path.of(System.getProperty("strimzi.crd.dir", "target/strimzi-crds")));
        }
        return schemas;
    }

    /**
     * `helm template` of the chart with the given values files (none: the defaults), including the
     * `helm test` Pod. Throws on render or values-schema errors.
     */
    static List<ObjectNode> renderChart(Path... valuesFiles) {
        TemplateCommand template = new Helm(chartWithTestsAsManifests()).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            template.withValuesFile(values);
        }
        return Yaml.parseAll(template.call(), "helm template " + CHART);
    }

    /** `helm template` with the defaults overridden by the given values YAML (as a user's -f file would). */
    static List<ObjectNode> renderChartWith(String valuesYaml) {
        try {
            Path values = Files.createTempFile("values-", ".yaml");
            try {
                Files.writeString(values, valuesYaml);
                return renderChart(values);
            } finally {
                Files.delete(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * helm-java returns only the release manifest, without hooks, so the test Pod would go unchecked.
     * A copy of the chart whose test templates carry their hook annotations under another prefix renders it as
     * a plain manifest, with the hook settings still there to check.
     */
    private static synchronized Path chartWithTestsAsManifests() {
        if (chartWithTestsAsManifests == null) {
            try {
                Path copy = Files.createTempDirectory("chart-").resolve(CHART.getFileName());
                try (Stream<Path> files = Files.walk(CHART)) {
                    for (Path source : files.toList()) {
                        Path target = copy.resolve(CHART.relativize(source).toString());
                        if (Files.isDirectory(source)) {
                            Files.createDirectories(target);
                        } else if (source.startsWith(CHART.resolve("templates/tests"))) {
                            Files.writeString(target, Files.readString(source).replace("helm.sh/", HOOK_ANNOTATIONS));
                        } else {
                            Files.copy(source, target);
                        }
                    }
                }
                chartWithTestsAsManifests = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return chartWithTestsAsManifests;
    }
}
