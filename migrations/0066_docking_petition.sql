-- 访调对接: a failed mediation docked to the petition office opens a petition in the register; the docking
-- names the petition, and the petition the dispute it came from (both within the same district).
ALTER TABLE dispute_docking ADD COLUMN petition_case_id bigint;
ALTER TABLE petition ADD COLUMN docked_from bigint;
CREATE INDEX petition_docked_from_idx ON petition (docked_from) WHERE docked_from IS NOT NULL;
