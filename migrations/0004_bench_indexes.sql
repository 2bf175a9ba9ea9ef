-- Indexes found by bench/inbox.ts at 1,000,000 cases (see bench/README.md).

-- Newest-first walks over all cases. A department's list (c.id IN its case_assignment rows) and the
-- assignment branch of every scope filter order by created_at with LIMIT; without this index PostgreSQL
-- joins all the unit's assignments and sorts (1.5 s for 城管 at 1M cases; 0.4 ms with it).
CREATE INDEX case_created_idx ON "case" (created_at DESC, id DESC);

-- Active summons (吹哨报到) of a unit: the inbox of every user with a unit asks for them
-- (EXISTS … role = 'summoned' AND status = 'active'); without it each inbox query hashes all of the
-- unit's assignments from the heap (100+ ms for a department at 1M cases). Also serves the scheduler's
-- overdue-summons query. Small: only active summons are in it.
CREATE INDEX case_assignment_summoned_idx ON case_assignment (unit_id, case_id) WHERE role = 'summoned' AND status = 'active';
