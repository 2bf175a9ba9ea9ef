-- Grid changes carry their people: after a split or merge the staff, accounts, party members and
-- registry records of the retired grids move to the successor grid where they lie. What cannot be
-- placed (no location, or outside every successor) waits here for a person to decide.
CREATE TABLE grid_change_review (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  change_id    bigint NOT NULL REFERENCES grid_change(id),
  region_code  text NOT NULL,
  from_code    text NOT NULL,
  kind         text NOT NULL,
  ref_id       bigint NOT NULL,
  label        text NOT NULL,
  reason       text NOT NULL,
  resolved_to  text,
  resolved_by  bigint REFERENCES app_user(id),
  resolved_at  timestamptz,
  created_at   timestamptz NOT NULL
);
CREATE INDEX grid_change_review_region_idx ON grid_change_review (region_code text_pattern_ops) WHERE resolved_at IS NULL;
