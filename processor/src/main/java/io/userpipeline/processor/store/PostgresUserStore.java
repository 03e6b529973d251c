package io.userpipeline.processor.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.userpipeline.processor.ProcessorConfig;
import io.userpipeline.processor.transform.StoredUser;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users in PostgreSQL, for SQL analytics. The schema is Flyway's (db/migration). Rows are written in batches, one
 * statement per {@code rows-per-statement} users, as parallel arrays unnested server-side: one round trip and
 * one plan for the whole batch.
 * <p>
 * The upsert replaces a row only with a newer event in {@link StoredUser#EVENT_ORDER} ({@code ingested_at}, then
 * {@code event_id}), so a replay leaves rows unchanged and an old event arriving late never overwrites a newer one:
 * the same order as Cassandra's write timestamps.
 */
@ApplicationScoped
public class PostgresUserStore {

    public static final String STORE = "postgresql";

    private static final String COLUMNS = UserColumns.ALL;

    private static final String UPSERT = "INSERT INTO users (" + COLUMNS + ") SELECT * FROM unnest("
            + "$1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[],"
            + " $9::text[], $10::text[], $11::text[], $12::text[], $13::date[], $14::int[], $15::text[], $16::text[],"
            + " $17::text[], $18::text[], $19::text[], $20::text[], $21::timestamptz[], $22::int[], $23::text[],"
            + " $24::text[]) ON CONFLICT (user_id) DO UPDATE SET "
            + String.join(", ", Arrays.stream(COLUMNS.split(", ")).skip(1).map(c -> c + " = EXCLUDED." + c).toList())
            + " WHERE (users.ingested_at, users.event_id) < (EXCLUDED.ingested_at, EXCLUDED.event_id)";

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
                .onItem().transformToUniAndConcatenate(chunk -> client.preparedQuery(UPSERT).execute(arrays(chunk)))
                .onItem().ignoreAsUni();
    }

    public Uni<Optional<StoredUser>> findById(UUID userId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE user_id = $1").execute(Tuple.of(userId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toUser(rows.iterator().next())));
    }

    private static Tuple arrays(List<StoredUser> users) {
        return Tuple.tuple()
                .addArrayOfUUID(column(users, StoredUser::userId, UUID[]::new))
                .addArrayOfUUID(column(users, StoredUser::eventId, UUID[]::new))
                .addArrayOfString(column(users, StoredUser::source, String[]::new))
                .addArrayOfOffsetDateTime(column(users, u -> utc(u.ingestedAt()), OffsetDateTime[]::new))
                .addArrayOfString(column(users, StoredUser::title, String[]::new))
                .addArrayOfString(column(users, StoredUser::firstName, String[]::new))
                .addArrayOfString(column(users, StoredUser::lastName, String[]::new))
                .addArrayOfString(column(users, StoredUser::gender, String[]::new))
                .addArrayOfString(column(users, StoredUser::email, String[]::new))
                .addArrayOfString(column(users, StoredUser::emailDomain, String[]::new))
                .addArrayOfString(column(users, StoredUser::phone, String[]::new))
                .addArrayOfString(column(users, StoredUser::cell, String[]::new))
                .addArrayOfLocalDate(column(users, StoredUser::dateOfBirth, LocalDate[]::new))
                .addArrayOfInteger(column(users, StoredUser::age, Integer[]::new))
                .addArrayOfString(column(users, StoredUser::street, String[]::new))
                .addArrayOfString(column(users, StoredUser::city, String[]::new))
                .addArrayOfString(column(users, StoredUser::state, String[]::new))
                .addArrayOfString(column(users, StoredUser::country, String[]::new))
                .addArrayOfString(column(users, StoredUser::postcode, String[]::new))
                .addArrayOfString(column(users, StoredUser::username, String[]::new))
                .addArrayOfOffsetDateTime(column(users, u -> utc(u.registeredAt()), OffsetDateTime[]::new))
                .addArrayOfInteger(column(users, StoredUser::registrationYear, Integer[]::new))
                .addArrayOfString(column(users, StoredUser::pictureUrl, String[]::new))
                .addArrayOfString(column(users, StoredUser::nationality, String[]::new));
    }

    private static <T> T[] column(List<StoredUser> users, Function<StoredUser, T> field,
            IntFunction<T[]> array) {
        T[] values = array.apply(users.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(users.get(i));
        }
        return values;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static StoredUser toUser(Row row) {
        return new StoredUser(row.getUUID("user_id"), row.getUUID("event_id"), row.getString("source"),
                row.getOffsetDateTime("ingested_at").toInstant(), row.getString("title"), row.getString("first_name"),
                row.getString("last_name"), row.getString("gender"), row.getString("email"),
                row.getString("email_domain"), row.getString("phone"), row.getString("cell"),
                row.getLocalDate("date_of_birth"), row.getInteger("age"), row.getString("street"), row.getString("city"),
                row.getString("state"), row.getString("country"), row.getString("postcode"), row.getString("username"),
                row.getOffsetDateTime("registered_at").toInstant(), row.getInteger("registration_year"),
                row.getString("picture_url"), row.getString("nationality"));
    }
}
