package io.userpipeline.processor.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.userpipeline.event.DeadLetterHeaders;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.consume.ProcessingSwitch;

/**
 * Re-publishes selected dead letters to their source topic, one at a time per replica, in the background, bounded
 * in rate. Each identity is re-published once per replay, its newest dead letter's original key, value and headers,
 * with {@code dlq-replay-of}, {@code dlq-replayed-at} and the original's time in {@code dlq-source-timestamp}: a record still invalid comes back to the
 * dead-letter topic once, as the same identity, and a record replayed twice is stored once (the stores keep the
 * newest event of each user, and an event is the same event however often it is read).
 */
@ApplicationScoped
public class DeadLetterReplays {

    /** The replays a replica remembers, newest first; a restart forgets them. */
    static final int REMEMBERED = 20;
    /** Skipped dead letters a replay names, beyond which it only counts them. */
    static final int SKIPPED_NAMED = 20;

    public enum State {
        running, finished, failed
    }

    /** What a replay was asked, did, and left. */
    public record Replay(String id, DeadLetterSelection selection, int maxRate, State state, Instant startedAt,
            Instant finishedAt, long selected, long sent, long failed, long skipped, Map<String, String> skippedExamples,
            String error) {
    }

    private static final Logger LOG = Logger.getLogger(DeadLetterReplays.class);

    private final DeadLetterTopic topic;
    private final ProcessingSwitch processing;
    private final int maxRate;
    private final Counter replayed;
    private final AtomicReference<Run> current = new AtomicReference<>();
    private final List<Run> history = Collections.synchronizedList(new ArrayList<>());

    DeadLetterReplays(DeadLetterTopic topic, ProcessingSwitch processing, ProcessorConfig config, MeterRegistry registry) {
        this.topic = topic;
        this.processing = processing;
        this.maxRate = config.deadLetters().replayMaxRate();
        this.replayed = Counter.builder("processor.dead.letters.replayed")
                .description("Dead letters re-published to their source topic by a replay, acknowledged by Kafka")
                .register(registry);
    }

    /**
     * Starts a replay in the background and answers at once with its first state.
     *
     * @param rate records per second, at most {@code pipeline.dead-letters.replay-max-rate}; null for that
     * @throws IllegalStateException when a replay is running
     */
    public Replay start(DeadLetterSelection selection, Integer rate) {
        if (rate != null && (rate < 1 || rate > maxRate)) {
            throw new IllegalArgumentException("maxRate must be from 1 to " + maxRate
                    + " (pipeline.dead-letters.replay-max-rate) records per second, not " + rate);
        }
        Run run = new Run(UUID.randomUUID().toString(), selection, rate == null ? maxRate : rate, Instant.now());
        if (!current.compareAndSet(null, run)) {
            throw new IllegalStateException("Replay " + current.get().id + " is running; one replay at a time per"
                    + " processor. Follow it at /dead-letters/replays/" + current.get().id);
        }
        synchronized (history) {
            history.add(0, run);
            if (history.size() > REMEMBERED) {
                history.remove(history.size() - 1);
            }
        }
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> run(run));
        } catch (RuntimeException rejected) {
            end(run, "the replay could not start: " + rejected);
        }
        return run.snapshot();
    }

    private void run(Run run) {
        String error = "the replay stopped unexpectedly";
        try {
            replay(run);
            error = null;
        } catch (RuntimeException e) {
            error = e.getMessage();
        } finally {
            end(run, error);
        }
    }

    /** Its outcome last, once the rest is set: whoever sees it finished sees its counts, and may start another. */
    private void end(Run run, String error) {
        if (error != null) {
            LOG.errorf("Replay %s of dead letters (%s) failed after %d of %d sent: %s", run.id, run.selection,
                    run.sent.get(), run.selected, error);
        }
        run.error = error;
        run.finishedAt = Instant.now();
        current.set(null);
        run.state = error == null ? State.finished : State.failed;
    }

    public Optional<Replay> find(String id) {
        synchronized (history) {
            return history.stream().filter(run -> run.id.equals(id)).findFirst().map(Run::snapshot);
        }
    }

    public List<Replay> recent() {
        synchronized (history) {
            return history.stream().map(Run::snapshot).toList();
        }
    }

    private void replay(Run run) {
        Map<SourceCoordinates, DeadLetter> newest = new HashMap<>();
        DeadLetterTopic.Reading reading = topic.readAll(record -> {
            DeadLetter letter = DeadLetter.read(record, 0);
            if (letter != null) {
                newest.merge(letter.identity(), letter, DeadLetterBrowser::newer);
            }
        });
        if (!reading.complete()) {
            throw new DeadLetterTopicException("Kafka stopped sending the dead-letter topic " + reading.topic() + " after "
                    + reading.read() + " dead letters (nothing for pipeline.dead-letters.read-timeout); nothing was"
                    + " replayed: try again");
        }
        Set<String> inputTopics = new HashSet<>();
        processing.inputs().forEach(input -> inputTopics.add(input.topic()));
        Map<Integer, Long> first = new HashMap<>();
        Map<Integer, Long> last = new HashMap<>();
        Map<String, SourceCoordinates> chosen = new HashMap<>();
        for (DeadLetter letter : newest.values()) {
            if (!run.selection.matches(letter)) {
                continue;
            }
            run.selected++;
            if (letter.notReplayable() != null) {
                run.skip(letter.identity(), letter.notReplayable());
            } else if (!inputTopics.contains(letter.identity().topic())) {
                run.skip(letter.identity(), "its topic is not one this processor reads " + inputTopics);
            } else {
                chosen.put(letter.partition() + "/" + letter.offset(), letter.identity());
                first.merge(letter.partition(), letter.offset(), Math::min);
                last.merge(letter.partition(), letter.offset(), Math::max);
            }
        }
        if (chosen.isEmpty()) {
            return;
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / run.maxRate;
        long[] next = { System.nanoTime() };
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        AtomicLong reread = new AtomicLong();
        try (KafkaProducer<byte[], byte[]> producer = topic.replayProducer()) {
            topic.reread(first, last, record -> {
                SourceCoordinates identity = chosen.get(record.partition() + "/" + record.offset());
                if (identity == null) {
                    return;
                }
                reread.incrementAndGet();
                if (sendFailure.get() != null) {
                    return; // the first refusal (an ACL, a topic gone) would refuse the rest as well
                }
                pace(next, interval);
                producer.send(original(record, identity), (metadata, failure) -> {
                    if (failure == null) {
                        run.sent.incrementAndGet();
                        replayed.increment();
                    } else {
                        run.failed.incrementAndGet();
                        sendFailure.compareAndSet(null, failure);
                    }
                });
            });
            producer.flush();
        }
        if (reread.get() < chosen.size()) {
            throw new DeadLetterTopicException((chosen.size() - reread.get()) + " of the " + chosen.size() + " dead letters"
                    + " selected could not be read again to re-publish them (the topic's retention removed them, or Kafka"
                    + " stopped answering for pipeline.dead-letters.read-timeout); replay again to retry those");
        }
        if (sendFailure.get() != null) {
            run.failed.set(chosen.size() - run.sent.get()); // refused, or not tried after the first refusal
            throw new DeadLetterTopicException(run.failed.get() + " dead letters were not re-published ("
                    + sendFailure.get().getMessage() + "); they are still in the dead-letter topic: replay them again", sendFailure.get());
        }
    }

    /** Waits for the next send's turn: at most one per {@code interval}, without catching up after a stall. */
    private static void pace(long[] next, long interval) {
        long wait = next[0] - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadLetterTopicException("The replay was interrupted (the processor is stopping); replay the"
                        + " rest again", e);
            }
        }
        next[0] = Math.max(next[0], System.nanoTime() - interval) + interval;
    }

    /** The original as it was read: key, value and own headers, plus what says it is a replay and its first time. */
    static ProducerRecord<byte[], byte[]> original(ConsumerRecord<byte[], byte[]> deadLetter, SourceCoordinates identity) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : deadLetter.headers()) {
            if (!header.key().startsWith(DeadLetterHeaders.PREFIX)) {
                headers.add(header);
            }
        }
        headers.add(DeadLetterHeaders.REPLAY_OF, identity.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REPLAYED_AT, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        Long written = originalTimestamp(deadLetter);
        if (written != null) {
            headers.add(DeadLetterHeaders.SOURCE_TIMESTAMP, Long.toString(written).getBytes(StandardCharsets.UTF_8));
        }
        // Timed now, not as the original: a source topic keeping less than the dead-letter topic would otherwise
        // delete an old original before it is read again.
        return new ProducerRecord<>(identity.topic(), null, null, deadLetter.key(), deadLetter.value(), headers);
    }

    private static Long originalTimestamp(ConsumerRecord<byte[], byte[]> deadLetter) {
        String stamped = DeadLetter.text(deadLetter, DeadLetterHeaders.SOURCE_TIMESTAMP);
        try {
            if (stamped != null && Long.parseLong(stamped) >= 0) {
                return Long.parseLong(stamped);
            }
        } catch (NumberFormatException unreadable) {
            // The dead letter's own time is next best: the original was rejected soon after it was written.
        }
        return deadLetter.timestamp() >= 0 ? deadLetter.timestamp() : null;
    }

    private static final class Run {
        final String id;
        final DeadLetterSelection selection;
        final int maxRate;
        final Instant startedAt;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, String> skippedExamples = Collections.synchronizedMap(new LinkedHashMap<>());
        volatile long selected;
        volatile long skipped;
        volatile State state = State.running;
        volatile Instant finishedAt;
        volatile String error;

        Run(String id, DeadLetterSelection selection, int maxRate, Instant startedAt) {
            this.id = id;
            this.selection = selection;
            this.maxRate = maxRate;
            this.startedAt = startedAt;
        }

        void skip(SourceCoordinates identity, String why) {
            skipped++;
            if (skippedExamples.size() < SKIPPED_NAMED) {
                skippedExamples.put(identity.toString(), why);
            }
        }

        Replay snapshot() {
            synchronized (skippedExamples) {
                return new Replay(id, selection, maxRate, state, startedAt, finishedAt, selected, sent.get(),
                        failed.get(), skipped, Map.copyOf(skippedExamples), error);
            }
        }
    }
}
