-- The conditions of use of the municipality's open data (methodological
-- recommendations, 2.4.4): empty means the default open licence (CC BY 4.0).
ALTER TABLE opendata_settings ADD COLUMN license_title TEXT NOT NULL DEFAULT '';
ALTER TABLE opendata_settings ADD COLUMN license_url TEXT NOT NULL DEFAULT '';
