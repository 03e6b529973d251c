package io.userpipeline.deploymentchecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A newcomer finds every module from the root README: each module of the root pom has a README, the root README's
 * "Repository layout" links it, and the relative links of these READMEs lead to files that exist.
 */
class ModuleReadmesTest {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    /** A Markdown link to a file of the repository: not a web address, not only an anchor. */
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?!https?:|#)([^)#\\s]+)(?:#[^)]*)?\\)");

    static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher module = MODULE.matcher(Files.readString(Repo.ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1));
        }
        return modules;
    }

    static List<String> brokenLinks(Path markdown) throws IOException {
        List<String> broken = new ArrayList<>();
        Matcher link = RELATIVE_LINK.matcher(Files.readString(markdown));
        while (link.find()) {
            if (!Files.exists(markdown.getParent().resolve(link.group(1)))) {
                broken.add(Repo.ROOT.relativize(markdown) + " -> " + link.group(1));
            }
        }
        return broken;
    }

    @Test
    void everyModuleHasAReadmeLinkedFromTheRepositoryLayout() throws IOException {
        String layout = ConfigurationReferenceTest.section(Files.readString(ConfigurationReferenceTest.README), "Repository layout");
        List<String> missing = new ArrayList<>();
        for (String module : modules()) {
            if (!Files.exists(Repo.ROOT.resolve(module).resolve("README.md"))) {
                missing.add(module + "/README.md does not exist");
            } else if (!layout.contains("](" + module + "/README.md)")) {
                missing.add(module + "/README.md is not linked from README.md's Repository layout");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theReadmesLinksLeadToFilesThatExist() throws IOException {
        List<String> broken = new ArrayList<>(brokenLinks(ConfigurationReferenceTest.README));
        for (String module : modules()) {
            Path readme = Repo.ROOT.resolve(module).resolve("README.md");
            if (Files.exists(readme)) {
                broken.addAll(brokenLinks(readme));
            }
        }
        assertEquals(List.of(), broken);
    }
}
