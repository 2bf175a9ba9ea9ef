-- The console's inbox lists open cases soonest-due first (sort=due_at). Without these indexes a street
-- centre's inbox page walked every open case of the district in creation order and sorted them
-- (0.5–0.66 s at 1,000,000 cases, bench/inbox.ts), a community's 0.23–0.3 s; with them PostgreSQL walks
-- open cases in due order and stops after the page (≈ 1–2 ms). case_due_idx stays: it leaves out cases
-- already flagged overdue, which the scheduler's overdue scan must not walk again on every tick.
CREATE INDEX case_open_due_idx ON "case" (due_at, id) WHERE is_open;
-- a community's own branch of its inbox (listCases' scope branches)
CREATE INDEX case_open_community_due_idx ON "case" (community_code, due_at, id) WHERE is_open;
