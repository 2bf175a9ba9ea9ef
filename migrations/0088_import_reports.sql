-- Import reports people can use: every refused cell with its reason in Chinese and English (read in the
-- reader's language), warnings for cells ignored in accepted rows, and the refused rows as they were in
-- the file, sealed (they hold personal data), so the importer can correct them and import them again.
ALTER TABLE import_job ADD COLUMN IF NOT EXISTS errors jsonb;
ALTER TABLE import_job ADD COLUMN IF NOT EXISTS warnings jsonb;
ALTER TABLE import_job ADD COLUMN IF NOT EXISTS warning_count integer NOT NULL DEFAULT 0;
ALTER TABLE import_job ADD COLUMN IF NOT EXISTS rejected_sealed text;
