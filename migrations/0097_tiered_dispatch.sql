-- 三级派单: who dispatched the case to its current lead unit, level by level (the district centre to a
-- street or a department, the street centre on to a community, a grid or a unit it commands), so that a
-- return (退回) is reviewed, an extension approved and a reply verified by the unit that dispatched;
-- 督办 with its level and deadline, counted.

ALTER TABLE "case"
  ADD COLUMN dispatch_chain     jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN dispatcher_unit_id text,
  ADD COLUMN supervise_count    integer NOT NULL DEFAULT 0,
  ADD COLUMN supervision        jsonb;

-- the dispatching unit's inbox (returns to review, extensions to decide, replies to verify)
CREATE INDEX case_open_dispatcher_idx ON "case" (dispatcher_unit_id, due_at, id) WHERE is_open AND dispatcher_unit_id IS NOT NULL;
