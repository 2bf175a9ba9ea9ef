-- The standard address library (标准地址 of 一标三实): roads and door numbers, 小区, buildings, landmarks
-- and 村民小组, each with aliases and a point, per community. Read into the geocoder's in-memory index
-- (src/modules/addresses). One row per (community, kind, label): importing the same file twice
-- updates rather than duplicates.
CREATE TABLE standard_address (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_code  text NOT NULL,
  community_code text NOT NULL,
  region_code    text NOT NULL REFERENCES region(code),   -- the grid (or the community) it lies in
  kind           text NOT NULL CHECK (kind IN ('road', 'door', 'compound', 'building', 'landmark', 'group')),
  label          text NOT NULL,
  aliases        text[] NOT NULL DEFAULT '{}',
  lat            double precision,
  lng            double precision,
  source         text NOT NULL DEFAULT 'import',
  created_by     bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT standard_address_label_key UNIQUE (district_code, community_code, kind, label)
);
CREATE INDEX standard_address_region_idx ON standard_address (region_code);
