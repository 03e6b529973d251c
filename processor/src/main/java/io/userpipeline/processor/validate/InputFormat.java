package io.userpipeline.processor.validate;

/** The two shapes of record the processor accepts, one per input topic. */
public enum InputFormat {
    /** The shared user event written by this project's ingestor (see the user-event module). */
    USER_EVENT,
    /** The flat, all-text record of the popular Airflow/Spark tutorials' producers (topic users_created). */
    TUTORIAL
}
