-- Petitions (信访): the mediation module's records beside the case engine's `petition` cases. Deadlines
-- from 《信访工作条例》 (2022) in calendar days (src/modules/mediation/data/petition-limits.json), repeat
-- detection (重复信访), backlog cases (积案) with leader assignment (领导包案), and leader reception days.

CREATE TABLE petition (
  case_id         bigint NOT NULL,
  district_code   text NOT NULL,
  street_code     text,
  community_code  text,
  region_code     text NOT NULL,
  case_no         text NOT NULL,
  category_code   text NOT NULL,
  title           text NOT NULL,
  description     text NOT NULL,
  form            text NOT NULL CHECK (form IN ('letter', 'visit', 'call', 'online')),
  petitioners     integer NOT NULL DEFAULT 1 CHECK (petitioners BETWEEN 1 AND 100000),  -- ≥ 5: 集体访
  respondent      text,                 -- 被反映的单位或人
  first_time      boolean NOT NULL DEFAULT true,   -- 初信初访
  repeat_of       bigint,               -- the earliest petition on the same matter by the same person
  repeat_kind     text CHECK (repeat_kind IN ('same_person', 'same_matter', 'same_person_and_matter')),
  repeat_count    integer NOT NULL DEFAULT 0,
  similarity      real,
  is_open         boolean NOT NULL DEFAULT true,
  received_at     timestamptz NOT NULL,
  accept_due_on   date NOT NULL,
  accepted_at     timestamptz,
  handle_due_on   date,
  extended        boolean NOT NULL DEFAULT false,
  answered_at     timestamptz,
  review_request_until date,
  review_requested_at timestamptz,
  review_due_on   date,
  review_answered_at timestamptz,
  recheck_request_until date,
  recheck_requested_at timestamptz,
  recheck_due_on  date,
  concluded_at    timestamptz,
  backlog         boolean NOT NULL DEFAULT false,  -- 积案
  backlog_reason  text,
  backlog_at      timestamptz,
  backlog_closed_at timestamptz,
  created_by      bigint REFERENCES app_user(id),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, district_code)
);
CREATE INDEX petition_district_idx ON petition (district_code, received_at DESC);
CREATE INDEX petition_street_idx ON petition (street_code, received_at DESC);
CREATE INDEX petition_community_idx ON petition (community_code, received_at DESC);
CREATE INDEX petition_region_idx ON petition (region_code text_pattern_ops);
CREATE INDEX petition_category_idx ON petition (district_code, category_code, received_at DESC);
CREATE INDEX petition_backlog_idx ON petition (district_code) WHERE backlog;

-- 领导包案: one county-level leader, one department, one township and one police officer, each with
-- what they answer for (包政策落实, 包困难帮扶, 包属地稳控, 包教育转化).
CREATE TABLE petition_leader (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  case_id        bigint NOT NULL,
  role           text NOT NULL CHECK (role IN ('county_leader', 'department', 'township', 'police_officer')),
  name           text NOT NULL,
  title          text,
  unit_id        text REFERENCES unit(id),
  responsibility text NOT NULL,
  assigned_at    timestamptz NOT NULL,
  assigned_by    bigint REFERENCES app_user(id),
  PRIMARY KEY (id, district_code),
  UNIQUE (case_id, role, district_code)
);

-- 领导接访日 and the petitioners' bookings.
CREATE TABLE reception_day (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  leader_name   text NOT NULL,
  leader_title  text NOT NULL,
  day           date NOT NULL,
  starts_at     text NOT NULL,   -- HH:MM, China time
  ends_at       text NOT NULL,
  place         text NOT NULL,
  topics        text,
  capacity      integer NOT NULL DEFAULT 10 CHECK (capacity BETWEEN 1 AND 500),
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX reception_day_idx ON reception_day (district_code, day);

CREATE TABLE reception_booking (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  day_id        bigint NOT NULL,
  sealed        text NOT NULL,           -- {name, phone} sealed
  name_masked   text NOT NULL,
  phone_masked  text,
  phone_hash    text,
  matter        text NOT NULL,
  case_id       bigint,                  -- the petition it concerns, when there is one
  status        text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'received', 'cancelled')),
  outcome       text,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX reception_booking_day_idx ON reception_booking (day_id);
