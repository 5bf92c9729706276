-- The author's identity level at submission of an electronic appeal
-- ('email' or 'verified', see accounts.identity_level); empty for appeals
-- registered by staff or before it was recorded. appeals_settings holds a
-- municipality's choice to accept electronic appeals only from residents
-- whose identity a provider verified (547-FZ).
ALTER TABLE appeals ADD COLUMN identity_level TEXT NOT NULL DEFAULT '';

CREATE TABLE appeals_settings (
    municipality_id BIGINT NOT NULL PRIMARY KEY REFERENCES municipalities(id),
    require_verified BOOLEAN NOT NULL DEFAULT FALSE
);
