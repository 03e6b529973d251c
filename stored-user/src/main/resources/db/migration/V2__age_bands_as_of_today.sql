-- Age bands count ages as of the refresh, not as of ingestion: a year on, people have moved up a band.
DROP MATERIALIZED VIEW users_by_age_band;

CREATE MATERIALIZED VIEW users_by_age_band AS
    SELECT CASE
               WHEN years < 18 THEN 'under 18'
               WHEN years < 25 THEN '18-24'
               WHEN years < 35 THEN '25-34'
               WHEN years < 45 THEN '35-44'
               WHEN years < 55 THEN '45-54'
               WHEN years < 65 THEN '55-64'
               ELSE '65 and over'
           END AS age_band,
           count(*) AS users
    FROM (SELECT date_part('year', age(current_date, date_of_birth)) AS years FROM users) AS ages
    GROUP BY 1;
CREATE UNIQUE INDEX ON users_by_age_band (age_band);
