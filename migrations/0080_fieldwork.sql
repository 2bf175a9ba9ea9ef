-- The grid worker's day (fieldwork): visits to registry households and persons with a checklist,
-- photos and location, the case a visit found; patrol sessions started and stopped on the phone with
-- the GPS points posted while walking. A visit also writes the grid module's household_visit row
-- (巡查覆盖率 counts it); a stopped session writes the grid module's patrol row.

-- A visit as the worker recorded it. case_id: the case "发现问题" filed from it (same district).
CREATE TABLE field_visit (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  region_code    text NOT NULL,
  grid_visit_id  bigint NOT NULL,
  user_id        bigint NOT NULL REFERENCES app_user(id),
  purpose        text NOT NULL,
  household_id   bigint,
  house_id       bigint,
  person_ids     bigint[] NOT NULL DEFAULT '{}',
  checklist      jsonb NOT NULL DEFAULT '{}',
  attachment_ids bigint[] NOT NULL DEFAULT '{}',
  lat            double precision,
  lng            double precision,
  accuracy_m     real,
  result         text NOT NULL CHECK (result IN ('visited','not_home','refused','issue_found')),
  note           text,
  case_id        bigint,
  visited_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (district_code, id)
);
CREATE INDEX field_visit_region_idx ON field_visit (region_code text_pattern_ops, visited_at);
CREATE INDEX field_visit_household_idx ON field_visit (household_id, visited_at) WHERE household_id IS NOT NULL;
CREATE INDEX field_visit_user_idx ON field_visit (user_id, visited_at);

-- A patrol being walked: started, points appended as the phone posts them, stopped (then patrol_id
-- names the grid module's patrol row). One open session per user.
CREATE TABLE patrol_session (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES app_user(id),
  region_code text NOT NULL,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  track       jsonb NOT NULL DEFAULT '[]',
  point_count integer NOT NULL DEFAULT 0,
  patrol_id   bigint,
  note        text,
  created_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX patrol_session_open_uq ON patrol_session (user_id) WHERE ended_at IS NULL;
CREATE INDEX patrol_session_region_idx ON patrol_session (region_code text_pattern_ops, started_at);
