package io.userpipeline.processor.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PagingState;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.storeduser.CassandraMigrations;
import io.userpipeline.storeduser.CassandraUserRows;
import io.userpipeline.storeduser.StoredUser;

/**
 * Users in Cassandra, for lookups by key: {@code users_by_id}, one row per user, read by id and, through its
 * storage-attached index on {@code country}, by country (the REST API's two access patterns). The schema is the
 * versioned scripts of the stored-user module's {@code cassandra/migration} ({@link CassandraMigrations}).
 * <p>
 * Every write carries a timestamp that follows {@link StoredUser#EVENT_ORDER} ({@link CassandraUserRows#writeTimestamp}), so
 * Cassandra keeps the newest event of each user whatever order writes arrive in, and a replayed event rewrites
 * identical cells: idempotent.
 */
@ApplicationScoped
public class CassandraUserStore {

    public static final String STORE = "cassandra";
    private static final Logger LOG = Logger.getLogger(CassandraUserStore.class);
    /** Longer than a migration takes, shorter than the chart's start-up probe allows. */
    private static final Duration MIGRATION_LOCK_WAIT = Duration.ofSeconds(180);
    private static final Duration SCHEMA_CHANGE_TIMEOUT = Duration.ofSeconds(60);

    /** Prepared once the schema exists; read from the driver's and the workers' threads. */
    private record Statements(PreparedStatement insert, PreparedStatement selectById,
            PreparedStatement selectByCountry) {
    }

    private final QuarkusCqlSession session;
    private final ProcessorConfig.Cassandra config;
    private volatile Statements statements;

    CassandraUserStore(QuarkusCqlSession session, ProcessorConfig config) {
        this.session = session;
        this.config = config.cassandra();
    }

    /**
     * Creates the keyspace if missing and migrates its schema, at start-up, before the messaging channels start
     * consuming (they start at {@code LIBRARY_BEFORE}).
     */
    void createSchema(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent startup) {
        String keyspace = config.keyspace();
        int version;
        try {
            String datacenter = session.getContext().getConfig().getDefaultProfile()
                    .getString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER);
            session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication ="
                    + " {'class': 'NetworkTopologyStrategy', '" + datacenter + "': " + config.replicationFactor() + "}")
                    .setTimeout(SCHEMA_CHANGE_TIMEOUT));
            version = new CassandraMigrations(session, keyspace, CassandraMigrations.SCRIPTS, MIGRATION_LOCK_WAIT).migrate();
            warnOfTheFormerCountryTable(keyspace);
            statements = new Statements(
                    session.prepare(CassandraUserRows.insert(keyspace)),
                    session.prepare(CassandraUserRows.select(keyspace, "user_id = ?")),
                    session.prepare(CassandraUserRows.select(keyspace, "country = ?")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create or migrate the Cassandra schema in keyspace '" + keyspace
                    + "': " + e.getMessage() + ". Check that Cassandra is up at quarkus.cassandra.contact-points, that"
                    + " quarkus.cassandra.local-datacenter names its datacenter, and that the user may create keyspaces"
                    + " and tables (or create the keyspace beforehand and grant the user all permissions on it).", e);
        }
        LOG.infof("Cassandra schema ready in keyspace %s at version %d (replication factor %d)", keyspace, version,
                config.replicationFactor());
    }

    /**
     * Versions before 2026-12-02 kept the users of a country in a table of their own. It is not dropped by a
     * migration: processors of the previous version may still run during a rollout, or come back with a rollback,
     * and would recreate it; Cassandra's guardrails may forbid dropping tables; and dropping it leaves a snapshot
     * on every node. The operator drops it, when no such processor runs.
     */
    private void warnOfTheFormerCountryTable(String keyspace) {
        boolean present = session.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables"
                + " WHERE keyspace_name = ? AND table_name = 'users_by_country'", keyspace)).one() != null;
        if (present) {
            LOG.warnf("Table %s.users_by_country is no longer read or written (users of a country come from the index"
                    + " users_by_id_country). Once no processor of a version before 2026-12-02 runs: DROP TABLE"
                    + " %s.users_by_country; then, on every node, nodetool clearsnapshot for the snapshot that the drop"
                    + " leaves (nodetool listsnapshots).", keyspace, keyspace);
        }
    }

    /** Writes every user's row, at most {@code max-concurrent-writes} requests in flight. */
    public Uni<Void> write(List<StoredUser> users) {
        Statements prepared = statements;
        List<BoundStatement> requests = new ArrayList<>(users.size());
        for (StoredUser user : users) {
            requests.add(CassandraUserRows.bind(prepared.insert(), user));
        }
        return Uni.createFrom().completionStage(() -> new InFlightWindow(requests).run());
    }

    /**
     * Runs statements through a fixed number of lanes, each sending its next statement when its last one
     * completes. Per statement this costs one callback; Mutiny's {@code merge(n)}, measured first, scanned its
     * in-flight inners on every completion: a fifth of the processor's CPU in a drain (JFR).
     */
    private final class InFlightWindow {
        private final List<? extends Statement<?>> pending;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger lanesRunning;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        InFlightWindow(List<? extends Statement<?>> pending) {
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
                .map(result -> Optional.ofNullable(result.one()).map(CassandraUserRows::read));
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
        result.currentPage().forEach(row -> users.add(CassandraUserRows.read(row)));
        return new Page(users, result.hasMorePages() ? result.getExecutionInfo().getSafePagingState().toString() : null);
    }
}
