-- Registries (人地事物组织, GB/T 31000): persons with labels for special populations and their follow-up
-- logs, households, buildings, houses and rooms, places, 部件 facilities (GB/T 30428.2), cameras and
-- sensors, organisations; code tables as data; reveal grants and import jobs.
--
-- Every governed row carries its grid (region_code) and the grid's district, street and community,
-- like "case": scope filters are equality on the column of the prefix's level (DESIGN rule 1), and
-- district_code is the distribution column for Citus (unique keys include it).
-- Personal data (ID numbers, names, phones) is never stored in clear: `sealed` holds the AES-256-GCM
-- ciphertext of a JSON object of the record's personal fields, `masked` their masked forms, and
-- *_hash the keyed lookup hashes (DESIGN rule 6).

-- Code tables (GB/T 2261.1, GB/T 3304, GB/T 4761 …), loaded from versioned files in
-- src/modules/registry/dictionaries/ at start and editable by administrators.
CREATE TABLE dictionary (
  name       text PRIMARY KEY,
  title_zh   text NOT NULL,
  title_en   text NOT NULL,
  standard   text,
  note       text,
  version    integer NOT NULL,          -- version of the file last loaded
  loaded_at  timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dictionary_entry (
  dictionary  text NOT NULL REFERENCES dictionary(name),
  code        text NOT NULL,
  label_zh    text NOT NULL,
  label_en    text,
  parent_code text,
  aliases     text[] NOT NULL DEFAULT '{}',  -- other spellings accepted in imports (男 for 男性)
  sort        integer NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true,
  origin      text NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'admin')),
  -- an administrator changed this entry: later file versions leave it as it is
  edited      boolean NOT NULL DEFAULT false,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dictionary, code)
);

CREATE TABLE building (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL REFERENCES region(code),
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  name           text NOT NULL,          -- 楼栋名称
  code           text,                   -- 楼栋编码 (local numbering, 00001–99999 in DB6101/T 3185)
  address        text,
  use_type       text,                   -- dictionary building_use
  floors         integer,
  units          integer,
  lat            double precision,
  lng            double precision,
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- 实有房屋 with owner and (when let as a whole) rental details: 出租用途, 承租人.
CREATE TABLE house (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL REFERENCES region(code),
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  building_id    bigint REFERENCES building(id),
  address        text NOT NULL,
  unit_no        text,
  floor          integer,
  door_no        text,
  area           double precision,
  use_type       text,                   -- dictionary house_use
  hazard_types   text[] NOT NULL DEFAULT '{}',  -- dictionary hazard_type
  rented         boolean NOT NULL DEFAULT false,
  rental_use     text,                   -- dictionary rental_use
  tenant_count   integer,
  lease_start    date,
  lease_end      date,
  sealed         text,                   -- owner and tenant: name, ID number, phone
  masked         jsonb NOT NULL DEFAULT '{}',
  lat            double precision,
  lng            double precision,
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Rooms let one by one (群租, 分租): each with its own tenant.
CREATE TABLE room (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL REFERENCES region(code),
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  house_id       bigint NOT NULL REFERENCES house(id),
  name           text NOT NULL,
  area           double precision,
  rented         boolean NOT NULL DEFAULT false,
  rental_use     text,
  tenant_count   integer,
  lease_start    date,
  lease_end      date,
  sealed         text,
  masked         jsonb NOT NULL DEFAULT '{}',
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- 户: a family or collective household, usually living in one house.
CREATE TABLE household (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL REFERENCES region(code),
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  household_no   text,                   -- 户号
  kind           text NOT NULL DEFAULT 'family' CHECK (kind IN ('family', 'collective')),
  house_id       bigint REFERENCES house(id),
  address        text,
  head_person_id bigint,
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- 实有人口. region_code has no foreign key here: the import checks every row's grid against the region
-- table, and bulk COPY of millions of rows stays free of a per-row trigger.
CREATE TABLE person (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code           text NOT NULL,
  district_code         text NOT NULL,
  street_code           text,
  community_code        text,
  population_type       text NOT NULL CHECK (population_type IN ('registered', 'floating', 'overseas', 'left_behind')),
  id_type               text NOT NULL DEFAULT '111',  -- 证件代码; 111 居民身份证
  id_hash               text NOT NULL,                -- keyed hash of id_type|number
  id_masked             text NOT NULL,
  name_masked           text NOT NULL,
  phone_hash            text,
  phone_masked          text,
  sealed                text NOT NULL,                -- {idNumber, name, phone, details: {…personal}}
  sex                   text,                         -- GB/T 2261.1
  birth_date            date,
  ethnicity             text,                         -- GB/T 3304
  native_place          text,                         -- GB/T 2260
  marital_status        text,                         -- GB/T 2261.2
  political_status      text,                         -- GB/T 4762
  education             text,                         -- GB/T 4658
  religion              text,                         -- GA 214.12
  occupation            text,
  employer              text,                         -- 服务处所
  household_consistency text,                         -- 人户一致标识
  registered_address    text,                         -- 户籍门(楼)详址
  current_address       text,                         -- 现住门(楼)详址
  house_id              bigint REFERENCES house(id),
  household_id          bigint REFERENCES household(id),
  relation_to_head      text,                         -- GB/T 4761
  details               jsonb NOT NULL DEFAULT '{}',  -- fields of the population type (流动, 境外, 留守)
  masked                jsonb NOT NULL DEFAULT '{}',  -- masked personal fields of details
  import_job_id         bigint,
  created_by            bigint,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
-- One record per person and document across the platform; the import and the API look the hash up
-- first, the unique index (with the distribution column) settles races.
-- Scope lists use the street, community and grid indexes (equality, DESIGN rule 1); a district is the
-- shard (Citus) and is read in primary-key order. Phone lookups always run inside a scope, so they
-- ride on the scope indexes: a phone index would cost bulk imports a quarter of their speed.
CREATE UNIQUE INDEX person_id_hash_uq ON person (id_hash, district_code);
CREATE INDEX person_street_idx    ON person (street_code, id);
CREATE INDEX person_community_idx ON person (community_code, id);
CREATE INDEX person_grid_idx      ON person (region_code, id);
CREATE INDEX person_house_idx     ON person (house_id) WHERE house_id IS NOT NULL;
CREATE INDEX person_household_idx ON person (household_id) WHERE household_id IS NOT NULL;

ALTER TABLE household ADD CONSTRAINT household_head_fk FOREIGN KEY (head_person_id) REFERENCES person(id) ON DELETE SET NULL;

-- Labels for special populations (刑满释放, 社区矫正, 严重精神障碍, 吸毒, 重点青少年, 艾滋病危险, 上访, custom),
-- each with the fields of its type (validated per type) and their personal parts sealed.
CREATE TABLE person_label (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id       bigint NOT NULL REFERENCES person(id) ON DELETE CASCADE,
  region_code     text NOT NULL,
  district_code   text NOT NULL,
  street_code     text,
  community_code  text,
  type            text NOT NULL,
  custom_name     text,
  attention_level text,
  fields          jsonb NOT NULL DEFAULT '{}',
  sealed          text,
  masked          jsonb NOT NULL DEFAULT '{}',
  active          boolean NOT NULL DEFAULT true,
  started_on      date,
  ended_on        date,
  created_by      bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_label_person_idx ON person_label (person_id);
CREATE INDEX person_label_street_idx ON person_label (street_code, type) WHERE active;
CREATE INDEX person_label_community_idx ON person_label (community_code, type) WHERE active;
CREATE UNIQUE INDEX person_label_active_uq ON person_label (person_id, type, coalesce(custom_name, '')) WHERE active;

-- 跟踪/帮扶记录: append-only facts about a labelled person.
CREATE TABLE person_followup (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label_id       bigint NOT NULL REFERENCES person_label(id) ON DELETE CASCADE,
  person_id      bigint NOT NULL,
  region_code    text NOT NULL,
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  kind           text NOT NULL CHECK (kind IN ('track', 'assist')),
  method         text NOT NULL CHECK (method IN ('visit', 'phone', 'video', 'meeting', 'other')),
  content        text NOT NULL,
  occurred_at    timestamptz NOT NULL,
  next_due_on    date,
  actor_id       bigint NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_followup_label_idx ON person_followup (label_id, occurred_at DESC);

CREATE FUNCTION forbid_followup_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'follow-up records are immutable';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER person_followup_immutable BEFORE UPDATE ON person_followup
  FOR EACH ROW EXECUTE FUNCTION forbid_followup_update();

-- 场所: schools, hospitals, markets, 九小场所 …
CREATE TABLE place (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code     text NOT NULL REFERENCES region(code),
  district_code   text NOT NULL,
  street_code     text,
  community_code  text,
  kind            text NOT NULL,          -- dictionary place_type
  name            text NOT NULL,
  address         text,
  building_id     bigint REFERENCES building(id),
  attention_level text,
  sealed          text,                   -- manager: name, phone
  masked          jsonb NOT NULL DEFAULT '{}',
  lat             double precision,
  lng             double precision,
  note            text,
  created_by      bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- 部件 (GB/T 30428.2): 16-digit code = 6 行政区划 + 2 大类 + 2 小类 + 6 流水号.
CREATE TABLE facility (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code     text NOT NULL REFERENCES region(code),
  district_code   text NOT NULL,
  street_code     text,
  community_code  text,
  code            text NOT NULL,
  major           text NOT NULL,          -- 大类
  minor           text NOT NULL,          -- 小类
  name            text NOT NULL,
  state           text NOT NULL DEFAULT 'intact' CHECK (state IN ('intact', 'damaged', 'lost', 'scrapped')),
  competent_unit  text,                   -- 主管部门
  owner_unit      text,                   -- 权属单位
  maintainer_unit text,                   -- 养护单位
  address         text,
  lat             double precision,
  lng             double precision,
  installed_on    date,
  note            text,
  created_by      bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (code, district_code)
);

-- Things: cameras and sensors (物联感知设备).
CREATE TABLE thing (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code    text NOT NULL REFERENCES region(code),
  district_code  text NOT NULL,
  street_code    text,
  community_code text,
  kind           text NOT NULL CHECK (kind IN ('camera', 'sensor')),
  name           text NOT NULL,
  device_code    text NOT NULL,           -- GB/T 28181 20-digit code for cameras; vendor id for sensors
  sensor_type    text,                    -- dictionary sensor_type
  status         text NOT NULL DEFAULT 'online' CHECK (status IN ('online', 'offline', 'fault', 'retired')),
  vendor         text,
  model          text,
  facility_id    bigint REFERENCES facility(id) ON DELETE SET NULL,
  address        text,
  lat            double precision,
  lng            double precision,
  installed_on   date,
  properties     jsonb NOT NULL DEFAULT '{}',
  note           text,
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (device_code, district_code)
);

-- 组织: enterprises (非公有制经济组织), social organisations (社会组织), party organisations (党组织).
CREATE TABLE organisation (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code         text NOT NULL REFERENCES region(code),
  district_code       text NOT NULL,
  street_code         text,
  community_code      text,
  kind                text NOT NULL CHECK (kind IN ('enterprise', 'social', 'party')),
  name                text NOT NULL,
  credit_code         text,               -- 统一社会信用代码 (GB 32100)
  type_code           text,               -- enterprise_type / social_org_type / party_org_type
  address             text,
  employees           integer,
  members             integer,
  hazardous_chemicals boolean NOT NULL DEFAULT false,
  attention_level     text,
  parent_id           bigint REFERENCES organisation(id) ON DELETE SET NULL,
  established_on      date,
  sealed              text,               -- legal representative, security contact: names, ID number, phones
  masked              jsonb NOT NULL DEFAULT '{}',
  lat                 double precision,
  lng                 double precision,
  note                text,
  created_by          bigint,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisation_credit_code_uq ON organisation (credit_code, district_code) WHERE credit_code IS NOT NULL;

CREATE INDEX building_street_idx    ON building (street_code, id);
CREATE INDEX building_community_idx ON building (community_code, id);
CREATE INDEX building_grid_idx      ON building (region_code, id);
CREATE INDEX house_street_idx       ON house (street_code, id);
CREATE INDEX house_community_idx    ON house (community_code, id);
CREATE INDEX house_grid_idx         ON house (region_code, id);
CREATE INDEX house_building_idx     ON house (building_id) WHERE building_id IS NOT NULL;
CREATE INDEX room_house_idx         ON room (house_id);
CREATE INDEX room_community_idx     ON room (community_code, id);
CREATE INDEX room_grid_idx          ON room (region_code, id);
CREATE INDEX household_community_idx ON household (community_code, id);
CREATE INDEX household_grid_idx     ON household (region_code, id);
CREATE INDEX place_street_idx       ON place (street_code, id);
CREATE INDEX place_community_idx    ON place (community_code, id);
CREATE INDEX place_grid_idx         ON place (region_code, id);
CREATE INDEX facility_street_idx    ON facility (street_code, id);
CREATE INDEX facility_community_idx ON facility (community_code, id);
CREATE INDEX facility_grid_idx      ON facility (region_code, id);
CREATE INDEX thing_street_idx       ON thing (street_code, id);
CREATE INDEX thing_community_idx    ON thing (community_code, id);
CREATE INDEX thing_grid_idx         ON thing (region_code, id);
CREATE INDEX organisation_street_idx    ON organisation (street_code, id);
CREATE INDEX organisation_community_idx ON organisation (community_code, id);
CREATE INDEX organisation_grid_idx      ON organisation (region_code, id);

-- Per-user permission to reveal personal data, beside the roles that have it by default.
CREATE TABLE reveal_grant (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES app_user(id),
  granted_by bigint NOT NULL REFERENCES app_user(id),
  reason     text NOT NULL,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reveal_grant_user_idx ON reveal_grant (user_id) WHERE revoked_at IS NULL;

-- Bulk imports: one row per file, polled for progress; the error report lists every rejected row.
CREATE TABLE import_job (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  mode         text NOT NULL CHECK (mode IN ('all_or_nothing', 'valid_rows')),
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
  file_name    text,
  region_code  text NOT NULL,             -- the importer's scope
  total        integer,
  processed    integer NOT NULL DEFAULT 0,
  valid        integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  written      integer NOT NULL DEFAULT 0,
  error        text,
  error_report text,
  created_by   bigint NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX import_job_user_idx ON import_job (created_by, id DESC);

-- The audit view of reveals reads audit_log by action and time.
CREATE INDEX audit_log_action_at_idx ON audit_log (action, at DESC, id DESC);
