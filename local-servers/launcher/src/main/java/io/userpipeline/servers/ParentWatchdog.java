package io.userpipeline.servers;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Entry point of every server process: runs the server's own main class, and exits when the process that
 * started it is gone, so that a crashed or killed test run never leaves servers holding ports and memory.
 * <p>
 * Usage: {@code java -Dlocal-servers.parent-pid=<pid> ... ParentWatchdog <main class> [args...]}
 */
public final class ParentWatchdog {

    static final String PARENT_PID_PROPERTY = "local-servers.parent-pid";

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Throwable {
        long parentPid = Long.parseLong(System.getProperty(PARENT_PID_PROPERTY));
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    System.err.println("[local-servers] the process that started this server (pid " + parentPid
                            + ") has exited; stopping");
                    System.exit(0);
                }),
                () -> System.exit(0));
        try {
            Class.forName(args[0])
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
