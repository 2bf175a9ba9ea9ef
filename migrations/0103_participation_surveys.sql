-- Surveys (问卷): single and multiple choice, scales and text; sampling by grid (a quota per grid); answers
-- on the web by residents (one response per registry person) or by phone, entered by a worker; results
-- per question and, for the 平安建设民意调查 template, the safety and satisfaction index.

CREATE TABLE pt_survey (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  description   text,
  template      text CHECK (template IN ('safety')),
  sample_grids  text[] NOT NULL DEFAULT '{}',   -- the grids sampled (empty: the whole region)
  quota         integer NOT NULL DEFAULT 0 CHECK (quota >= 0),  -- responses wanted per sampled grid
  opens_at      timestamptz NOT NULL,
  closes_at     timestamptz NOT NULL,
  created_by    bigint NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL,
  CHECK (closes_at > opens_at),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_survey_region ON pt_survey (region_code text_pattern_ops, opens_at DESC);

CREATE TABLE pt_survey_question (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  survey_id     bigint NOT NULL,
  seq           integer NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'text')),
  text          text NOT NULL,
  options       jsonb NOT NULL DEFAULT '[]',
  scale_max     integer CHECK (scale_max BETWEEN 2 AND 10),
  dimension     text CHECK (dimension IN ('safety', 'satisfaction')),   -- what the index counts it towards
  required      boolean NOT NULL DEFAULT true,
  PRIMARY KEY (id, district_code),
  UNIQUE (survey_id, seq, district_code),
  FOREIGN KEY (survey_id, district_code) REFERENCES pt_survey (id, district_code),
  CHECK ((kind = 'scale') = (scale_max IS NOT NULL))
);

CREATE TABLE pt_survey_response (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  survey_id      bigint NOT NULL,
  region_code    text NOT NULL,              -- the respondent's grid
  channel        text NOT NULL CHECK (channel IN ('web', 'phone')),
  respondent_key text,                       -- 'p<personId>' on the web: one response per person
  entered_by     bigint NOT NULL REFERENCES app_user(id),
  at             timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (survey_id, respondent_key, district_code),
  FOREIGN KEY (survey_id, district_code) REFERENCES pt_survey (id, district_code)
);
CREATE INDEX pt_survey_response_survey ON pt_survey_response (survey_id, region_code);

CREATE TABLE pt_survey_answer (
  district_code text NOT NULL,
  response_id   bigint NOT NULL,
  question_id   bigint NOT NULL,
  choices       integer[],                   -- option indexes (single, multiple)
  value         integer,                     -- scale
  text          text,
  PRIMARY KEY (response_id, question_id, district_code),
  FOREIGN KEY (response_id, district_code) REFERENCES pt_survey_response (id, district_code),
  FOREIGN KEY (question_id, district_code) REFERENCES pt_survey_question (id, district_code)
);
