-- When the analytics views were last recomputed, kept beside them: every processor instance reads the same time,
-- and a refresh changes it in the transaction that recomputes the views, so the two never disagree.
CREATE TABLE analytics_refresh (
    only_row     boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    -- Every user stored before this time is counted in the views; null until the first refresh.
    refreshed_at timestamptz
);
INSERT INTO analytics_refresh DEFAULT VALUES;
