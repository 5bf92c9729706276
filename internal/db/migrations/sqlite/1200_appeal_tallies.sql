-- The public counter of appeals (Decree No. 171) reads these monthly
-- tallies instead of aggregating a year of appeals on every render: with
-- a million appeals that aggregate took from a quarter of a second to
-- over a second, and every registration makes the landing page render
-- again. Triggers keep the tallies, so that every writer of appeals (the
-- workflow, the generator, an import) keeps them right without knowing of
-- them. month is the 'YYYY-MM' of registered_on; closed counts the closed
-- statuses (appeals.ClosedStatuses: a test checks that the lists agree).
CREATE TABLE appeal_tallies (
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    month TEXT NOT NULL,
    received INTEGER NOT NULL,
    closed INTEGER NOT NULL,
    PRIMARY KEY (municipality_id, month)
);

INSERT INTO appeal_tallies (municipality_id, month, received, closed)
SELECT municipality_id, substr(registered_on, 1, 7), COUNT(*),
       SUM(status IN ('answered', 'forwarded', 'left_unanswered', 'returned'))
FROM appeals GROUP BY municipality_id, substr(registered_on, 1, 7);

-- Each trigger below inserts its changes into this view as deltas (+1 for
-- an appeal that enters a month, -1 for one that leaves it), and the view
-- adds them to the tallies.
CREATE VIEW appeal_tally_deltas AS
SELECT municipality_id, month, received, closed FROM appeal_tallies WHERE 0;

CREATE TRIGGER appeal_tally_deltas_added INSTEAD OF INSERT ON appeal_tally_deltas
BEGIN
    INSERT INTO appeal_tallies (municipality_id, month, received, closed)
    VALUES (NEW.municipality_id, NEW.month, NEW.received, NEW.closed)
    ON CONFLICT (municipality_id, month) DO UPDATE
    SET received = received + excluded.received, closed = closed + excluded.closed;
END;

CREATE TRIGGER appeal_tallies_inserted AFTER INSERT ON appeals
BEGIN
    INSERT INTO appeal_tally_deltas VALUES (NEW.municipality_id, substr(NEW.registered_on, 1, 7), 1, NEW.status IN ('answered', 'forwarded', 'left_unanswered', 'returned'));
END;

CREATE TRIGGER appeal_tallies_updated AFTER UPDATE OF municipality_id, registered_on, status ON appeals
WHEN OLD.municipality_id IS NOT NEW.municipality_id OR OLD.registered_on IS NOT NEW.registered_on OR OLD.status IS NOT NEW.status
BEGIN
    INSERT INTO appeal_tally_deltas VALUES (OLD.municipality_id, substr(OLD.registered_on, 1, 7), -1, -(OLD.status IN ('answered', 'forwarded', 'left_unanswered', 'returned')));
    INSERT INTO appeal_tally_deltas VALUES (NEW.municipality_id, substr(NEW.registered_on, 1, 7), 1, NEW.status IN ('answered', 'forwarded', 'left_unanswered', 'returned'));
END;

CREATE TRIGGER appeal_tallies_deleted AFTER DELETE ON appeals
BEGIN
    INSERT INTO appeal_tally_deltas VALUES (OLD.municipality_id, substr(OLD.registered_on, 1, 7), -1, -(OLD.status IN ('answered', 'forwarded', 'left_unanswered', 'returned')));
END;
