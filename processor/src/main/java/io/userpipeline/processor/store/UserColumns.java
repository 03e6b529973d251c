package io.userpipeline.processor.store;

/** The columns of a stored user, named alike in Cassandra and PostgreSQL, in {@link io.userpipeline.processor.transform.StoredUser}'s order. */
final class UserColumns {

    static final String ALL = "user_id, event_id, source, ingested_at, title, first_name, last_name, gender, email,"
            + " email_domain, phone, cell, date_of_birth, age, street, city, state, country, postcode, username,"
            + " registered_at, registration_year, picture_url, nationality";

    private UserColumns() {
    }
}
