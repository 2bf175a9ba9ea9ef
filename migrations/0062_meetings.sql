-- Meetings (src/platform/meetings): agenda, attendance, minutes and decisions that become cases through the
-- case engine. One shared piece for every kind of meeting a module declares: 联席会议 (mediation), 周研判
-- (risk), 议事 (participation). `kind` names the module's kind ("module.kind"); the module's policy decides
-- who may see and hold meetings of that kind; the region scope decides where.

CREATE TABLE meeting (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  kind          text NOT NULL,
  title         text NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  place         text,
  online_link   text,
  status        text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held', 'cancelled')),
  minutes       text,
  held_at       timestamptz,
  convened_by   bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX meeting_region_idx ON meeting (region_code text_pattern_ops, scheduled_at DESC);
CREATE INDEX meeting_kind_idx ON meeting (district_code, kind, scheduled_at DESC);

CREATE TABLE meeting_agenda_item (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  meeting_id    bigint NOT NULL,
  seq           integer NOT NULL,
  title         text NOT NULL,
  note          text,
  case_id       bigint,        -- a case the item is about (a petition, a dispute, a hazard)
  PRIMARY KEY (id, district_code),
  UNIQUE (meeting_id, seq, district_code)
);

CREATE TABLE meeting_attendee (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  meeting_id    bigint NOT NULL,
  name          text NOT NULL,
  organisation  text,
  user_id       bigint REFERENCES app_user(id),
  unit_id       text REFERENCES unit(id),
  present       boolean,       -- null until attendance is taken
  PRIMARY KEY (id, district_code)
);
CREATE INDEX meeting_attendee_meeting_idx ON meeting_attendee (meeting_id);

CREATE TABLE meeting_decision (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  meeting_id    bigint NOT NULL,
  seq           integer NOT NULL,
  text          text NOT NULL,
  responsible_unit_id text REFERENCES unit(id),
  due_on        date,
  case_id       bigint,        -- the case the decision became
  case_no       text,
  decided_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (meeting_id, seq, district_code)
);
CREATE INDEX meeting_decision_meeting_idx ON meeting_decision (meeting_id);
