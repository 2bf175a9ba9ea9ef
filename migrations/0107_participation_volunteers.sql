-- Volunteers (志愿服务): a registry with skills and availability, teams, activities with sign-up and
-- check-in, the hours ledger (hours credited at check-in); 平战转换: an emergency switch for a region that
-- broadcasts tasks (emergency activities) to its volunteers, tracks acceptance (sign-up) and check-in, and
-- returns to normal. Every switch is a row (on, and off with who and when) and an audit entry.
CREATE TABLE pt_volunteer_team (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  name          text NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (region_code, name, district_code)
);

CREATE TABLE pt_volunteer (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL,
  user_id       bigint NOT NULL REFERENCES app_user(id),
  skills        text[] NOT NULL DEFAULT '{}',
  availability  text,
  team_id       bigint,
  joined_at     timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (user_id, district_code)
);

CREATE TABLE pt_mobilisation (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  reason        text NOT NULL,
  on_by         bigint NOT NULL REFERENCES app_user(id),
  on_at         timestamptz NOT NULL,
  off_by        bigint REFERENCES app_user(id),
  off_at        timestamptz,
  off_note      text,
  PRIMARY KEY (id, district_code)
);
-- one emergency at a time per region
CREATE UNIQUE INDEX pt_mobilisation_active ON pt_mobilisation (region_code, district_code) WHERE off_at IS NULL;

CREATE TABLE pt_activity (
  id               bigint GENERATED ALWAYS AS IDENTITY,
  district_code    text NOT NULL,
  region_code      text NOT NULL REFERENCES region(code),
  title            text NOT NULL,
  starts_at        timestamptz NOT NULL,
  hours            numeric(5, 1) NOT NULL CHECK (hours > 0),
  capacity         integer NOT NULL CHECK (capacity > 0),
  signed_up        integer NOT NULL DEFAULT 0,
  mobilisation_id  bigint,                     -- an emergency task of a 平战转换
  created_by       bigint NOT NULL REFERENCES app_user(id),
  created_at       timestamptz NOT NULL,
  CHECK (signed_up BETWEEN 0 AND capacity),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_activity_region ON pt_activity (region_code text_pattern_ops, starts_at DESC);

CREATE TABLE pt_activity_signup (
  district_code  text NOT NULL,
  activity_id    bigint NOT NULL,
  volunteer_id   bigint NOT NULL,
  signed_up_at   timestamptz NOT NULL,
  checked_in_at  timestamptz,
  hours          numeric(5, 1),              -- credited at check-in: the hours ledger
  PRIMARY KEY (activity_id, volunteer_id, district_code),
  FOREIGN KEY (activity_id, district_code) REFERENCES pt_activity (id, district_code)
);
CREATE INDEX pt_activity_signup_volunteer ON pt_activity_signup (volunteer_id);
