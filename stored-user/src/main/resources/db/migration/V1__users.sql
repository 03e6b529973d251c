-- Users as the processor stores them: one row per user, the newest event wins (see PostgresUserStore).
CREATE TABLE users (
    user_id           uuid        PRIMARY KEY,
    event_id          uuid        NOT NULL,
    source            text        NOT NULL,
    ingested_at       timestamptz NOT NULL,
    title             text,
    first_name        text        NOT NULL,
    last_name         text        NOT NULL,
    gender            text        NOT NULL,
    email             text        NOT NULL,
    email_domain      text        NOT NULL,
    phone             text        NOT NULL,
    cell              text,
    date_of_birth     date        NOT NULL,
    age               integer     NOT NULL,
    street            text        NOT NULL,
    city              text        NOT NULL,
    state             text,
    country           text        NOT NULL,
    postcode          text,
    username          text        NOT NULL,
    registered_at     timestamptz NOT NULL,
    registration_year integer     NOT NULL,
    picture_url       text,
    nationality       text
);

-- The batch views: recomputed from users on a schedule (AnalyticsRefresher), read by GET /analytics.
-- Each has a unique index so that it can be refreshed CONCURRENTLY, without blocking readers.
CREATE MATERIALIZED VIEW users_by_country AS
    SELECT country, count(*) AS users FROM users GROUP BY country;
CREATE UNIQUE INDEX ON users_by_country (country);

CREATE MATERIALIZED VIEW users_by_gender AS
    SELECT gender, count(*) AS users FROM users GROUP BY gender;
CREATE UNIQUE INDEX ON users_by_gender (gender);

CREATE MATERIALIZED VIEW users_by_age_band AS
    SELECT CASE
               WHEN age < 18 THEN 'under 18'
               WHEN age < 25 THEN '18-24'
               WHEN age < 35 THEN '25-34'
               WHEN age < 45 THEN '35-44'
               WHEN age < 55 THEN '45-54'
               WHEN age < 65 THEN '55-64'
               ELSE '65 and over'
           END AS age_band,
           count(*) AS users
    FROM users GROUP BY 1;
CREATE UNIQUE INDEX ON users_by_age_band (age_band);

CREATE MATERIALIZED VIEW registrations_per_day AS
    SELECT (registered_at AT TIME ZONE 'UTC')::date AS day, count(*) AS users FROM users GROUP BY 1;
CREATE UNIQUE INDEX ON registrations_per_day (day);
