-- A linked attachment names its case together with the case's district (0010). With the default MATCH
-- SIMPLE a row whose district_code is NULL escapes the foreign key check even when case_id is set, so an
-- attachment could point at a case without living in its district. MATCH FULL makes case_id and
-- district_code set together or not at all: an upload not yet linked has neither. The case engine already
-- sets both in the statement that links an upload (intake.ts, transition.ts); test/api/district-keys.test.ts
-- checks the keys of every table that grows with cases.
ALTER TABLE attachment DROP CONSTRAINT attachment_case_fkey;
ALTER TABLE attachment ADD CONSTRAINT attachment_case_fkey
  FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code) MATCH FULL;
