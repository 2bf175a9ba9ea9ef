-- Risk prevention (DESIGN §3, risk module): the risk register and the platform's one alert mechanism.
--
-- The register (隐患 and 不稳定因素) keeps what the case engine does not: where a hazard came from, its
-- kind and level (红/橙/黄/蓝), the responsible unit and person, the control measures. Its status is the
-- case's (a hazard is a case type): `case_id` names the case, without a foreign key into the engine's
-- tables (modules share keys only with core records). case_no, title, state, is_open and lead_unit_id
-- are a read model of the case, kept by the case events (the register filters and sorts on them
-- without reading the engine's tables). Every table that grows with cases carries district_code, in its
-- primary key, so it can be partitioned or distributed by district.

CREATE TABLE hazard (
  case_id             bigint NOT NULL,
  district_code       text NOT NULL,
  region_code         text NOT NULL,
  street_code         text,
  community_code      text,
  case_no             text NOT NULL,
  title               text NOT NULL,
  state               text NOT NULL,
  is_open             boolean NOT NULL DEFAULT true,
  lead_unit_id        text,
  kind                text NOT NULL CHECK (kind IN ('hazard', 'instability')),
  source              text NOT NULL CHECK (source IN ('daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'other')),
  hazard_type         text NOT NULL,
  level               text NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'blue')),
  location            text,
  lat                 double precision,
  lng                 double precision,
  responsible_unit_id text REFERENCES unit(id),
  responsible_user_id bigint REFERENCES app_user(id),
  responsible_name    text,
  measures            text,
  rectify_by          date,             -- 整改时限 (a calendar date, set by whoever registers it)
  alert_id            bigint,           -- the alert it was raised from, if any
  written_off_at      timestamptz,      -- 销号
  created_by          bigint REFERENCES app_user(id),
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (case_id, district_code)
);
CREATE INDEX hazard_street_idx ON hazard (street_code, case_id DESC);
CREATE INDEX hazard_community_idx ON hazard (community_code, case_id DESC);
CREATE INDEX hazard_district_open_idx ON hazard (district_code, case_id DESC) WHERE is_open;
CREATE INDEX hazard_unit_idx ON hazard (responsible_unit_id) WHERE responsible_unit_id IS NOT NULL;
CREATE INDEX hazard_lead_idx ON hazard (lead_unit_id) WHERE lead_unit_id IS NOT NULL;
CREATE INDEX hazard_region_idx ON hazard (region_code text_pattern_ops);

-- Every change of a register entry and every measure reported, as facts (append-only).
CREATE TABLE hazard_change (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  case_id       bigint NOT NULL,
  district_code text NOT NULL,
  actor_id      bigint REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  what          text NOT NULL CHECK (what IN ('registered', 'edited', 'measure', 'struck_off')),
  changes       jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (id, district_code)
);
CREATE INDEX hazard_change_case_idx ON hazard_change (case_id, id);

-- Early-warning rules as data. A rule belongs to a region (a district, or a street of it) and applies
-- to what happens under it. Each edit is a new version; alerts name the version that raised them.
CREATE TABLE alert_rule (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  version       integer NOT NULL,
  name          text NOT NULL,
  kind          text NOT NULL,
  level         text NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'blue')),
  params        jsonb NOT NULL,
  unit_id       text REFERENCES unit(id),   -- who receives its alerts (default: the territorial centre)
  enabled       boolean NOT NULL DEFAULT true,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX alert_rule_region_idx ON alert_rule (region_code text_pattern_ops) WHERE enabled;

CREATE TABLE alert_rule_version (
  rule_id       bigint NOT NULL,
  district_code text NOT NULL,
  version       integer NOT NULL,
  name          text NOT NULL,
  kind          text NOT NULL,
  level         text NOT NULL,
  params        jsonb NOT NULL,
  unit_id       text,
  enabled       boolean NOT NULL,
  note          text,
  actor_id      bigint REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  PRIMARY KEY (rule_id, version, district_code)
);

-- An alert: what a rule saw (facts, rendered as sentences by the console), where, about what, and how it
-- is being handled. Handling steps are facts in alert_action.
CREATE TABLE alert (
  id                  bigint GENERATED ALWAYS AS IDENTITY,
  district_code       text NOT NULL,
  region_code         text NOT NULL,
  street_code         text,
  community_code      text,
  rule_id             bigint NOT NULL,
  rule_version        integer NOT NULL,
  kind                text NOT NULL,
  level               text NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'blue')),
  subject             text NOT NULL,
  facts               jsonb NOT NULL DEFAULT '{}',
  case_ids            bigint[] NOT NULL DEFAULT '{}',
  device_id           bigint,
  label_id            bigint,
  unit_id             text,
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'assigned', 'converted', 'dismissed')),
  responsible_unit_id text REFERENCES unit(id),
  assigned_unit_id    text REFERENCES unit(id),
  case_id             bigint,
  triggered_at        timestamptz NOT NULL,
  raised_at           timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX alert_district_idx ON alert (district_code, raised_at DESC, id DESC);
CREATE INDEX alert_street_idx ON alert (street_code, raised_at DESC, id DESC);
CREATE INDEX alert_community_idx ON alert (community_code, raised_at DESC, id DESC);
CREATE INDEX alert_region_idx ON alert (region_code text_pattern_ops);
CREATE INDEX alert_unit_idx ON alert (responsible_unit_id, raised_at DESC);
CREATE INDEX alert_assigned_idx ON alert (assigned_unit_id, raised_at DESC) WHERE assigned_unit_id IS NOT NULL;
CREATE INDEX alert_open_idx ON alert (district_code, raised_at DESC) WHERE status IN ('open', 'acknowledged', 'assigned');

CREATE TABLE alert_action (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  alert_id      bigint NOT NULL,
  district_code text NOT NULL,
  action        text NOT NULL CHECK (action IN ('raise', 'acknowledge', 'assign', 'convert', 'dismiss')),
  actor_id      bigint REFERENCES app_user(id),
  unit_id       text,
  note          text,
  data          jsonb NOT NULL DEFAULT '{}',
  at            timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX alert_action_alert_idx ON alert_action (alert_id, id);

-- One row per (rule, subject): when its quiet period ends. Raising is an upsert that succeeds only after
-- the quiet period, so several processes evaluating the same event raise one alert.
CREATE TABLE alert_subject (
  rule_id       bigint NOT NULL,
  district_code text NOT NULL,
  subject       text NOT NULL,
  raised_at     timestamptz NOT NULL,
  quiet_until   timestamptz,              -- null: never again for this subject
  PRIMARY KEY (rule_id, subject, district_code)
);

-- Append-only: handling steps and register history are facts.
CREATE FUNCTION risk_forbid_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER alert_action_immutable BEFORE UPDATE OR DELETE ON alert_action FOR EACH ROW EXECUTE FUNCTION risk_forbid_change();
CREATE TRIGGER hazard_change_immutable BEFORE UPDATE OR DELETE ON hazard_change FOR EACH ROW EXECUTE FUNCTION risk_forbid_change();
CREATE TRIGGER alert_rule_version_immutable BEFORE UPDATE OR DELETE ON alert_rule_version FOR EACH ROW EXECUTE FUNCTION risk_forbid_change();
