package io.userpipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one line the processor logs when it cannot start must carry the reason, once, without the wrappers' noise. */
class ProcessorMainTest {

    @Test
    void aStartupFailureIsToldInItsCausesOwnWordsWithoutRepeats() {
        var refusal = new IllegalArgumentException("User fault has no CREATE permission on <all keyspaces>");
        var context = new IllegalStateException("Cannot create the Cassandra schema in keyspace 'k': "
                + refusal.getMessage() + ". Check the role's permissions.", refusal);
        var wrapper = new RuntimeException(context.toString(), context);
        var quarkus = new RuntimeException("Failed to start quarkus", wrapper);

        assertThat(ProcessorMain.reason(quarkus)).isEqualTo("Cannot create the Cassandra schema in keyspace 'k': User fault"
                + " has no CREATE permission on <all keyspaces>. Check the role's permissions");
    }

    @Test
    void aMultiLineMessageGivesItsFirstLineAndACauseThatAddsSomethingIsKept() {
        var refusal = new IllegalStateException("FATAL: password authentication failed for user \"fault\"");
        var flyway = new RuntimeException("Unable to obtain connection from database\n-----\nSQL State  : 28P01", refusal);

        assertThat(ProcessorMain.reason(new RuntimeException("Failed to start quarkus", flyway)))
                .isEqualTo("Unable to obtain connection from database; caused by: FATAL: password authentication failed"
                        + " for user \"fault\"");
    }
}
