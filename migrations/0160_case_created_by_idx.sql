-- A staff member opens the cases they filed themselves (cases/visibility.ts: no reporter_user_id, created_by = them),
-- also after a grid split moved them: one index for that part of the visibility predicate.
CREATE INDEX case_staff_reporter_idx ON "case" (created_by, created_at DESC) WHERE reporter_user_id IS NULL;
