-- Visit plans (走访计划): a grid worker, or the 网格长 for a worker of the grid, plans a visit to a registry
-- household or persons on a date with a purpose. 今日 lists the plans due (overdue ones first); the visit
-- recorded from a plan completes it (visit_id, done_at). A plan may be moved to another day or cancelled,
-- never deleted, so the community can see what was planned and what was done.
CREATE TABLE visit_plan (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_code text NOT NULL,
  region_code   text NOT NULL,
  household_id  bigint,
  person_ids    bigint[] NOT NULL DEFAULT '{}',
  purpose       text NOT NULL,
  planned_on    date NOT NULL,
  note          text,
  assignee_id   bigint NOT NULL REFERENCES app_user(id),
  created_by    bigint NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  visit_id      bigint,
  done_at       timestamptz,
  cancelled_at  timestamptz,
  cancelled_by  bigint REFERENCES app_user(id),
  CHECK (household_id IS NOT NULL OR cardinality(person_ids) > 0),
  CHECK (done_at IS NULL OR cancelled_at IS NULL)
);
-- 今日: a worker's open plans by day
CREATE INDEX visit_plan_open_idx ON visit_plan (assignee_id, planned_on) WHERE done_at IS NULL AND cancelled_at IS NULL;
-- a territory's plans (the 网格长's list)
CREATE INDEX visit_plan_region_idx ON visit_plan (region_code text_pattern_ops, planned_on);
-- the plan a visit completed
CREATE UNIQUE INDEX visit_plan_visit_uq ON visit_plan (visit_id) WHERE visit_id IS NOT NULL;
