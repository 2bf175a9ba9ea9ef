-- Participation corrections a walk-through asked for.
-- 四议两公开: a procedure started by mistake (or twice) is voided by the secretary with a reason. The row
-- stays (the trail keeps it, with who voided it, when and why); a voided procedure takes no further step
-- and is on no public notice.
ALTER TABLE pt_procedure ADD COLUMN voided_at timestamptz;
ALTER TABLE pt_procedure ADD COLUMN voided_by bigint REFERENCES app_user(id);
ALTER TABLE pt_procedure ADD COLUMN void_reason text;
ALTER TABLE pt_procedure ADD CONSTRAINT pt_procedure_void_complete
  CHECK ((voided_at IS NULL AND voided_by IS NULL AND void_reason IS NULL) OR (voided_at IS NOT NULL AND voided_by IS NOT NULL AND void_reason IS NOT NULL));

-- Volunteer activities: where they take place (shown on the volunteer's phone with the date and time).
ALTER TABLE pt_activity ADD COLUMN place text;
