-- 四议两公开: a village (community) decision as an explicit procedure of six steps —
--   1 党支部提议  2 两委会商议  3 党员大会审议  4 村民(代表)会议决议  5 决议公开  6 实施结果公开 —
-- each with its record, attendance and quorum. The order is the database's: a step row names the step
-- before it (prev_seq = seq - 1) and a foreign key requires that step to exist *and to have passed*
-- (prev_passed is always true and the key includes the referenced row's `passed`). So no step can be
-- recorded before the one it follows, nor after one that failed, whatever the application does.

CREATE TABLE pt_procedure (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  description   text,
  created_by    bigint NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_procedure_region ON pt_procedure (region_code text_pattern_ops, created_at DESC);

CREATE TABLE pt_procedure_step (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  procedure_id  bigint NOT NULL,
  seq           integer NOT NULL CHECK (seq BETWEEN 1 AND 6),
  kind          text NOT NULL,
  prev_seq      integer,
  prev_passed   boolean,
  held_at       timestamptz NOT NULL,
  record        text NOT NULL,                 -- the minutes, or the text of the notice
  expected      integer CHECK (expected >= 0), -- those who should attend (steps 1–4)
  present       integer CHECK (present >= 0),
  attendees     jsonb NOT NULL DEFAULT '[]',
  votes_for     integer CHECK (votes_for >= 0),
  votes_against integer CHECK (votes_against >= 0),
  abstentions   integer CHECK (abstentions >= 0),
  quorum_met    boolean,
  passed        boolean NOT NULL,
  meeting_id    bigint,                        -- the shared meeting (src/platform/meetings), when held as one
  vote_id       bigint,                        -- a residents' vote (step 4), when taken as one
  recorded_by   bigint NOT NULL REFERENCES app_user(id),
  recorded_at   timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (procedure_id, seq, district_code),
  UNIQUE (procedure_id, seq, passed, district_code),
  FOREIGN KEY (procedure_id, district_code) REFERENCES pt_procedure (id, district_code),
  FOREIGN KEY (procedure_id, prev_seq, prev_passed, district_code) REFERENCES pt_procedure_step (procedure_id, seq, passed, district_code),
  CHECK (kind = (ARRAY['party_branch_proposal', 'two_committees', 'party_members_review', 'villagers_resolution', 'resolution_public', 'result_public'])[seq]),
  -- coalesce: a NULL would let a CHECK pass, and a NULL column would let the foreign key (MATCH SIMPLE) pass
  CHECK (coalesce((seq = 1 AND prev_seq IS NULL AND prev_passed IS NULL) OR (seq > 1 AND prev_seq = seq - 1 AND prev_passed), false)),
  -- deliberating steps carry attendance, quorum and the count; public notices pass when published
  CHECK (seq > 4 OR (expected IS NOT NULL AND present IS NOT NULL AND present <= expected AND quorum_met IS NOT NULL
    AND votes_for IS NOT NULL AND votes_against IS NOT NULL AND abstentions IS NOT NULL AND votes_for + votes_against + abstentions <= present)),
  CHECK (seq <= 4 OR passed),
  CHECK (NOT passed OR seq > 4 OR (quorum_met AND votes_for * 2 > present))
);
