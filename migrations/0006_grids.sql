-- Grid management (网格管理): grid lifecycle facts, dedicated-grid types, professional layers (多网合一),
-- grid staff and party members (党员到网格报到), patrols, check-ins and household visits (巡查走访).
-- Every table carries the region code of the deepest region its rows belong to (DESIGN rule 1).

-- Retired grids stay in the region tree so that cases, visits and history keep pointing at them; the
-- point → grid index uses only current polygons (grid_polygon.valid_to IS NULL).
ALTER TABLE region ADD COLUMN retired_at timestamptz;

-- At most one current polygon per grid.
CREATE UNIQUE INDEX grid_polygon_current_idx ON grid_polygon (region_code) WHERE valid_to IS NULL;

-- Facts about grids, append-only (DESIGN rule 3): created, new geometry version, split, merged, and
-- layer imports. region_code is the community of the grids (or the layer's region) for scope.
CREATE TABLE grid_change (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('create','geometry','split','merge','layer_import')),
  region_code text NOT NULL,
  from_codes  text[] NOT NULL DEFAULT '{}',
  to_codes    text[] NOT NULL DEFAULT '{}',
  actor_id    bigint REFERENCES app_user(id),
  at          timestamptz NOT NULL,
  note        text,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX grid_change_from_idx ON grid_change USING gin (from_codes);
CREATE INDEX grid_change_to_idx ON grid_change USING gin (to_codes);
CREATE INDEX grid_change_region_idx ON grid_change (region_code text_pattern_ops, at);

CREATE FUNCTION forbid_grid_change_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'grid change records are immutable';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER grid_change_immutable BEFORE UPDATE OR DELETE ON grid_change
  FOR EACH ROW EXECUTE FUNCTION forbid_grid_change_change();

-- What a dedicated grid (专属网格) covers: school, hospital, park, enterprise …
CREATE TABLE grid_profile (
  region_code    text PRIMARY KEY REFERENCES region(code),
  dedicated_type text CHECK (dedicated_type IN ('school','hospital','industrial_park','park','government','enterprise','market','scenic','other')),
  updated_at     timestamptz NOT NULL
);

-- Households per grid (网格内总户数), the denominator of 巡查覆盖率. Filled by the demo seed, by GeoJSON
-- import (property `households`), split (shared by area) and merge (summed); a registry module may
-- supply live counts instead (see src/modules/grids/households.ts).
CREATE TABLE grid_household_count (
  region_code text PRIMARY KEY REFERENCES region(code),
  households  integer NOT NULL CHECK (households >= 0),
  source      text NOT NULL CHECK (source IN ('seed','import','split','merge','manual','registry')),
  updated_at  timestamptz NOT NULL
);

-- Professional grid layers (城管, 安监, 环保, 消防, 警务 …) and their grids, mapped onto comprehensive
-- grids (多网合一). The layer's region is where it applies (usually a district).
CREATE TABLE grid_layer (
  id          text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('urban_management','work_safety','environment','fire','police','market','emergency','other')),
  name        text NOT NULL,
  region_code text NOT NULL REFERENCES region(code),
  unit_id     text REFERENCES unit(id),
  created_by  bigint REFERENCES app_user(id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX grid_layer_region_idx ON grid_layer (region_code text_pattern_ops);

-- region_code of a layer grid: the longest common prefix of the comprehensive grids it maps to (else
-- the layer's region), so that scope filters work on it like on every other table.
CREATE TABLE grid_layer_cell (
  layer_id    text NOT NULL REFERENCES grid_layer(id),
  code        text NOT NULL,
  name        text NOT NULL,
  region_code text NOT NULL,
  geometry    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (layer_id, code)
);
CREATE INDEX grid_layer_cell_region_idx ON grid_layer_cell (region_code text_pattern_ops);

CREATE TABLE grid_layer_map (
  layer_id  text NOT NULL,
  cell_code text NOT NULL,
  grid_code text NOT NULL REFERENCES region(code),
  source    text NOT NULL CHECK (source IN ('computed','explicit')),
  PRIMARY KEY (layer_id, cell_code, grid_code),
  FOREIGN KEY (layer_id, cell_code) REFERENCES grid_layer_cell (layer_id, code) ON DELETE CASCADE
);
CREATE INDEX grid_layer_map_grid_idx ON grid_layer_map (grid_code text_pattern_ops);

-- Grid staff (网格长, 专职/兼职网格员, 网格指导员, 网格警, 法律顾问 …). A person with an account links to
-- app_user; phones are encrypted (AES-256-GCM), looked up by keyed hash, shown masked (DESIGN rule 6).
-- Assignments end (ended_at) rather than disappear.
CREATE TABLE grid_staff (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code  text NOT NULL REFERENCES region(code),
  role         text NOT NULL CHECK (role IN ('grid_leader','full_time','part_time','instructor','police','legal_adviser','building_leader','other')),
  user_id      bigint REFERENCES app_user(id),
  name         text NOT NULL,
  phone        text,
  phone_hash   text,
  phone_masked text,
  started_on   date NOT NULL,
  ended_at     timestamptz,
  note         text,
  created_by   bigint NOT NULL REFERENCES app_user(id),
  created_at   timestamptz NOT NULL
);
CREATE INDEX grid_staff_region_idx ON grid_staff (region_code text_pattern_ops);
CREATE INDEX grid_staff_user_idx ON grid_staff (user_id);

-- 党员到网格报到: party members registered to a grid, and the services they render there.
CREATE TABLE grid_party_member (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code   text NOT NULL REFERENCES region(code),
  name          text NOT NULL,
  branch        text NOT NULL,
  workplace     text,
  phone         text,
  phone_hash    text,
  phone_masked  text,
  registered_on date NOT NULL,
  ended_at      timestamptz,
  created_by    bigint NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL
);
CREATE INDEX grid_party_member_region_idx ON grid_party_member (region_code text_pattern_ops);

CREATE TABLE grid_party_service (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id   bigint NOT NULL REFERENCES grid_party_member(id),
  region_code text NOT NULL,
  served_on   date NOT NULL,
  hours       numeric(5,1),
  description text NOT NULL,
  recorded_by bigint NOT NULL REFERENCES app_user(id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX grid_party_service_member_idx ON grid_party_service (member_id, served_on);

-- Check-ins (签到) with location. region_code is the worker's own region; located_grid where the
-- point fell (null outside every grid).
CREATE TABLE patrol_check_in (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user(id),
  region_code  text NOT NULL,
  located_grid text,
  inside_own   boolean NOT NULL,
  lat          double precision NOT NULL,
  lng          double precision NOT NULL,
  accuracy_m   real,
  at           timestamptz NOT NULL
);
CREATE INDEX patrol_check_in_region_idx ON patrol_check_in (region_code text_pattern_ops, at);

-- Patrols (日常巡查): start/end, the GPS track, notes. region_code is the worker's own region.
CREATE TABLE patrol (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user(id),
  region_code  text NOT NULL,
  started_at   timestamptz NOT NULL,
  ended_at     timestamptz NOT NULL,
  track        jsonb NOT NULL,
  point_count  integer NOT NULL,
  distance_m   double precision NOT NULL,
  inside_share real,
  grids        text[] NOT NULL DEFAULT '{}',
  note         text,
  created_at   timestamptz NOT NULL
);
CREATE INDEX patrol_region_idx ON patrol (region_code text_pattern_ops, started_at);

-- Household visits (入户走访). region_code is the grid of the household; household_key the normalised
-- reference that coverage counts distinct households by.
CREATE TABLE household_visit (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES app_user(id),
  region_code   text NOT NULL REFERENCES region(code),
  household_key text NOT NULL,
  house_ref     text,
  household_ref text,
  lat           double precision,
  lng           double precision,
  visited_at    timestamptz NOT NULL,
  result        text NOT NULL CHECK (result IN ('visited','not_home','refused','issue_found')),
  note          text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX household_visit_region_idx ON household_visit (region_code text_pattern_ops, visited_at);
