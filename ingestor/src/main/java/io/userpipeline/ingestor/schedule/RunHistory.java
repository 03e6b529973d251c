package io.userpipeline.ingestor.schedule;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code ingestion.history-size} runs, in memory: a new run pushes out the oldest, and a restart forgets
 * them all. Runs never overlap, so the run going on is the newest and is never pushed out.
 */
final class RunHistory {

    private final int capacity;
    private final Deque<RunRecord> runs;

    RunHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A run history keeps at least one run, not " + capacity);
        }
        this.capacity = capacity;
        this.runs = new ArrayDeque<>(capacity);
    }

    int capacity() {
        return capacity;
    }

    synchronized void add(RunRecord run) {
        runs.addFirst(run);
        while (runs.size() > capacity) {
            runs.removeLast();
        }
    }

    /** The runs kept, the newest first. */
    synchronized List<RunRecord> newestFirst() {
        return List.copyOf(runs);
    }

    synchronized Optional<RunRecord> find(String id) {
        return runs.stream().filter(run -> run.id().equals(id)).findFirst();
    }
}
