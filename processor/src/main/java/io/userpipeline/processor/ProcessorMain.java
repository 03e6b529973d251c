package io.userpipeline.processor;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The processor's entry point, there for the one case Quarkus reports badly: start-up failing because a store
 * refuses the processor (wrong password, no permission to create its schema). Quarkus then logs only "Failed to
 * start application" and leaves the reason to a "Caused by" deep in the stack trace; this adds one ERROR line that
 * says what went wrong, in the causes' own words, before the process exits as it would have anyway.
 */
@QuarkusMain
public class ProcessorMain {

    private static final Logger LOG = Logger.getLogger(ProcessorMain.class);

    public static void main(String... args) {
        Quarkus.run(Processor.class, ProcessorMain::exit, args);
    }

    /** Runs until the process is asked to stop: everything the processor does is started by its beans. */
    public static class Processor implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }

    private static void exit(Integer code, Throwable failure) {
        if (failure != null) {
            LOG.errorf("The processor could not start: %s. Check the settings and the credentials' permissions for the"
                    + " server this names (kafka.bootstrap.servers, quarkus.cassandra.*, quarkus.datasource.*).",
                    reason(failure));
        }
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(code, failure);
    }

    /**
     * The causes' first lines, outermost first, without the wrappers that only repeat their cause and without a
     * cause that an outer message already quotes.
     */
    static String reason(Throwable failure) {
        List<String> said = new ArrayList<>();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 20; cause = cause.getCause(), depth++) {
            String message = firstLine(cause.getMessage());
            Throwable next = cause.getCause();
            boolean repeatsItsCause = next != null
                    && (message.equals(firstLine(next.getMessage())) || message.equals(firstLine(next.toString())));
            boolean alreadySaid = said.stream().anyMatch(earlier -> earlier.contains(message));
            if (!message.isEmpty() && !repeatsItsCause && !alreadySaid && !message.equals("Failed to start quarkus")) {
                said.add(message);
            }
        }
        return said.isEmpty() ? failure.toString() : String.join("; caused by: ", said);
    }

    /** The message's first line, without a closing full stop: the parts are joined into one sentence. */
    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
