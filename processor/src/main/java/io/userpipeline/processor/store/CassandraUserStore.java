package io.userpipeline.processor.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PagingState;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.transform.StoredUser;

/**
 * Users in Cassandra, for lookups by key: {@code users_by_id} (a user by id) and {@code users_by_country}
 * (the users of a country, the REST API's second access pattern).
 * <p>
 * Every write carries the event's ingestion time as its write timestamp, so Cassandra keeps the newest event of
 * each user whatever order writes arrive in, and a replayed event rewrites identical cells: idempotent.
 */
@ApplicationScoped
public class CassandraUserStore {

    public static final String STORE = "cassandra";
    private static final Logger LOG = Logger.getLogger(CassandraUserStore.class);
    private static final int ROWS_PER_COUNTRY_BATCH = 8;

    private static final String COLUMNS = UserColumns.ALL;
    private static final String COLUMN_TYPES = "event_id uuid, source text, ingested_at timestamp, title text,"
            + " first_name text, last_name text, gender text, email text, email_domain text, phone text, cell text,"
            + " date_of_birth date, age int, street text, city text, state text, postcode text, username text,"
            + " registered_at timestamp, registration_year int, picture_url text, nationality text";

    /** Prepared once the schema exists; read from the driver's and the workers' threads. */
    private record Statements(PreparedStatement insertById, PreparedStatement insertByCountry,
            PreparedStatement selectById, PreparedStatement selectByCountry) {
    }

    private final QuarkusCqlSession session;
    private final ProcessorConfig.Cassandra config;
    private volatile Statements statements;

    CassandraUserStore(QuarkusCqlSession session, ProcessorConfig config) {
        this.session = session;
        this.config = config.cassandra();
    }

    /**
     * Creates the keyspace and tables if missing, at start-up, before the messaging channels start consuming
     * (they start at {@code LIBRARY_BEFORE}).
     */
    void createSchema(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent startup) {
        String keyspace = config.keyspace();
        try {
            String datacenter = session.getContext().getConfig().getDefaultProfile()
                    .getString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER);
            session.execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = {'class':"
                    + " 'NetworkTopologyStrategy', '" + datacenter + "': " + config.replicationFactor() + "}");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".users_by_id (user_id uuid PRIMARY KEY, country text, "
                    + COLUMN_TYPES + ")");
            session.execute("CREATE TABLE IF NOT EXISTS " + keyspace + ".users_by_country (country text, user_id uuid, "
                    + COLUMN_TYPES + ", PRIMARY KEY ((country), user_id))");
            String values = ":" + COLUMNS.replace(", ", ", :");
            statements = new Statements(
                    session.prepare("INSERT INTO " + keyspace + ".users_by_id (" + COLUMNS + ") VALUES (" + values
                            + ") USING TIMESTAMP :write_time"),
                    session.prepare("INSERT INTO " + keyspace + ".users_by_country (" + COLUMNS + ") VALUES (" + values
                            + ") USING TIMESTAMP :write_time"),
                    session.prepare("SELECT " + COLUMNS + " FROM " + keyspace + ".users_by_id WHERE user_id = ?"),
                    session.prepare("SELECT " + COLUMNS + " FROM " + keyspace + ".users_by_country WHERE country = ?"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create or read the Cassandra schema in keyspace '" + keyspace + "': "
                    + e.getMessage() + ". Check that Cassandra is up at quarkus.cassandra.contact-points, that"
                    + " quarkus.cassandra.local-datacenter names its datacenter, and that the user may create keyspaces"
                    + " and tables (or create them beforehand).", e);
        }
        LOG.infof("Cassandra schema ready in keyspace %s (replication factor %d)", keyspace, config.replicationFactor());
    }

    /**
     * Writes every user to both tables, at most {@code max-concurrent-writes} requests in flight. The rows of one
     * country go to {@code users_by_country} together, a few per unlogged batch: one partition, so Cassandra
     * applies them as one mutation instead of one request per row, which cut its CPU per user by about a quarter
     * (bench/run). At most 8 rows per batch keep it under Cassandra's batch size warning (5 KiB).
     */
    public Uni<Void> write(List<StoredUser> users) {
        Statements prepared = statements;
        List<Statement<?>> requests = new ArrayList<>(users.size() + users.size() / ROWS_PER_COUNTRY_BATCH);
        Map<String, List<BoundStatement>> byCountry = new HashMap<>();
        for (StoredUser user : users) {
            requests.add(bind(prepared.insertById(), user));
            List<BoundStatement> country = byCountry.computeIfAbsent(user.country(), key -> new ArrayList<>());
            country.add(bind(prepared.insertByCountry(), user));
            if (country.size() == ROWS_PER_COUNTRY_BATCH) {
                requests.add(batchOf(country));
                country.clear();
            }
        }
        byCountry.values().stream().filter(rest -> !rest.isEmpty()).forEach(rest -> requests.add(batchOf(rest)));
        return Uni.createFrom().completionStage(() -> new InFlightWindow(requests).run());
    }

    private static Statement<?> batchOf(List<BoundStatement> rowsOfOneCountry) {
        return rowsOfOneCountry.size() == 1 ? rowsOfOneCountry.get(0)
                : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, List.copyOf(rowsOfOneCountry)).setIdempotent(true);
    }

    /**
     * Runs statements through a fixed number of lanes, each sending its next statement when its last one
     * completes. Per statement this costs one callback; Mutiny's {@code merge(n)}, measured first, scanned its
     * in-flight inners on every completion: a fifth of the processor's CPU in a drain (JFR).
     */
    private final class InFlightWindow {
        private final List<Statement<?>> pending;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger lanesRunning;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        InFlightWindow(List<Statement<?>> pending) {
            this.pending = pending;
            this.lanesRunning = new AtomicInteger(Math.min(config.maxConcurrentWrites(), pending.size()));
        }

        CompletableFuture<Void> run() {
            int lanes = lanesRunning.get();
            if (lanes == 0) {
                done.complete(null);
            }
            for (int lane = 0; lane < lanes; lane++) {
                sendNext();
            }
            return done;
        }

        private void sendNext() {
            int index = next.getAndIncrement();
            if (index >= pending.size() || done.isDone()) {
                if (lanesRunning.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            session.executeAsync(pending.get(index)).whenComplete((result, failure) -> {
                if (failure != null) {
                    // The batch is retried whole; the statements still in flight are idempotent.
                    done.completeExceptionally(failure);
                }
                sendNext();
            });
        }
    }

    public Uni<Optional<StoredUser>> findById(UUID userId) {
        return Uni.createFrom().completionStage(() -> session.executeAsync(statements.selectById().bind(userId)))
                .map(result -> Optional.ofNullable(result.one()).map(CassandraUserStore::toUser));
    }

    /** Up to {@code limit} users of a country, and the token of the next page while there may be one (else null). */
    public record Page(List<StoredUser> users, String next) {
    }

    /**
     * @param page the token of the page to read, as returned with the previous one; null for the first
     * @throws IllegalArgumentException if {@code page} is not a token of this query: from another country, altered
     *                                  or made up (the driver's safe paging state checks it)
     */
    public Uni<Page> findByCountry(String country, int limit, String page) {
        BoundStatement query = statements.selectByCountry().bind(country).setPageSize(limit);
        BoundStatement fromPage = page == null ? query : query.setPagingState(pagingState(page), session);
        return Uni.createFrom().completionStage(() -> session.executeAsync(fromPage)).map(CassandraUserStore::page);
    }

    /** The driver reads a token that is not its own with whatever exception its bytes lead to. */
    private static PagingState pagingState(String page) {
        try {
            return PagingState.fromString(page);
        } catch (RuntimeException unreadable) {
            throw new IllegalArgumentException("the token cannot be read (" + unreadable + ")", unreadable);
        }
    }

    private static Page page(AsyncResultSet result) {
        List<StoredUser> users = new ArrayList<>();
        result.currentPage().forEach(row -> users.add(toUser(row)));
        return new Page(users, result.hasMorePages() ? result.getExecutionInfo().getSafePagingState().toString() : null);
    }

    /** By position, in {@link UserColumns#ALL}'s order: binding by name costs a lookup per column and row. */
    private static BoundStatement bind(PreparedStatement statement, StoredUser user) {
        return statement.boundStatementBuilder()
                .setUuid(0, user.userId())
                .setUuid(1, user.eventId())
                .setString(2, user.source())
                .setInstant(3, user.ingestedAt())
                .setString(4, user.title())
                .setString(5, user.firstName())
                .setString(6, user.lastName())
                .setString(7, user.gender())
                .setString(8, user.email())
                .setString(9, user.emailDomain())
                .setString(10, user.phone())
                .setString(11, user.cell())
                .setLocalDate(12, user.dateOfBirth())
                .setInt(13, user.age())
                .setString(14, user.street())
                .setString(15, user.city())
                .setString(16, user.state())
                .setString(17, user.country())
                .setString(18, user.postcode())
                .setString(19, user.username())
                .setInstant(20, user.registeredAt())
                .setInt(21, user.registrationYear())
                .setString(22, user.pictureUrl())
                .setString(23, user.nationality())
                .setLong(24, ChronoUnit.MICROS.between(Instant.EPOCH, user.ingestedAt()))
                .setIdempotence(true)
                .build();
    }

    private static StoredUser toUser(Row row) {
        return new StoredUser(row.getUuid("user_id"), row.getUuid("event_id"), row.getString("source"),
                row.getInstant("ingested_at"), row.getString("title"), row.getString("first_name"),
                row.getString("last_name"), row.getString("gender"), row.getString("email"), row.getString("email_domain"),
                row.getString("phone"), row.getString("cell"), row.getLocalDate("date_of_birth"), row.getInt("age"),
                row.getString("street"), row.getString("city"), row.getString("state"), row.getString("country"),
                row.getString("postcode"), row.getString("username"), row.getInstant("registered_at"),
                row.getInt("registration_year"), row.getString("picture_url"), row.getString("nationality"));
    }
}
