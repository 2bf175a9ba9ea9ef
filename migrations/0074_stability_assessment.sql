-- 社会稳定风险评估 (稳评): a major decision (a project, a policy) and its assessment — risk points with
-- importance and urgency, public consultation, expert review, a rating and a conclusion. A decision is
-- approved only with a completed assessment whose conclusion lets it proceed (the field reports' 刚性门槛).

CREATE TABLE major_decision (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('project', 'policy', 'reform', 'other')),
  description   text NOT NULL,
  owner_unit_id text REFERENCES unit(id),
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'turned_down', 'withdrawn')),
  decided_by    bigint REFERENCES app_user(id),
  decided_at    timestamptz,
  decision_note text,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX major_decision_region_idx ON major_decision (region_code text_pattern_ops);

CREATE TABLE stability_assessment (
  id              bigint GENERATED ALWAYS AS IDENTITY,
  district_code   text NOT NULL,
  decision_id     bigint NOT NULL,
  status          text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'completed')),
  assessor_unit_id text REFERENCES unit(id),
  rating          text CHECK (rating IN ('low', 'medium', 'high')),
  conclusion      text CHECK (conclusion IN ('proceed', 'proceed_with_measures', 'postpone', 'abandon')),
  conclusion_text text,
  started_by      bigint REFERENCES app_user(id),
  started_at      timestamptz NOT NULL,
  completed_by    bigint REFERENCES app_user(id),
  completed_at    timestamptz,
  PRIMARY KEY (id, district_code)
);
CREATE UNIQUE INDEX stability_assessment_open_uq ON stability_assessment (decision_id, district_code) WHERE status = 'in_progress';

CREATE TABLE assessment_risk_point (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  assessment_id bigint NOT NULL,
  description   text NOT NULL,
  category      text NOT NULL,
  importance    integer NOT NULL CHECK (importance BETWEEN 1 AND 5),
  urgency       integer NOT NULL CHECK (urgency BETWEEN 1 AND 5),
  measures      text,
  owner         text,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX assessment_risk_point_idx ON assessment_risk_point (assessment_id);

CREATE TABLE assessment_consultation (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  assessment_id bigint NOT NULL,
  method        text NOT NULL CHECK (method IN ('hearing', 'survey', 'forum', 'publication', 'visit')),
  held_on       date NOT NULL,
  participants  integer NOT NULL CHECK (participants >= 0),
  support       integer NOT NULL DEFAULT 0 CHECK (support >= 0),
  oppose        integer NOT NULL DEFAULT 0 CHECK (oppose >= 0),
  summary       text NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX assessment_consultation_idx ON assessment_consultation (assessment_id);

CREATE TABLE assessment_expert_review (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  assessment_id  bigint NOT NULL,
  expert_name    text NOT NULL,
  field          text NOT NULL,
  opinion        text NOT NULL,
  recommendation text NOT NULL CHECK (recommendation IN ('agree', 'agree_with_conditions', 'disagree')),
  reviewed_on    date NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX assessment_expert_review_idx ON assessment_expert_review (assessment_id);
