-- The ID-number oracle (issue 11): a registration whose ID number is registered outside the
-- registering user's scope used to answer 409, telling anyone who may register persons whether a
-- number is registered anywhere. Such a registration is now stored like any new record, marked as a
-- duplicate of the existing one, and waits in the review queue of the supervisors whose scope covers
-- both records (GET /api/v1/persons/duplicate-reviews); they move the existing record to the new place
-- or discard the new one. One record per person and document still holds for every record that is
-- not under review.
ALTER TABLE person ADD COLUMN duplicate_of bigint;
DROP INDEX person_id_hash_uq;
CREATE UNIQUE INDEX person_id_hash_uq ON person (id_hash, district_code) WHERE duplicate_of IS NULL;
CREATE INDEX person_duplicate_of_idx ON person (duplicate_of) WHERE duplicate_of IS NOT NULL;
