package io.userpipeline.servers;

/** A server could not be started; the message says why, where its log is, and what to do. */
public class ServerStartException extends RuntimeException {

    public ServerStartException(String message) {
        super(message);
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
