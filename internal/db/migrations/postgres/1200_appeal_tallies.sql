-- The public counter of appeals (Decree No. 171) reads these monthly
-- tallies instead of aggregating a year of appeals on every render: with
-- a million appeals that aggregate took from a quarter of a second to
-- over a second, and every registration makes the landing page render
-- again. Triggers keep the tallies, so that every writer of appeals (the
-- workflow, the generator, an import) keeps them right without knowing of
-- them; statement-level ones, so that a bulk insert adds to each month
-- once. month is the 'YYYY-MM' of registered_on; closed counts the closed
-- statuses (appeals.ClosedStatuses: a test checks that the lists agree).
CREATE TABLE appeal_tallies (
    municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
    month TEXT NOT NULL,
    received BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    PRIMARY KEY (municipality_id, month)
);

CREATE FUNCTION appeal_closed(status TEXT) RETURNS INTEGER AS $$
    SELECT CASE WHEN status IN ('answered', 'forwarded', 'left_unanswered', 'returned') THEN 1 ELSE 0 END
$$ LANGUAGE sql IMMUTABLE;

INSERT INTO appeal_tallies (municipality_id, month, received, closed)
SELECT municipality_id, substr(registered_on, 1, 7), COUNT(*), SUM(appeal_closed(status))
FROM appeals GROUP BY municipality_id, substr(registered_on, 1, 7);

-- appeal_tallies_changed adds to the tallies what a statement on appeals
-- changed: the inserted rows, less the deleted ones, and for an update the
-- rows that moved to another month or between open and closed.
CREATE FUNCTION appeal_tallies_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO appeal_tallies (municipality_id, month, received, closed)
        SELECT municipality_id, substr(registered_on, 1, 7), COUNT(*), SUM(appeal_closed(status))
        FROM new_rows GROUP BY 1, 2
        ON CONFLICT (municipality_id, month) DO UPDATE
        SET received = appeal_tallies.received + excluded.received, closed = appeal_tallies.closed + excluded.closed;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE appeal_tallies t SET received = t.received - o.received, closed = t.closed - o.closed
        FROM (SELECT municipality_id, substr(registered_on, 1, 7) AS month, COUNT(*) AS received, SUM(appeal_closed(status)) AS closed
              FROM old_rows GROUP BY 1, 2) o
        WHERE t.municipality_id = o.municipality_id AND t.month = o.month;
    ELSE
        -- Only the rows whose municipality, month or closedness changed.
        WITH moved AS (
            SELECT o.municipality_id AS old_mun, substr(o.registered_on, 1, 7) AS old_month, appeal_closed(o.status) AS old_closed,
                   n.municipality_id AS new_mun, substr(n.registered_on, 1, 7) AS new_month, appeal_closed(n.status) AS new_closed
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.municipality_id <> n.municipality_id OR substr(o.registered_on, 1, 7) <> substr(n.registered_on, 1, 7)
               OR appeal_closed(o.status) <> appeal_closed(n.status)),
        delta AS (
            SELECT municipality_id, month, SUM(received) AS received, SUM(closed) AS closed FROM (
                SELECT old_mun AS municipality_id, old_month AS month, -1 AS received, -old_closed AS closed FROM moved
                UNION ALL
                SELECT new_mun, new_month, 1, new_closed FROM moved) d
            GROUP BY 1, 2)
        INSERT INTO appeal_tallies (municipality_id, month, received, closed)
        SELECT municipality_id, month, received, closed FROM delta
        ON CONFLICT (municipality_id, month) DO UPDATE
        SET received = appeal_tallies.received + excluded.received, closed = appeal_tallies.closed + excluded.closed;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER appeal_tallies_inserted AFTER INSERT ON appeals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_tallies_changed();
CREATE TRIGGER appeal_tallies_updated AFTER UPDATE ON appeals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_tallies_changed();
CREATE TRIGGER appeal_tallies_deleted AFTER DELETE ON appeals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION appeal_tallies_changed();
