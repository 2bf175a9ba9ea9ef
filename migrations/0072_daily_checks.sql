-- Daily checks (村居日排查 / 日点名 / 日报告, the field reports' closed loop of 排查、研判、交办、督办、反馈).
-- A checklist is data per district or street (a street's own replaces the district's), versioned; each grid
-- fills it once a day on the phone (a correction the same day replaces that day's answers); what a grid
-- has not filed by the roll call is read from the absence of its row; each street's daily report is
-- generated from the day's facts and kept.

CREATE TABLE check_template (
  region_code   text NOT NULL REFERENCES region(code),
  district_code text NOT NULL,
  version       integer NOT NULL,
  items         jsonb NOT NULL,            -- [{key, zh, en, hazardCategory?}]
  actor_id      bigint REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  PRIMARY KEY (region_code, version, district_code)
);

CREATE TABLE daily_check (
  id               bigint GENERATED ALWAYS AS IDENTITY,
  district_code    text NOT NULL,
  region_code      text NOT NULL,          -- the grid
  street_code      text,
  community_code   text,
  day              date NOT NULL,          -- China civil date
  template_region  text NOT NULL,
  template_version integer NOT NULL,
  answers          jsonb NOT NULL,         -- {key: {ok, note?}}
  findings         integer NOT NULL,       -- items not ok
  hazard_case_ids  bigint[] NOT NULL DEFAULT '{}',
  note             text,
  lat              double precision,
  lng              double precision,
  submitted_by     bigint NOT NULL REFERENCES app_user(id),
  submitted_at     timestamptz NOT NULL,
  revisions        integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id, district_code),
  UNIQUE (region_code, day, district_code)
);
CREATE INDEX daily_check_street_idx ON daily_check (street_code, day);
CREATE INDEX daily_check_community_idx ON daily_check (community_code, day);

CREATE TABLE daily_report (
  street_code   text NOT NULL REFERENCES region(code),
  district_code text NOT NULL,
  day           date NOT NULL,
  content       jsonb NOT NULL,
  generated_at  timestamptz NOT NULL,
  PRIMARY KEY (street_code, day, district_code)
);
