-- Case types as definitions, and keys that can grow to a province.
--
-- 1. `outcome`: what an ended case counts as (resolved, declined, duplicate). The case type's definition
--    declares it on each terminal state, so statistics need no state names. Backfilled here from the
--    terminal states of the built-in types as they were when this migration was written.
-- 2. `district_code` on every table that grows with cases, and in every unique key of those tables, so
--    they can be LIST-partitioned by district on PostgreSQL or distributed by it (Citus). A case's
--    flow records, assignments and attachments live with it in its district; foreign keys between them
--    include the district. A merge may join cases of two districts, so `merged_into` is a plain reference.

ALTER TABLE "case" ADD COLUMN outcome text;
UPDATE "case" SET outcome = CASE state WHEN 'closed' THEN 'resolved' WHEN 'rejected' THEN 'declined' WHEN 'merged' THEN 'duplicate' END
WHERE NOT is_open;

ALTER TABLE flow_record ADD COLUMN district_code text;
ALTER TABLE flow_record DISABLE TRIGGER flow_record_immutable;
UPDATE flow_record f SET district_code = c.district_code FROM "case" c WHERE c.id = f.case_id;
ALTER TABLE flow_record ENABLE TRIGGER flow_record_immutable;
ALTER TABLE flow_record ALTER COLUMN district_code SET NOT NULL;

ALTER TABLE case_assignment ADD COLUMN district_code text;
UPDATE case_assignment a SET district_code = c.district_code FROM "case" c WHERE c.id = a.case_id;
ALTER TABLE case_assignment ALTER COLUMN district_code SET NOT NULL;

-- set when an upload is linked to its case
ALTER TABLE attachment ADD COLUMN district_code text;
UPDATE attachment a SET district_code = c.district_code FROM "case" c WHERE c.id = a.case_id;

ALTER TABLE flow_record DROP CONSTRAINT flow_record_case_id_fkey;
ALTER TABLE case_assignment DROP CONSTRAINT case_assignment_case_id_fkey;
ALTER TABLE attachment DROP CONSTRAINT attachment_case_id_fkey;
ALTER TABLE "case" DROP CONSTRAINT case_merged_into_fkey;

ALTER TABLE "case" DROP CONSTRAINT case_pkey;
ALTER TABLE "case" ADD CONSTRAINT case_pkey PRIMARY KEY (id, district_code);
ALTER TABLE "case" DROP CONSTRAINT case_case_no_key;
ALTER TABLE "case" ADD CONSTRAINT case_case_no_key UNIQUE (case_no, district_code);

ALTER TABLE flow_record DROP CONSTRAINT flow_record_pkey;
ALTER TABLE flow_record ADD CONSTRAINT flow_record_pkey PRIMARY KEY (id, district_code);
ALTER TABLE flow_record DROP CONSTRAINT flow_record_case_id_seq_key;
ALTER TABLE flow_record ADD CONSTRAINT flow_record_case_seq_key UNIQUE (case_id, seq, district_code);

ALTER TABLE case_assignment DROP CONSTRAINT case_assignment_pkey;
ALTER TABLE case_assignment ADD CONSTRAINT case_assignment_pkey PRIMARY KEY (id, district_code);

ALTER TABLE flow_record ADD CONSTRAINT flow_record_case_fkey FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code);
ALTER TABLE case_assignment ADD CONSTRAINT case_assignment_case_fkey FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code);
ALTER TABLE attachment ADD CONSTRAINT attachment_case_fkey FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code);
