-- Platform: regions (the scope backbone), units, users, sessions, idempotency, outbox, audit, settings.

-- Region tree. `code` is a prefix hierarchy: 50 > 5001 > 500117 > 500117001 > 500117001005 > 50011700100501.
-- A user's scope is a set of code prefixes (DESIGN rule 1).
CREATE TABLE region (
  code          text PRIMARY KEY,
  parent_code   text REFERENCES region(code),
  level         text NOT NULL CHECK (level IN ('province','city','district','street','community','grid')),
  kind          text NOT NULL,
  name          text NOT NULL,
  short_name    text NOT NULL,
  official_code text,
  centroid_lng  double precision,
  centroid_lat  double precision,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX region_parent_idx ON region (parent_code);
CREATE INDEX region_code_prefix_idx ON region (code text_pattern_ops);

-- Grid polygons with versions (a case keeps the grid it was filed in; later versions may split/merge).
CREATE TABLE grid_polygon (
  region_code text NOT NULL REFERENCES region(code),
  version     integer NOT NULL,
  valid_from  timestamptz NOT NULL DEFAULT now(),
  valid_to    timestamptz,
  geometry    jsonb NOT NULL,
  PRIMARY KEY (region_code, version)
);

-- Organisational units: 综治中心, departments, hotline centre, communities, command centre.
CREATE TABLE unit (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  name_en     text,
  kind        text NOT NULL CHECK (kind IN ('command_centre','street_centre','community','department','hotline','grid_team','district_gov','city_gov')),
  region_code text NOT NULL REFERENCES region(code),
  parent_id   text REFERENCES unit(id),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_region_idx ON unit (region_code text_pattern_ops);

CREATE TABLE app_user (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin','command_centre','street_centre','community','grid_worker','hotline_operator','department','resident')),
  unit_id       text REFERENCES unit(id),
  region_code   text NOT NULL REFERENCES region(code),
  locale        text NOT NULL DEFAULT 'zh-CN',
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Opaque session tokens; only their SHA-256 is stored. The same token is a cookie or a bearer token.
CREATE TABLE session (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES app_user(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX session_user_idx ON session (user_id);

-- Idempotency-Key for retried writes: the first response is replayed for the same key and body.
CREATE TABLE idempotency_key (
  user_id      bigint NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status_code  integer NOT NULL,
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Domain events, written in the same transaction as the change (DESIGN rule 8).
CREATE TABLE outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic       text NOT NULL,
  region_code text NOT NULL,
  unit_ids    text[] NOT NULL DEFAULT '{}',
  user_ids    bigint[] NOT NULL DEFAULT '{}',
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id    bigint,
  action      text NOT NULL,
  target      text NOT NULL,
  region_code text,
  detail      jsonb NOT NULL DEFAULT '{}',
  at          timestamptz NOT NULL DEFAULT now()
);

-- Small key/value settings (working hours, holiday overrides, thresholds), editable by administrators.
CREATE TABLE setting (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Leases for singleton background jobs (scheduler) across several processes.
CREATE TABLE job_lease (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL,
  last_run   timestamptz
);
