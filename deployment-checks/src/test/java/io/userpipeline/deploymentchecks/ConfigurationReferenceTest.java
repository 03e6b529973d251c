package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import io.userpipeline.ingestor.IngestionConfig;
import io.userpipeline.processor.ProcessorConfig;

/**
 * The README's configuration reference against the services' own settings. The keys come from the
 * {@code @ConfigMapping} interfaces, by reflection, named as SmallRye Config names them (method names in kebab-case,
 * nested interfaces as path segments, {@code @WithName} and {@code @WithParentName} honoured), rather than from the
 * application.properties files: a key without a default there ({@code ingestion.cron}, {@code ingestion.max-rate},
 * an {@code @WithDefault} one) is a setting all the same. That the naming here is SmallRye's is checked against the
 * properties files, whose keys the services start with in every test.
 */
class ConfigurationReferenceTest {

    record Service(Class<?> mapping, Path properties) {
    }

    static final List<Service> SERVICES = List.of(
            new Service(IngestionConfig.class, Repo.ROOT.resolve("ingestor/src/main/resources/application.properties")),
            new Service(ProcessorConfig.class, Repo.ROOT.resolve("processor/src/main/resources/application.properties")));

    static final Path README = Repo.ROOT.resolve("README.md");

    /** A key under a prefix, wherever the README names one: {@code pipeline.retry.max-backoff}. */
    private static final String KEY_AFTER_PREFIX = "(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)+";

    static String prefix(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        assertEquals(ConfigMapping.NamingStrategy.KEBAB_CASE, annotation.namingStrategy(),
                mapping.getSimpleName() + " names its keys another way: teach this test that naming strategy");
        return annotation.prefix();
    }

    static SortedSet<String> keys(Class<?> mapping) {
        SortedSet<String> keys = new TreeSet<>();
        collect(prefix(mapping), mapping, keys);
        return keys;
    }

    private static void collect(String path, Class<?> group, SortedSet<String> keys) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? path
                    : path + "." + (method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value()
                    : kebabCase(method.getName()));
            Class<?> value = valueType(method);
            if (value.isInterface() && !value.getName().startsWith("java.")) {
                collect(key, value, keys);
            } else {
                keys.add(key);
            }
        }
    }

    /** The type configured: an {@code Optional}'s content, so that an optional group is still a group. */
    private static Class<?> valueType(Method method) {
        if (method.getReturnType() == Optional.class && method.getGenericReturnType() instanceof ParameterizedType optional
                && optional.getActualTypeArguments()[0] instanceof Class<?> content) {
            return content;
        }
        return method.getReturnType();
    }

    static String kebabCase(String methodName) {
        return methodName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The README's section under {@code ## <title>}, up to the next section of that level. */
    static String section(String markdown, String title) {
        int start = markdown.indexOf("\n## " + title + "\n");
        if (start < 0) {
            throw new AssertionError("README.md has no section '## " + title + "'");
        }
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /**
     * The keys of the reference table: each row's first cell, whose later names without a dot are siblings of its
     * first ({@code `ingestion.api.connect-timeout`, `read-timeout`}).
     */
    static SortedSet<String> documentedKeys(String configurationSection) {
        SortedSet<String> keys = new TreeSet<>();
        for (String line : configurationSection.lines().toList()) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher names = Pattern.compile("`([^`]+)`").matcher(line.substring(1, line.indexOf('|', 1)));
            String parent = null;
            while (names.find()) {
                String name = names.group(1);
                if (parent == null || name.contains(".")) {
                    keys.add(name);
                    parent = name.substring(0, name.lastIndexOf('.') + 1);
                } else {
                    keys.add(parent + name);
                }
            }
        }
        return keys;
    }

    /** Every key under one of the prefixes that the text names, anywhere. */
    static SortedSet<String> keysNamed(String text, List<String> prefixes) {
        SortedSet<String> keys = new TreeSet<>();
        Matcher named = Pattern.compile("(?<![\\w.-])(?:" + String.join("|", prefixes.stream().map(Pattern::quote).toList())
                + ")" + KEY_AFTER_PREFIX).matcher(text);
        while (named.find()) {
            keys.add(named.group());
        }
        return keys;
    }

    static List<String> undocumented(SortedSet<String> settings, SortedSet<String> documented) {
        return settings.stream().filter(key -> !documented.contains(key)).toList();
    }

    static List<String> unknown(SortedSet<String> named, SortedSet<String> settings) {
        return named.stream().filter(key -> !settings.contains(key)).toList();
    }

    private static SortedSet<String> allSettings() {
        SortedSet<String> settings = new TreeSet<>();
        SERVICES.forEach(service -> settings.addAll(keys(service.mapping())));
        return settings;
    }

    private static List<String> prefixes() {
        return SERVICES.stream().map(service -> prefix(service.mapping())).toList();
    }

    @Test
    void everySettingIsInTheReadmesConfigurationTable() throws IOException {
        SortedSet<String> documented = documentedKeys(section(Files.readString(README), "Configuration"));
        assertEquals(List.of(), undocumented(allSettings(), documented),
                "settings of IngestionConfig or ProcessorConfig missing from the table in README.md's Configuration"
                        + " section: add a row with the service, the default from its application.properties and what it does");
    }

    @Test
    void everyPipelineOrIngestionKeyTheReadmeNamesIsASetting() throws IOException {
        String readme = Files.readString(README);
        SortedSet<String> named = keysNamed(readme, prefixes());
        documentedKeys(section(readme, "Configuration")).stream()
                .filter(key -> prefixes().stream().anyMatch(prefix -> key.startsWith(prefix + ".")))
                .forEach(named::add);
        assertEquals(List.of(), unknown(named, allSettings()),
                "README.md names keys that neither IngestionConfig nor ProcessorConfig has: rename or remove them");
    }

    /**
     * The naming above is the services' own: every key their application.properties set under a mapping's prefix, in
     * any profile, is one this test derives (the services start with these files in their tests).
     */
    @Test
    void theDerivedKeysAreThoseTheServicesAreConfiguredWith() throws IOException {
        for (Service service : SERVICES) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(service.properties())) {
                properties.load(reader);
            }
            String prefix = prefix(service.mapping()) + ".";
            SortedSet<String> configured = new TreeSet<>();
            for (String key : properties.stringPropertyNames()) {
                String withoutProfile = key.replaceFirst("^%[^.]+\\.", "");
                if (withoutProfile.startsWith(prefix)) {
                    configured.add(withoutProfile);
                }
            }
            assertEquals(List.of(), unknown(configured, keys(service.mapping())),
                    service.properties() + " sets keys " + service.mapping().getSimpleName() + " does not have");
        }
    }

    /** SmallRye Config's environment name of a key: upper case, every character but letters and digits an underscore. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The variables under the mapping's prefix (PIPELINE_*, INGESTION_*) that the chart gives a component's container
     * and that are none of the mapping's settings: the service ignores them and runs on its own default.
     */
    static List<String> unknownVariables(List<ObjectNode> objects, String component, Class<?> mapping) {
        ObjectNode deployment = Consistency.deployment(objects, component)
                .orElseThrow(() -> new AssertionError("no Deployment of " + component));
        String prefix = environmentName(prefix(mapping)) + "_";
        SortedSet<String> settings = new TreeSet<>();
        keys(mapping).forEach(key -> settings.add(environmentName(key)));
        SortedSet<String> variables = new TreeSet<>(Consistency.containerEnv(objects, deployment).keySet());
        deployment.path("spec").path("template").path("spec").path("containers").path(0).path("env")
                .forEach(variable -> variables.add(variable.path("name").asText()));
        return variables.stream().filter(name -> name.startsWith(prefix) && !settings.contains(name))
                .map(name -> component + ": " + name + " is no setting of " + mapping.getSimpleName()).toList();
    }

    /** Every PIPELINE_* and INGESTION_* variable of every value set is one the service reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.userpipeline.deploymentchecks.HelmChartTest#valueSets")
    void everyVariableTheChartSetsIsASettingOfItsService(String name, List<Path> valuesFiles) {
        List<ObjectNode> objects = Repo.renderChart(valuesFiles.toArray(Path[]::new));
        assertEquals(List.of(), unknownVariables(objects, "ingestor", IngestionConfig.class));
        assertEquals(List.of(), unknownVariables(objects, "processor", ProcessorConfig.class));
    }

    @Test
    void aVariableNoSettingReadsIsReported() {
        List<ObjectNode> objects = Repo.renderChart();
        objects.stream().filter(o -> Yaml.id(o).equals("ConfigMap/user-pipeline-processor")).map(o -> (ObjectNode) o.path("data"))
                .forEach(data -> data.set("PIPELINE_INGESTOR_URL", data.remove("PIPELINE_OPERATIONS_INGESTOR_URL")));
        assertEquals(List.of("processor: PIPELINE_INGESTOR_URL is no setting of ProcessorConfig"),
                unknownVariables(objects, "processor", ProcessorConfig.class));
    }

    @Test
    void aKeyMissingFromTheTableOrUnknownToTheServicesIsReported() {
        String table = """
                | key | service | default | meaning |
                | --- | --- | --- | --- |
                | `pipeline.retry.initial-backoff`, `max-backoff` | processor | `200ms`, `10s` | back-off |
                | `pipeline.retry.give-up-after` | processor | `1h` | not a setting |
                """;
        SortedSet<String> settings = new TreeSet<>(List.of("pipeline.retry.initial-backoff", "pipeline.retry.max-backoff",
                "pipeline.retry.write-timeout"));
        SortedSet<String> documented = documentedKeys(table);
        assertEquals(List.of("pipeline.retry.write-timeout"), undocumented(settings, documented));
        assertEquals(List.of("pipeline.retry.give-up-after"), unknown(documented, settings));
        assertEquals(List.of("ingestion.batch-sizes", "pipeline.max-record-bytes"), unknown(
                keysNamed("set `ingestion.batch-sizes` or pipeline.max-record-bytes. Not `ingestion.*`, /ingestion/trigger,"
                        + " ingestion_runs_total or my.pipeline.key", List.of("pipeline", "ingestion")), new TreeSet<>()));
    }
}
