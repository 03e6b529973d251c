package io.userpipeline.processor.consume;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Pauses and resumes consumption per input channel, for every replica. The wanted state is a row per paused channel
 * in PostgreSQL's {@code processing_pauses}; each replica reads it every second and pauses or resumes its own
 * channels to match, so a pause sent to one pod through the Service reaches them all, and survives restarts and
 * rollouts. The channels start paused ({@code pausable.initially-paused}) and the first reading resumes those that
 * should consume, so a restarted replica never consumes a paused channel's records.
 *
 * <p>A paused channel requests nothing: the connector pauses its partitions once its buffer is full, stays in the
 * consumer group, and commits nothing new. Nothing is consumed, nothing is lost, lag grows.
 */
@ApplicationScoped
public class ProcessingSwitch {

    /** The input channels, with the topic each reads. */
    public record Channel(String name, String topic) {
    }

    /** A channel's state: wanted (as stored) and applied (in this replica). */
    public record ChannelState(String channel, String topic, boolean paused, Instant pausedAt, boolean pausedHere) {

        /** For people: what the channel does in this replica, and why. */
        public String describe() {
            if (paused) {
                return (pausedHere ? "paused" : "pausing") + " by an operator since " + pausedAt;
            }
            return pausedHere ? "starting: paused until this replica first reads the pauses from PostgreSQL"
                    : "consuming";
        }
    }

    private static final Logger LOG = Logger.getLogger(ProcessingSwitch.class);

    private final Pool client;
    private final ChannelRegistry channels;
    private final List<Channel> inputs;
    /** The last state read from the database, by channel; empty until the first reading. */
    private final Map<String, Optional<Instant>> wanted = new ConcurrentHashMap<>();
    /**
     * Readings are numbered when they start and applied only if none started later was applied before: a scheduled
     * reading that began before a pause was recorded must not resume the channel after the pause's own reading.
     */
    private final AtomicLong readingsStarted = new AtomicLong();
    private long newestApplied;
    private int failedReadings;
    private Instant failingSince;

    ProcessingSwitch(Pool client, ChannelRegistry channels, MeterRegistry registry,
            @ConfigProperty(name = "mp.messaging.incoming.user-profiles.topic") String userTopic,
            @ConfigProperty(name = "mp.messaging.incoming.tutorial-users.topic") String tutorialTopic) {
        this.client = client;
        this.channels = channels;
        this.inputs = List.of(new Channel("user-profiles", userTopic), new Channel("tutorial-users", tutorialTopic));
        for (Channel input : inputs) {
            Gauge.builder("processor.processing.paused", this, self -> self.pausedHere(input.name()) ? 1 : 0)
                    .tag("channel", input.name())
                    .description("1 while this replica consumes nothing from the channel because an operator paused it")
                    .strongReference(true).register(registry);
        }
    }

    public List<Channel> inputs() {
        return inputs;
    }

    public Optional<Channel> input(String name) {
        return inputs.stream().filter(input -> input.name().equals(name)).findFirst();
    }

    /** Each channel's wanted and applied state. */
    public List<ChannelState> states() {
        return inputs.stream().map(input -> {
            Optional<Instant> pausedAt = wanted.getOrDefault(input.name(), Optional.empty());
            return new ChannelState(input.name(), input.topic(), pausedAt.isPresent(), pausedAt.orElse(null),
                    pausedHere(input.name()));
        }).toList();
    }

    /** Records the pause for every replica and applies it here at once. */
    public Uni<Void> pause(Channel input) {
        return client.preparedQuery("INSERT INTO processing_pauses (channel, paused_at) VALUES ($1, $2)"
                + " ON CONFLICT (channel) DO NOTHING")
                .execute(Tuple.of(input.name(), OffsetDateTime.now(ZoneOffset.UTC)))
                .chain(this::synchronize);
    }

    /** Removes the pause for every replica and resumes here at once. */
    public Uni<Void> resume(Channel input) {
        return client.preparedQuery("DELETE FROM processing_pauses WHERE channel = $1")
                .execute(Tuple.of(input.name()))
                .chain(this::synchronize);
    }

    /**
     * Reads the wanted state and applies it. While PostgreSQL does not answer, the channels keep their state: the
     * pipeline waits for PostgreSQL anyway.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> synchronize() {
        long reading = readingsStarted.incrementAndGet();
        return client.query("SELECT channel, paused_at FROM processing_pauses").execute()
                .map(rows -> {
                    Map<String, Optional<Instant>> read = new LinkedHashMap<>();
                    inputs.forEach(input -> read.put(input.name(), Optional.empty()));
                    for (Row row : rows) {
                        read.computeIfPresent(row.getString("channel"),
                                (name, none) -> Optional.of(row.getOffsetDateTime("paused_at").toInstant()));
                    }
                    return read;
                })
                .invoke(read -> applyInOrder(reading, read))
                .onFailure().invoke(failure -> readingFailed(reading, failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private synchronized void applyInOrder(long reading, Map<String, Optional<Instant>> read) {
        if (reading < newestApplied) {
            return;
        }
        newestApplied = reading;
        if (failingSince != null) {
            LOG.infof("The processing pauses are readable again (unreadable since %s)", failingSince);
        }
        failedReadings = 0;
        failingSince = null;
        wanted.putAll(read);
        read.forEach(this::apply);
    }

    /** Logged at WARN on the fifth failure in a row and every minute after: once is a blip, five seconds is not. */
    private synchronized void readingFailed(long reading, Throwable failure) {
        if (reading < newestApplied) {
            return; // a newer reading succeeded meanwhile
        }
        failedReadings++;
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        if (failedReadings % 60 == 5) {
            LOG.warnf("Cannot read the processing pauses from PostgreSQL since %s (%s): the channels keep their state%s",
                    failingSince, failure.getMessage(), wanted.isEmpty() ? ", paused since start-up until a reading"
                            + " succeeds" : "");
        }
    }

    /** Since when the pauses could not be read, or null while they can. */
    public synchronized Instant unreadableSince() {
        return failingSince;
    }

    private void apply(String channel, Optional<Instant> pausedAt) {
        PausableChannel pausable = channels.getPausable(channel);
        if (pausable == null) {
            return;
        }
        if (pausedAt.isPresent() && !pausable.isPaused()) {
            pausable.pause();
            LOG.infof("Processing of %s paused (by an operator at %s): nothing is consumed until it is resumed", channel,
                    pausedAt.get());
        } else if (pausedAt.isEmpty() && pausable.isPaused()) {
            pausable.resume();
            LOG.infof("Processing of %s resumed", channel);
        }
    }

    private boolean pausedHere(String channel) {
        PausableChannel pausable = channels.getPausable(channel);
        return pausable != null && pausable.isPaused();
    }
}
