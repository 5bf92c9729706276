-- A catalogue item may link to the open dataset that publishes the same
-- information (the dataset's code; '' when none).
ALTER TABLE site_catalogue_items ADD COLUMN opendata_code TEXT NOT NULL DEFAULT '';
