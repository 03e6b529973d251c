package io.userpipeline.storeduser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.userpipeline.storeduser.CassandraMigrations.Script;

/** How a migration script is read, and the shipped scripts, without a server. */
class CassandraMigrationScriptTest {

    @Test
    void statementsEndWithASemicolonThatEndsTheirLineAndKeepTheirComments() {
        Script script = Script.of(3, "V3.cql", """
                -- notes and their authors

                CREATE TABLE IF NOT EXISTS ${keyspace}.notes (
                    id int PRIMARY KEY, -- the note's number; not its position
                    author text);
                -- the authors' index
                CREATE INDEX IF NOT EXISTS notes_author ON ${keyspace}.notes (author) USING 'sai';
                """);

        assertThat(script.description()).isEqualTo("notes and their authors");
        assertThat(script.statements("ks")).containsExactly("""
                CREATE TABLE IF NOT EXISTS ks.notes (
                    id int PRIMARY KEY, -- the note's number; not its position
                    author text)""", "CREATE INDEX IF NOT EXISTS notes_author ON ks.notes (author) USING 'sai'");
    }

    @Test
    void aScriptWithoutItsLastSemicolonOrItsDescriptionIsRefused() {
        assertThatThrownBy(() -> Script.of(1, "V1.cql", "-- a table\nCREATE TABLE ${keyspace}.t (id int PRIMARY KEY)\n")
                .statements("ks")).hasMessageContaining("V1.cql ends without a ; after: CREATE TABLE ${keyspace}.t");
        assertThatThrownBy(() -> Script.of(1, "V1.cql", "CREATE TABLE ${keyspace}.t (id int PRIMARY KEY);\n"))
                .hasMessageContaining("V1.cql must start with a -- comment");
    }

    @Test
    void theChecksumIgnoresLineEndings() {
        String script = "-- a table\nCREATE TABLE IF NOT EXISTS ${keyspace}.t (id int PRIMARY KEY);\n";
        assertThat(Script.of(1, "V1.cql", script.replace("\n", "\r\n")).checksum())
                .isEqualTo(Script.of(1, "V1.cql", script).checksum())
                .isNotEqualTo(Script.of(1, "V1.cql", script.replace("id int", "key int")).checksum());
    }

    /** The migrations read V1, V2, ... up to the first gap: a script after a gap would never run. */
    @Test
    void theShippedScriptsAreNumberedWithoutAGapAndReadable() throws IOException {
        Path folder = Path.of("src/main/resources", CassandraMigrations.SCRIPTS);
        List<String> names;
        try (Stream<Path> files = Files.list(folder)) {
            names = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(
                IntStream.rangeClosed(1, names.size()).mapToObj(version -> "V" + version + ".cql").toList());
        for (String name : names) {
            assertThat(Script.of(1, name, Files.readString(folder.resolve(name))).statements("user_pipeline"))
                    .as(name).isNotEmpty().allSatisfy(statement -> assertThat(statement).doesNotContain("${"));
        }
    }
}
