package io.userpipeline.faults;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.userpipeline.event.UserEvent;
import io.userpipeline.event.UserEventJson;
import io.userpipeline.randomuser.RandomUserGenerator;
import io.userpipeline.randomuser.RandomUserProfile;

/**
 * Several versions of each user, produced at a steady pace: every user gets 2 to 4 events with different content and
 * increasing {@code ingestedAt}, keyed by user id as the ingestor keys them, each version at a random place in the
 * stream among other users' events. So a user's versions land in one partition, in order, but in different batches
 * (sometimes the same one), and a redelivery after a rebalance or a crash replays older versions over newer ones:
 * what "newest wins" must survive.
 * <p>
 * A user's versions are different profiles from the generator, so everything changes between them, the country
 * too (the audit checks that the country index lists each user under the newest version's country only); the
 * events are made when they are sent, so each one's {@code ingestedAt} is its time of sending.
 */
final class VersionedUserStream implements AutoCloseable {

    private static final int MIN_VERSIONS = 2;
    private static final int MAX_VERSIONS = 4;
    private static final Duration SLICE = Duration.ofMillis(20);

    private final RandomUserGenerator generator;
    private final UUID[] userIds;
    /** For each user, the generator indexes of its versions' content, oldest first. */
    private final long[][] versionContents;
    /** Which user each event of the stream is for, in the order they are sent. */
    private final int[] sendOrder;
    private final int[] versionsSent;
    private final Instant[] lastIngestedAt;

    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private volatile int holdAt;
    private volatile int sent;
    private KafkaProducer<String, byte[]> producer;
    private CompletableFuture<Void> done;

    private VersionedUserStream(RandomUserGenerator generator, UUID[] userIds, long[][] versionContents, int[] sendOrder) {
        this.generator = generator;
        this.userIds = userIds;
        this.versionContents = versionContents;
        this.sendOrder = sendOrder;
        this.versionsSent = new int[userIds.length];
        this.lastIngestedAt = new Instant[userIds.length];
        this.holdAt = sendOrder.length;
    }

    /** Users with 2 to 4 versions each, as many as make at least {@code minimumEvents} events; the same for a seed. */
    static VersionedUserStream plan(long seed, int minimumEvents) {
        RandomUserGenerator generator = new RandomUserGenerator(seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<UUID> userIds = new ArrayList<>();
        List<long[]> versionContents = new ArrayList<>();
        long nextProfile = 0;
        int events = 0;
        while (events < minimumEvents) {
            RandomUserProfile first = generator.profile(nextProfile);
            long[] contents = new long[random.nextInt(MIN_VERSIONS, MAX_VERSIONS + 1)];
            for (int version = 0; version < contents.length; version++) {
                contents[version] = nextProfile++;
            }
            userIds.add(UUID.fromString(first.login().uuid()));
            versionContents.add(contents);
            events += contents.length;
        }
        int[] sendOrder = new int[events];
        int slot = 0;
        for (int user = 0; user < versionContents.size(); user++) {
            for (int version = 0; version < versionContents.get(user).length; version++) {
                sendOrder[slot++] = user;
            }
        }
        for (int i = sendOrder.length - 1; i > 0; i--) {
            int other = random.nextInt(i + 1);
            int swapped = sendOrder[i];
            sendOrder[i] = sendOrder[other];
            sendOrder[other] = swapped;
        }
        return new VersionedUserStream(generator, userIds.toArray(UUID[]::new),
                versionContents.toArray(long[][]::new), sendOrder);
    }

    int events() {
        return sendOrder.length;
    }

    int users() {
        return userIds.length;
    }

    /** Sends every event to {@code topic}, evenly over {@code duration} (slower while held), in the background. */
    void start(String topic, Duration duration) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafka(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
        double eventsPerNano = (double) events() / duration.toNanos();
        done = CompletableFuture.runAsync(() -> send(topic, eventsPerNano),
                task -> Thread.ofPlatform().daemon().name("versioned-user-stream").start(task));
    }

    private void send(String topic, double eventsPerNano) {
        double allowed = 0;
        long previousSlice = System.nanoTime();
        while (sent < events() && !stopped.get()) {
            long now = System.nanoTime();
            // While held, nothing accrues: the pace resumes where it stopped rather than catching up in a burst.
            if (sent < holdAt) {
                allowed += (now - previousSlice) * eventsPerNano;
            }
            previousSlice = now;
            int until = (int) Math.min(Math.min(events(), holdAt), allowed);
            for (int index = sent; index < until; index++) {
                UserEvent event = nextVersion(sendOrder[index]);
                producer.send(new ProducerRecord<>(topic, event.userId().toString(), UserEventJson.write(event)),
                        (metadata, failure) -> {
                            if (failure != null) {
                                sendFailure.compareAndSet(null, failure);
                            }
                        });
            }
            sent = Math.max(sent, until);
            IngestionStream.sleep(SLICE);
        }
        producer.flush();
    }

    private UserEvent nextVersion(int user) {
        RandomUserProfile content = generator.profile(versionContents[user][versionsSent[user]++]);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant previous = lastIngestedAt[user];
        // Distinct times: which version is newest must not depend on how ties are broken (tested elsewhere).
        Instant ingestedAt = previous == null || now.isAfter(previous) ? now : previous.plusMillis(1);
        lastIngestedAt[user] = ingestedAt;
        return event(userIds[user], content, ingestedAt);
    }

    /** The profile as the ingestor's mapping makes it an event, under the user's id. */
    private static UserEvent event(UUID userId, RandomUserProfile profile, Instant ingestedAt) {
        RandomUserProfile.Location location = profile.location();
        RandomUserProfile.Street street = location.street();
        return new UserEvent(UserEvent.CURRENT_SCHEMA_VERSION, UUID.randomUUID(), "fault-suite", ingestedAt, userId,
                profile.name().title(), profile.name().first(), profile.name().last(), profile.gender(),
                profile.email(), profile.phone(), profile.cell(),
                Instant.parse(profile.dob().date()).atOffset(ZoneOffset.UTC).toLocalDate(),
                RandomUserProfile.text(street.number()) + " " + street.name(), location.city(), location.state(),
                location.country(), RandomUserProfile.text(location.postcode()), profile.login().username(),
                Instant.parse(profile.registered().date()), profile.picture().large(), profile.nat());
    }

    /**
     * Lets the stream go no further than {@code events} until {@link #release()}: an action that comes late (a
     * processor slow to start) still finds events streaming.
     */
    void holdAt(int events) {
        holdAt = events;
    }

    void release() {
        holdAt = events();
    }

    /** Events handed to the producer so far. */
    int sent() {
        return sent;
    }

    void awaitSent(int events, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent < events) {
            if (System.nanoTime() > deadline || done.isDone()) {
                throw new AssertionError("Only " + sent + " of " + events + " events were sent within "
                        + timeout.toSeconds() + " s (held at " + holdAt + ")");
            }
            IngestionStream.sleep(SLICE);
        }
    }

    /** Waits until Kafka has acknowledged every event; fails if it refused any. */
    void await(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (sendFailure.get() != null) {
            throw new IllegalStateException("Kafka refused an event of the stream", sendFailure.get());
        }
    }

    @Override
    public void close() {
        stopped.set(true);
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
