-- 曾用名 (GB/T 31000 person field): sealed with the name, ID number and phone, shown masked, revealed for a
-- stated purpose. A resident is found by a former name too: its keyed hash sits beside the name's.
ALTER TABLE person ADD COLUMN IF NOT EXISTS former_name_masked text;
ALTER TABLE person_search_key ADD COLUMN IF NOT EXISTS former_name_hash text;
CREATE INDEX IF NOT EXISTS person_search_key_former_name_idx ON person_search_key (former_name_hash) WHERE former_name_hash IS NOT NULL;
