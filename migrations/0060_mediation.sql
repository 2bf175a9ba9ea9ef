-- Disputes (矛盾纠纷多元化解): the mediation module's records beside the case engine's `case` rows.
-- A dispute is a case of type `dispute`; these tables hold what the case row does not: the GB/T 31000
-- dispute record, the parties, mediation organisations and mediators, the 四包 roles, investigation and
-- session records, agreements with obligations and signatures, follow-up visits and dockings.
-- Every table that grows with cases carries district_code, and its unique keys include it (DESIGN §2).

-- 调委会 / 调解室 / 矛调中心 at district, street or community level.
CREATE TABLE mediation_org (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  level         text NOT NULL CHECK (level IN ('district', 'street', 'community')),
  kind          text NOT NULL CHECK (kind IN ('centre', 'committee', 'room')),
  name          text NOT NULL,
  -- 行业性专业性调委会: the category codes it specialises in
  specialties   text[] NOT NULL DEFAULT '{}',
  -- 品牌调解室 (e.g. 老赵调解室) and its brand name
  brand         boolean NOT NULL DEFAULT false,
  brand_name    text,
  address       text,
  phone         text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (district_code, name)
);
CREATE INDEX mediation_org_region_idx ON mediation_org (region_code text_pattern_ops);

-- 调解员: a member of one organisation, optionally with a console account.
CREATE TABLE mediator (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  org_id        bigint NOT NULL REFERENCES mediation_org(id),
  user_id       bigint REFERENCES app_user(id),
  name          text NOT NULL,
  title         text,
  phone_sealed  text,
  phone_masked  text,
  specialties   text[] NOT NULL DEFAULT '{}',
  gold          boolean NOT NULL DEFAULT false,  -- 金牌调解员
  max_load      integer NOT NULL DEFAULT 10 CHECK (max_load BETWEEN 1 AND 200),
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mediator_org_idx ON mediator (org_id);
CREATE INDEX mediator_region_idx ON mediator (region_code text_pattern_ops);

-- The GB/T 31000 矛盾纠纷排查化解 record, one per dispute case, with what statistics and the lists need
-- (state, level, organisation, outcome, risk) kept here by the module's effects in the transition's
-- transaction, so that statistics never read the case engine's tables.
CREATE TABLE dispute (
  case_id         bigint NOT NULL,
  district_code   text NOT NULL,
  street_code     text,
  community_code  text,
  region_code     text NOT NULL,
  case_no         text NOT NULL,
  category_code   text NOT NULL,
  title           text NOT NULL,
  description     text NOT NULL,
  occurred_on     date,
  address         text,
  address_key     text,                 -- normalised address: same-address repeats
  scale           text NOT NULL DEFAULT 'ordinary' CHECK (scale IN ('ordinary', 'larger', 'major', 'especially_major')),
  people_involved integer NOT NULL DEFAULT 2 CHECK (people_involved BETWEEN 1 AND 100000),
  units_involved  text,
  source          text NOT NULL DEFAULT 'application',
  method          text NOT NULL DEFAULT 'people' CHECK (method IN ('people', 'administrative', 'judicial', 'industry')),
  level           text CHECK (level IN ('district', 'street', 'community')),
  org_id          bigint REFERENCES mediation_org(id),
  lead_mediator_id bigint REFERENCES mediator(id),
  -- 四包: 包调查, 包调处, 包办结, 包回访
  investigate_by  bigint REFERENCES mediator(id),
  mediate_by      bigint REFERENCES mediator(id),
  conclude_by     bigint REFERENCES mediator(id),
  follow_up_by    bigint REFERENCES mediator(id),
  limit_on        date,                 -- 化解时限
  is_open         boolean NOT NULL DEFAULT true,
  success         boolean,              -- 化解是否成功
  result_text     text,                 -- 化解情况
  failure_reason  text,
  evaluated_on    date,                 -- 考评日期
  evaluation      text,                 -- 考评意见
  received_at     timestamptz NOT NULL,
  accepted_at     timestamptz,
  agreed_at       timestamptz,
  failed_at       timestamptz,
  closed_at       timestamptz,
  converted_from  text,                 -- the case type it was (a 12345 ticket, a grid event)
  risk_score      integer NOT NULL DEFAULT 0,
  risk_level      text NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
  risk_reasons    jsonb NOT NULL DEFAULT '[]',
  risk_at         timestamptz,
  created_by      bigint REFERENCES app_user(id),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, district_code)
);
CREATE INDEX dispute_district_idx ON dispute (district_code, received_at DESC);
CREATE INDEX dispute_street_idx ON dispute (street_code, received_at DESC);
CREATE INDEX dispute_community_idx ON dispute (community_code, received_at DESC);
CREATE INDEX dispute_region_idx ON dispute (region_code text_pattern_ops);
CREATE INDEX dispute_address_idx ON dispute (address_key) WHERE address_key IS NOT NULL;
CREATE INDEX dispute_open_idx ON dispute (district_code, risk_score DESC) WHERE is_open;

-- Parties of disputes and petitions: persons or organisations with their roles. A person's name, ID
-- number, phone and address are sealed together (AES-256-GCM), shown masked, looked up by keyed hash
-- (repeat detection) and revealed only for a stated purpose, audited.
CREATE TABLE mediation_party (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  case_kind     text NOT NULL CHECK (case_kind IN ('dispute', 'petition')),
  role          text NOT NULL CHECK (role IN ('applicant', 'respondent', 'third_party', 'petitioner', 'respondent_org', 'agent')),
  kind          text NOT NULL CHECK (kind IN ('person', 'organisation')),
  sealed        text,                 -- {name, idNumber, phone, address} sealed
  name_masked   text NOT NULL,
  id_masked     text,
  phone_masked  text,
  name_hash     text,                 -- keyed hash of the normalised name (organisations, and persons without ID)
  id_hash       text,                 -- keyed hash of the ID number
  phone_hash    text,
  id_type       text,                 -- GA/T 517 证件代码
  sex           text,
  ethnicity     text,
  education     text,
  person_type   text,                 -- 主要当事人人员类别
  birth_year    integer CHECK (birth_year BETWEEN 1900 AND 2100),
  vulnerable    text[] NOT NULL DEFAULT '{}',
  org_code      text,                 -- 统一社会信用代码 (organisations)
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX mediation_party_case_idx ON mediation_party (case_id);
CREATE INDEX mediation_party_id_hash_idx ON mediation_party (id_hash) WHERE id_hash IS NOT NULL;
CREATE INDEX mediation_party_phone_hash_idx ON mediation_party (phone_hash) WHERE phone_hash IS NOT NULL;
CREATE INDEX mediation_party_name_hash_idx ON mediation_party (name_hash) WHERE name_hash IS NOT NULL;

-- 调查笔录
CREATE TABLE dispute_investigation (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  investigated_at timestamptz NOT NULL,
  place         text,
  investigator  text NOT NULL,
  interviewee   text NOT NULL,
  content       text NOT NULL,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX dispute_investigation_case_idx ON dispute_investigation (case_id);

-- Mediation sessions (调解笔录 once held): scheduled with participants and a place or an online link.
CREATE TABLE dispute_session (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL,
  case_id       bigint NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  place         text,
  online_link   text,
  participants  jsonb NOT NULL DEFAULT '[]',
  mediator_ids  bigint[] NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'held', 'cancelled')),
  held_at       timestamptz,
  minutes       text,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code),
  CHECK (place IS NOT NULL OR online_link IS NOT NULL)
);
CREATE INDEX dispute_session_case_idx ON dispute_session (case_id);
CREATE INDEX dispute_session_when_idx ON dispute_session (district_code, scheduled_at) WHERE status = 'scheduled';

-- 调解协议书: drafted, signed by the parties, then concluded by the workflow; 司法确认 on it.
CREATE TABLE dispute_agreement (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'effective', 'void')),
  content       text NOT NULL,
  signed_place  text,
  follow_up_on  date NOT NULL,      -- the planned 回访
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  concluded_at  timestamptz,
  judicial_status text NOT NULL DEFAULT 'none' CHECK (judicial_status IN ('none', 'applied', 'confirmed', 'refused')),
  judicial_court text,
  judicial_applied_at timestamptz,
  judicial_ruled_at timestamptz,
  judicial_ruling_no text,
  judicial_note text,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX dispute_agreement_case_idx ON dispute_agreement (case_id);

CREATE TABLE dispute_obligation (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  agreement_id  bigint NOT NULL,
  seq           integer NOT NULL,
  obligor_party_id bigint,
  description   text NOT NULL,
  due_on        date NOT NULL,
  amount        numeric(14, 2),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'performed', 'breached')),
  recorded_at   timestamptz,
  note          text,
  PRIMARY KEY (id, district_code),
  UNIQUE (agreement_id, seq, district_code)
);
CREATE INDEX dispute_obligation_case_idx ON dispute_obligation (case_id);

-- Signatures drawn on a phone or tablet: the PNG is a platform attachment (file store by sha256).
CREATE TABLE dispute_signature (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  agreement_id  bigint NOT NULL,
  party_id      bigint,
  signer_role   text NOT NULL CHECK (signer_role IN ('party', 'mediator')),
  signer_label  text NOT NULL,
  attachment_id bigint NOT NULL,
  sha256        text NOT NULL,
  signed_at     timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (agreement_id, party_id, signer_role, district_code)
);
CREATE INDEX dispute_signature_agreement_idx ON dispute_signature (agreement_id);

-- 回访: planned with a due date when performance ends; they show in the lists once due.
CREATE TABLE dispute_follow_up (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL,
  case_id       bigint NOT NULL,
  due_on        date NOT NULL,
  done_at       timestamptz,
  method        text CHECK (method IN ('visit', 'phone', 'online')),
  content       text,
  satisfaction  text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  recorded_by   bigint REFERENCES app_user(id),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX dispute_follow_up_due_idx ON dispute_follow_up (district_code, due_on) WHERE done_at IS NULL;
CREATE INDEX dispute_follow_up_case_idx ON dispute_follow_up (case_id);

-- 五调对接: 诉调, 仲调, 访调, 检调, 警调. The case file (its documents) transfers with the docking.
CREATE TABLE dispute_docking (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('court', 'arbitration', 'petition', 'procuratorate', 'police')),
  receiver      text NOT NULL,
  note          text,
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'transferred', 'concluded')),
  file_manifest jsonb NOT NULL DEFAULT '[]',
  transferred_at timestamptz,
  result        text,
  concluded_at  timestamptz,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX dispute_docking_case_idx ON dispute_docking (case_id);
