-- Three indexes of "case" took an entry for every new case although no query looks a case up by NULL there: the
-- reporter's own cases (reporter_user_id, NULL for every ticket staff file: all of 12345), and the lead unit's
-- lists (lead_unit_id, NULL until dispatch). Every query on them is an equality (visibility.ts, list.ts), which
-- implies IS NOT NULL, so the partial indexes serve the same plans. An intake now writes three index entries fewer
-- (bench/README.md, 2026-12-07). The indexes are rebuilt under the migration's lock of the table.
DROP INDEX case_reporter_idx;
CREATE INDEX case_reporter_idx ON "case" (reporter_user_id, created_at DESC) WHERE reporter_user_id IS NOT NULL;
DROP INDEX case_lead_idx;
CREATE INDEX case_lead_idx ON "case" (lead_unit_id, created_at DESC, id DESC) WHERE lead_unit_id IS NOT NULL;
DROP INDEX case_open_lead_idx;
CREATE INDEX case_open_lead_idx ON "case" (lead_unit_id, created_at DESC, id DESC) WHERE is_open AND lead_unit_id IS NOT NULL;
