-- An assignment still open when its case ends is 'ended' (随案件办结), not 'done': an assisting unit that never
-- acted no longer reads 办理中 on a closed case, nor 已完成 (walk w10). A unit that acted on the case ends 'done'.
ALTER TABLE case_assignment DROP CONSTRAINT case_assignment_status_check;
ALTER TABLE case_assignment ADD CONSTRAINT case_assignment_status_check
  CHECK (status IN ('active', 'returned', 'done', 'withdrawn', 'ended'));
-- assignments of cases that ended while they were open
UPDATE case_assignment a SET status = 'ended'
  FROM "case" c WHERE c.id = a.case_id AND c.district_code = a.district_code AND NOT c.is_open AND a.status = 'active';
