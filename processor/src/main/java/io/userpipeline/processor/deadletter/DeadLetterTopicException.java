package io.userpipeline.processor.deadletter;

/** The dead-letter topic could not be read or written; the message says which topic and what to check. */
public class DeadLetterTopicException extends RuntimeException {

    public DeadLetterTopicException(String message) {
        super(message);
    }

    public DeadLetterTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
