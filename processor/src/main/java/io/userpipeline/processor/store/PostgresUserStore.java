package io.userpipeline.processor.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.storeduser.PostgresUserRows;
import io.userpipeline.storeduser.StoredUser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users in PostgreSQL, for SQL analytics. The schema is Flyway's (the stored-user module's db/migration). Rows are
 * written in batches, one statement per {@code rows-per-statement} users ({@link PostgresUserRows#upsert}: the newest
 * event in {@link StoredUser#EVENT_ORDER} wins, the same order as Cassandra's write timestamps).
 */
@ApplicationScoped
public class PostgresUserStore {

    public static final String STORE = "postgresql";

    private static final String UPSERT = PostgresUserRows.upsert(PostgresUserRows.TABLE);
    private static final String SELECT_BY_ID = PostgresUserRows.select(PostgresUserRows.TABLE, "user_id = $1");

    private final Pool client;
    private final int rowsPerStatement;

    PostgresUserStore(Pool client, ProcessorConfig config) {
        this.client = client;
        this.rowsPerStatement = config.postgres().rowsPerStatement();
    }

    /** Upserts the users; they must have distinct ids (one statement cannot update a row twice). */
    public Uni<Void> write(List<StoredUser> users) {
        int chunks = (users.size() + rowsPerStatement - 1) / rowsPerStatement;
        return Multi.createFrom().range(0, chunks)
                .map(chunk -> users.subList(chunk * rowsPerStatement, Math.min(users.size(), (chunk + 1) * rowsPerStatement)))
                .onItem().transformToUniAndConcatenate(chunk -> client.preparedQuery(UPSERT)
                        .execute(Tuple.newInstance(PostgresUserRows.arrays(chunk))))
                .onItem().ignoreAsUni();
    }

    public Uni<Optional<StoredUser>> findById(UUID userId) {
        return client.preparedQuery(SELECT_BY_ID).execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(PostgresUserRows.read(rows.iterator().next().getDelegate())));
    }
}
