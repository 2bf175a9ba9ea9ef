-- The one case engine (DESIGN rules 2–4).

-- Category tree (dictionary data, loaded from src/seed/categories-data.ts, editable by administrators).
CREATE TABLE category (
  code              text PRIMARY KEY,
  parent_code       text REFERENCES category(code),
  name_zh           text NOT NULL,
  name_en           text NOT NULL,
  case_types        text[] NOT NULL DEFAULT '{}',
  limit_minutes     integer,            -- handling time limit in working minutes (leaves)
  filing_condition  text,               -- 立案条件 (GB/T 30428.8)
  closing_condition text,               -- 结案条件
  default_unit_key  text,
  active            boolean NOT NULL DEFAULT true
);

-- Workflow definitions as data; a case keeps the version it started on.
CREATE TABLE workflow (
  case_type  text NOT NULL,
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_type, version)
);

-- 权责清单: category (prefix) × region (prefix) → lead and assisting units. Most specific wins;
-- no match → 属地兜底 to the street centre of the case's street.
CREATE TABLE responsibility (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  category_code   text NOT NULL REFERENCES category(code),
  region_prefix   text NOT NULL,
  lead_unit_id    text NOT NULL REFERENCES unit(id),
  assist_unit_ids text[] NOT NULL DEFAULT '{}',
  note            text,
  UNIQUE (category_code, region_prefix)
);

CREATE SEQUENCE case_no_seq;

CREATE TABLE "case" (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_no          text NOT NULL UNIQUE,
  public_token     text NOT NULL,
  type             text NOT NULL,
  workflow_version integer NOT NULL,
  state            text NOT NULL,
  prev_state       text,
  category_code    text NOT NULL REFERENCES category(code),
  title            text NOT NULL,
  description      text NOT NULL,
  channel          text NOT NULL,
  urgency          text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal','urgent','emergency')),
  -- scope columns: the deepest region and its ancestors at each level (equality-indexed scope filters)
  region_code      text NOT NULL REFERENCES region(code),
  district_code    text NOT NULL,
  street_code      text,
  community_code   text,
  lat              double precision,
  lng              double precision,
  address          text,
  reporter_user_id bigint REFERENCES app_user(id),
  reporter_name    text,          -- encrypted (AES-256-GCM)
  reporter_phone   text,          -- encrypted
  reporter_phone_hash text,       -- keyed hash for exact lookup
  reporter_phone_masked text,
  lead_unit_id     text REFERENCES unit(id),
  suggested_unit_id text REFERENCES unit(id),          -- routing suggestion from the responsibility list
  suggested_assist_unit_ids text[] NOT NULL DEFAULT '{}',
  suggestion_source text,                               -- 'responsibility_list' | 'territorial_fallback'
  time_mode        text NOT NULL DEFAULT 'working' CHECK (time_mode IN ('working','continuous')),
  step_started_at  timestamptz NOT NULL,
  step_limit_minutes integer,
  yellow_at        timestamptz,
  due_at           timestamptz,
  remaining_minutes integer,      -- while suspended (挂账): working minutes left on the step clock
  overdue_flagged  boolean NOT NULL DEFAULT false,
  extension_request jsonb,
  supervised       boolean NOT NULL DEFAULT false,
  urge_count       integer NOT NULL DEFAULT 0,
  redo_count       integer NOT NULL DEFAULT 0,
  rework_count     integer NOT NULL DEFAULT 0,
  return_count     integer NOT NULL DEFAULT 0,
  whistle_level    text,
  rating           text,
  merged_into      bigint REFERENCES "case"(id),
  is_open          boolean NOT NULL DEFAULT true,
  created_by       bigint REFERENCES app_user(id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  seq              integer NOT NULL DEFAULT 0   -- number of flow records; the next record's seq
);
CREATE INDEX case_district_idx  ON "case" (district_code, created_at DESC, id DESC);
CREATE INDEX case_street_idx    ON "case" (street_code, created_at DESC, id DESC);
CREATE INDEX case_community_idx ON "case" (community_code, created_at DESC, id DESC);
CREATE INDEX case_grid_idx      ON "case" (region_code, created_at DESC, id DESC);
CREATE INDEX case_lead_idx      ON "case" (lead_unit_id, created_at DESC, id DESC);
CREATE INDEX case_reporter_idx  ON "case" (reporter_user_id, created_at DESC);
CREATE INDEX case_due_idx       ON "case" (due_at) WHERE is_open AND NOT overdue_flagged AND due_at IS NOT NULL;
-- open-case inboxes stay small however many closed cases pile up
CREATE INDEX case_open_district_idx ON "case" (district_code, created_at DESC, id DESC) WHERE is_open;
CREATE INDEX case_open_street_idx ON "case" (street_code, created_at DESC, id DESC) WHERE is_open;
CREATE INDEX case_open_lead_idx ON "case" (lead_unit_id, created_at DESC, id DESC) WHERE is_open;

-- Units attached to a case: the lead, assisting units, and units summoned by a whistle (吹哨报到).
CREATE TABLE case_assignment (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES "case"(id),
  region_code   text NOT NULL,
  unit_id       text NOT NULL REFERENCES unit(id),
  role          text NOT NULL CHECK (role IN ('lead','assist','summoned')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active','returned','done','withdrawn')),
  whistle_level text,
  assigned_at   timestamptz NOT NULL DEFAULT now(),
  report_in_due_at timestamptz,   -- 吹哨报到: when a summoned unit must have reported in
  due_at        timestamptz,      -- when the unit must have acted
  reported_in_at timestamptz,
  replied_at    timestamptz,
  overdue_flagged boolean NOT NULL DEFAULT false
);
CREATE INDEX case_assignment_case_idx ON case_assignment (case_id);
CREATE INDEX case_assignment_unit_idx ON case_assignment (unit_id, case_id DESC);

-- Every step is a fact: append-only, written in the same transaction as the case's state.
CREATE TABLE flow_record (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES "case"(id),
  region_code   text NOT NULL,
  seq           integer NOT NULL,
  action        text NOT NULL,
  from_state    text,
  to_state      text NOT NULL,
  actor_id      bigint REFERENCES app_user(id),
  actor_unit_id text REFERENCES unit(id),
  actor_kind    text NOT NULL CHECK (actor_kind IN ('user','system')),
  at            timestamptz NOT NULL DEFAULT now(),
  due_at        timestamptz,
  working_minutes_used integer,
  note          text,
  data          jsonb NOT NULL DEFAULT '{}',
  attachment_ids bigint[] NOT NULL DEFAULT '{}',
  UNIQUE (case_id, seq)
);

CREATE FUNCTION forbid_flow_record_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'flow records are immutable';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER flow_record_immutable BEFORE UPDATE OR DELETE ON flow_record
  FOR EACH ROW EXECUTE FUNCTION forbid_flow_record_change();

CREATE TABLE attachment (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint REFERENCES "case"(id),
  region_code text,
  uploaded_by bigint NOT NULL REFERENCES app_user(id),
  filename    text NOT NULL,
  mime        text NOT NULL,
  size        integer NOT NULL,
  sha256      text NOT NULL,
  content     bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_case_idx ON attachment (case_id);
