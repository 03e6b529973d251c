-- Which input channels an operator paused (the processor's POST /processing/pause). Kept in the database every
-- processor replica already shares, so that a pause reaches every replica, and a restart or a rollout does not undo
-- it. A channel without a row consumes.
CREATE TABLE processing_pauses (
    channel   text        PRIMARY KEY,
    paused_at timestamptz NOT NULL
);
