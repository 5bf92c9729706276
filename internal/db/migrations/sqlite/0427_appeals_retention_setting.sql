-- The municipality's retention term for appeals, in years after the
-- answer; NULL takes GLASNOST_RETENTION_APPEALS_YEARS (default 5).
CREATE TABLE appeal_settings (
    municipality_id INTEGER NOT NULL PRIMARY KEY REFERENCES municipalities(id),
    retention_years INTEGER CHECK (retention_years BETWEEN 1 AND 75)
);
