-- Points (积分): configurable rules award or deduct; an append-only ledger per person (and so per
-- household); a points shop (积分超市) with stock; appeals. The ledger balances by construction: an
-- account's balance moves only in the transaction that appends its entry, and a redemption moves the
-- balance, the stock and the ledger together or not at all.

CREATE TABLE pt_point_rule (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  code          text NOT NULL,               -- e.g. wish_fulfilled, vote_cast, volunteer_hour, litter
  label         text NOT NULL,
  points        integer NOT NULL CHECK (points <> 0 AND points BETWEEN -10000 AND 10000),  -- > 0 awards, < 0 deducts
  active        boolean NOT NULL DEFAULT true,
  created_by    bigint REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code),
  UNIQUE (region_code, code, district_code)
);

-- One row per person: the balance the ledger sums to (kept in the same transaction as each entry).
CREATE TABLE pt_point_account (
  district_code text NOT NULL,
  person_id     bigint NOT NULL,
  region_code   text NOT NULL,
  household_id  bigint,
  balance       integer NOT NULL DEFAULT 0,
  earned        integer NOT NULL DEFAULT 0 CHECK (earned >= 0),
  PRIMARY KEY (person_id, district_code)
);
CREATE INDEX pt_point_account_region ON pt_point_account (region_code text_pattern_ops, balance DESC);

CREATE TABLE pt_point_entry (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  person_id     bigint NOT NULL,
  household_id  bigint,
  region_code   text NOT NULL,
  delta         integer NOT NULL CHECK (delta <> 0),
  reason        text NOT NULL,               -- every change is explained
  kind          text NOT NULL CHECK (kind IN ('rule', 'redemption', 'reversal')),
  rule_id       bigint,
  source        text,                        -- what earned it: 'wish:12', 'vote:3', or a staff note
  reverses_id   bigint,                      -- the entry an upheld appeal reverses
  actor_id      bigint REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
CREATE INDEX pt_point_entry_person ON pt_point_entry (person_id, at DESC);
CREATE INDEX pt_point_entry_household ON pt_point_entry (household_id) WHERE household_id IS NOT NULL;
-- an entry is reversed at most once; an automatic award is given once per source
CREATE UNIQUE INDEX pt_point_entry_reversal ON pt_point_entry (reverses_id, district_code) WHERE reverses_id IS NOT NULL;
CREATE UNIQUE INDEX pt_point_entry_source ON pt_point_entry (person_id, rule_id, source, district_code) WHERE rule_id IS NOT NULL AND source LIKE '%:%';
CREATE TRIGGER pt_point_entry_immutable BEFORE UPDATE OR DELETE ON pt_point_entry FOR EACH ROW EXECUTE FUNCTION refuse_fact_change();

CREATE TABLE pt_shop_item (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  name          text NOT NULL,
  cost          integer NOT NULL CHECK (cost > 0),
  stock         integer NOT NULL CHECK (stock >= 0),
  stocked       integer NOT NULL CHECK (stocked >= stock),   -- everything ever put on the shelf
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, district_code)
);

CREATE TABLE pt_redemption (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  item_id       bigint NOT NULL,
  person_id     bigint NOT NULL,
  cost          integer NOT NULL CHECK (cost > 0),
  entry_id      bigint NOT NULL,
  at            timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  FOREIGN KEY (item_id, district_code) REFERENCES pt_shop_item (id, district_code)
);
CREATE INDEX pt_redemption_item ON pt_redemption (item_id);

CREATE TABLE pt_point_appeal (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  entry_id      bigint NOT NULL,
  person_id     bigint NOT NULL,
  region_code   text NOT NULL,
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
  decided_by    bigint REFERENCES app_user(id),
  decision_note text,
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (entry_id, district_code)
);
