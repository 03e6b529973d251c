package io.userpipeline.deploymentchecks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Multi-document YAML as Jackson trees, the common currency of all checks. */
final class Yaml {

    static final YAMLMapper MAPPER = new YAMLMapper();

    private Yaml() {
    }

    static List<ObjectNode> parseAll(String yaml, String origin) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class)
                .readValues(new YAMLFactory().createParser(yaml))) {
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node == null || node.isNull() || node.isMissingNode() || node.isEmpty()) {
                    continue; // empty documents: a template whose condition is off, or a trailing '---'
                }
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalArgumentException(origin + ": a document is not a mapping: " + node);
                }
                documents.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(origin + ": not valid YAML", e);
        }
        return documents;
    }

    static List<ObjectNode> parseAll(Path file) {
        try {
            return parseAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parseOne(Path file) {
        List<ObjectNode> documents = parseAll(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + documents.size());
        }
        return documents.getFirst();
    }

    /** "Kind/name" for messages. */
    static String id(JsonNode object) {
        return object.path("kind").asText("?") + "/" + object.path("metadata").path("name").asText("?");
    }
}
