package io.userpipeline.storeduser;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of a stored user, named and typed alike in Cassandra's {@code users_by_id} and PostgreSQL's
 * {@code users}, in {@link StoredUser}'s component order. The binders of both stores are written over this list, so
 * a column is added here, in {@link StoredUser}, in {@link UserTransformer} and in each store's next migration script,
 * all in this module (a column for a field the event does not carry yet also needs the field in the event);
 * {@code StoredUserContractTest} fails when the record, this list and the scripts disagree.
 */
public enum UserColumn {

    USER_ID(Type.UUID, StoredUser::userId),
    EVENT_ID(Type.UUID, StoredUser::eventId),
    SOURCE(Type.TEXT, StoredUser::source),
    INGESTED_AT(Type.TIMESTAMP, StoredUser::ingestedAt),
    TITLE(Type.TEXT, StoredUser::title),
    FIRST_NAME(Type.TEXT, StoredUser::firstName),
    LAST_NAME(Type.TEXT, StoredUser::lastName),
    GENDER(Type.TEXT, StoredUser::gender),
    EMAIL(Type.TEXT, StoredUser::email),
    EMAIL_DOMAIN(Type.TEXT, StoredUser::emailDomain),
    PHONE(Type.TEXT, StoredUser::phone),
    CELL(Type.TEXT, StoredUser::cell),
    DATE_OF_BIRTH(Type.DATE, StoredUser::dateOfBirth),
    AGE(Type.INT, StoredUser::age),
    STREET(Type.TEXT, StoredUser::street),
    CITY(Type.TEXT, StoredUser::city),
    STATE(Type.TEXT, StoredUser::state),
    COUNTRY(Type.TEXT, StoredUser::country),
    POSTCODE(Type.TEXT, StoredUser::postcode),
    USERNAME(Type.TEXT, StoredUser::username),
    REGISTERED_AT(Type.TIMESTAMP, StoredUser::registeredAt),
    REGISTRATION_YEAR(Type.INT, StoredUser::registrationYear),
    PICTURE_URL(Type.TEXT, StoredUser::pictureUrl),
    NATIONALITY(Type.TEXT, StoredUser::nationality);

    /** A column's type in each store, and the Java type of its value in {@link StoredUser}. */
    public enum Type {
        UUID("uuid", "uuid", java.util.UUID.class),
        TEXT("text", "text", String.class),
        TIMESTAMP("timestamp", "timestamptz", Instant.class),
        DATE("date", "date", LocalDate.class),
        INT("int", "integer", Integer.class);

        private final String cql;
        private final String sql;
        private final Class<?> javaType;

        Type(String cql, String sql, Class<?> javaType) {
            this.cql = cql;
            this.sql = sql;
            this.javaType = javaType;
        }

        /** The type in Cassandra's CQL, as the migration scripts declare it. */
        public String cql() {
            return cql;
        }

        /** The type in PostgreSQL, as the migration scripts declare it. */
        public String sql() {
            return sql;
        }

        public Class<?> javaType() {
            return javaType;
        }
    }

    /** Every column, in order, as a select or insert lists them: {@code user_id, event_id, ...}. */
    public static final String ALL = Arrays.stream(values()).map(UserColumn::columnName).collect(Collectors.joining(", "));

    private static final List<UserColumn> IN_ORDER = List.of(values());

    private final Type type;
    private final Function<StoredUser, Object> value;

    UserColumn(Type type, Function<StoredUser, Object> value) {
        this.type = type;
        this.value = value;
    }

    /** The column's name in both stores: the constant's name in lower case. */
    public String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Type type() {
        return type;
    }

    /** The user's value of this column. */
    public Object valueOf(StoredUser user) {
        return value.apply(user);
    }

    /** The columns in order, as {@link #values()} without a copy per call. */
    public static List<UserColumn> inOrder() {
        return IN_ORDER;
    }

    /**
     * The user whose columns have these values: a store's row reader passes its getter, which is asked each column
     * once, in order.
     */
    public static StoredUser read(Function<UserColumn, Object> row) {
        return new StoredUser((UUID) row.apply(USER_ID), (UUID) row.apply(EVENT_ID), (String) row.apply(SOURCE),
                (Instant) row.apply(INGESTED_AT), (String) row.apply(TITLE), (String) row.apply(FIRST_NAME),
                (String) row.apply(LAST_NAME), (String) row.apply(GENDER), (String) row.apply(EMAIL),
                (String) row.apply(EMAIL_DOMAIN), (String) row.apply(PHONE), (String) row.apply(CELL),
                (LocalDate) row.apply(DATE_OF_BIRTH), (Integer) row.apply(AGE), (String) row.apply(STREET),
                (String) row.apply(CITY), (String) row.apply(STATE), (String) row.apply(COUNTRY),
                (String) row.apply(POSTCODE), (String) row.apply(USERNAME), (Instant) row.apply(REGISTERED_AT),
                (Integer) row.apply(REGISTRATION_YEAR), (String) row.apply(PICTURE_URL), (String) row.apply(NATIONALITY));
    }
}
