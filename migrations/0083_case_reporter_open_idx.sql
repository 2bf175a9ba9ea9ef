-- 今日 lists the open cases a user reported themselves (cases/reported.ts).
CREATE INDEX case_open_created_by_idx ON "case" (created_by, due_at) WHERE is_open;
