package io.userpipeline.processor.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
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
                    session.prepare("SELECT " + COLUMNS + " FROM " + keyspace + ".users_by_country WHERE country = ? LIMIT ?"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot create or read the Cassandra schema in keyspace '" + keyspace + "': "
                    + e.getMessage() + ". Check that Cassandra is up at quarkus.cassandra.contact-points, that"
                    + " quarkus.cassandra.local-datacenter names its datacenter, and that the user may create keyspaces"
                    + " and tables (or create them beforehand).", e);
        }
        LOG.infof("Cassandra schema ready in keyspace %s (replication factor %d)", keyspace, config.replicationFactor());
    }

    /** Writes every user to both tables, at most {@code max-concurrent-writes} statements in flight. */
    public Uni<Void> write(List<StoredUser> users) {
        Statements prepared = statements;
        return Multi.createFrom().iterable(users)
                .onItem().transformToIterable(user -> List.of(bind(prepared.insertById(), user),
                        bind(prepared.insertByCountry(), user)))
                .onItem().transformToUni(statement -> Uni.createFrom().completionStage(() -> session.executeAsync(statement)))
                .merge(config.maxConcurrentWrites())
                .onItem().ignoreAsUni();
    }

    public Uni<Optional<StoredUser>> findById(UUID userId) {
        return Uni.createFrom().completionStage(() -> session.executeAsync(statements.selectById().bind(userId)))
                .map(result -> Optional.ofNullable(result.one()).map(CassandraUserStore::toUser));
    }

    public Uni<List<StoredUser>> findByCountry(String country, int limit) {
        return Uni.createFrom().completionStage(() -> session.executeAsync(statements.selectByCountry().bind(country, limit)))
                .map(CassandraUserStore::allRows);
    }

    private static List<StoredUser> allRows(AsyncResultSet firstPage) {
        // LIMIT is at most one page (the driver's default page size is 5000), so there is no next page to fetch.
        List<StoredUser> users = new ArrayList<>();
        firstPage.currentPage().forEach(row -> users.add(toUser(row)));
        return users;
    }

    private static BoundStatement bind(PreparedStatement statement, StoredUser user) {
        return statement.boundStatementBuilder()
                .setUuid("user_id", user.userId())
                .setUuid("event_id", user.eventId())
                .setString("source", user.source())
                .setInstant("ingested_at", user.ingestedAt())
                .setString("title", user.title())
                .setString("first_name", user.firstName())
                .setString("last_name", user.lastName())
                .setString("gender", user.gender())
                .setString("email", user.email())
                .setString("email_domain", user.emailDomain())
                .setString("phone", user.phone())
                .setString("cell", user.cell())
                .setLocalDate("date_of_birth", user.dateOfBirth())
                .setInt("age", user.age())
                .setString("street", user.street())
                .setString("city", user.city())
                .setString("state", user.state())
                .setString("country", user.country())
                .setString("postcode", user.postcode())
                .setString("username", user.username())
                .setInstant("registered_at", user.registeredAt())
                .setInt("registration_year", user.registrationYear())
                .setString("picture_url", user.pictureUrl())
                .setString("nationality", user.nationality())
                .setLong("write_time", ChronoUnit.MICROS.between(Instant.EPOCH, user.ingestedAt()))
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
