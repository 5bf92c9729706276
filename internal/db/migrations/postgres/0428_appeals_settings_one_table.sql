-- One table of appeals settings per municipality: the retention term joins
-- the identity requirement in appeals_settings, and appeal_settings goes.
ALTER TABLE appeals_settings ADD COLUMN retention_years INTEGER CHECK (retention_years BETWEEN 1 AND 75);

INSERT INTO appeals_settings (municipality_id, retention_years)
SELECT municipality_id, retention_years FROM appeal_settings WHERE TRUE
ON CONFLICT (municipality_id) DO UPDATE SET retention_years = excluded.retention_years;

DROP TABLE appeal_settings;
