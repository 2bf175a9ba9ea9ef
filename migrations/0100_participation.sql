-- Participation (src/modules/participation, docs/participation.md): resident accounts linked to the
-- registry, votes with integrity, and 微心愿. Every row carries the region it belongs to; tables that grow
-- with activity are keyed by (id, district_code) and carry district_code in every unique key.

-- A resident account (app_user with role resident) and the registry person it is linked to, which gives
-- its household. Linked by staff, or by the ID number and the phone matching the registry.
CREATE TABLE pt_resident (
  user_id       bigint PRIMARY KEY REFERENCES app_user(id),
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  phone_hash    text,
  phone_masked  text,
  person_id     bigint,
  household_id  bigint,
  link_status   text NOT NULL DEFAULT 'none' CHECK (link_status IN ('none', 'pending', 'linked')),
  linked_via    text CHECK (linked_via IN ('staff', 'identity', 'seed')),
  linked_by     bigint REFERENCES app_user(id),
  linked_at     timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((link_status = 'linked') = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX pt_resident_phone ON pt_resident (phone_hash) WHERE phone_hash IS NOT NULL;
-- one account per registry person
CREATE UNIQUE INDEX pt_resident_person ON pt_resident (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX pt_resident_region ON pt_resident (region_code text_pattern_ops);

-- ---- votes (表决): one ballot per voter key, settled by the unique key, never by a prior read
CREATE TABLE pt_vote (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  description   text,
  choice        text NOT NULL CHECK (choice IN ('single', 'multiple')),
  max_choices   integer NOT NULL CHECK (max_choices >= 1),
  voter_unit    text NOT NULL CHECK (voter_unit IN ('person', 'household')),
  anonymous     boolean NOT NULL,
  eligible      integer NOT NULL CHECK (eligible >= 0),   -- persons or households registered in the region when the vote was made
  quorum        integer NOT NULL CHECK (quorum >= 0),     -- ballots needed for a valid result
  opens_at      timestamptz NOT NULL,
  closes_at     timestamptz NOT NULL,
  closed_early_at timestamptz,
  published_at  timestamptz,
  meeting_id    bigint,                                   -- the deliberation meeting it belongs to, if any
  topic_id      bigint,
  procedure_step_id bigint,                               -- a 四议两公开 step it decides, if any
  created_by    bigint NOT NULL REFERENCES app_user(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_at > opens_at),
  CHECK (choice = 'multiple' OR max_choices = 1),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_vote_region ON pt_vote (region_code text_pattern_ops, opens_at DESC);

CREATE TABLE pt_vote_option (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  vote_id       bigint NOT NULL,
  seq           integer NOT NULL,
  label         text NOT NULL,
  tally         integer NOT NULL DEFAULT 0 CHECK (tally >= 0),
  PRIMARY KEY (id, district_code),
  UNIQUE (vote_id, seq, district_code),
  FOREIGN KEY (vote_id, district_code) REFERENCES pt_vote (id, district_code)
);

-- Who voted. voter_key is 'p<personId>' (one person one vote) or 'h<householdId>' (one household one
-- vote): the unique key is what stops a second ballot, whichever request commits first.
CREATE TABLE pt_ballot (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  vote_id       bigint NOT NULL,
  voter_key     text NOT NULL,
  person_id     bigint NOT NULL,           -- the person who cast it (for a household, its member who voted)
  cast_by       bigint NOT NULL REFERENCES app_user(id),  -- the resident, or the staff member recording a paper ballot
  channel       text NOT NULL CHECK (channel IN ('online', 'paper')),
  cast_at       timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (vote_id, voter_key, district_code),
  FOREIGN KEY (vote_id, district_code) REFERENCES pt_vote (id, district_code)
);
-- What a named ballot chose. Anonymous ballots write no row here: their choices only raise the options'
-- tallies, so nothing links a voter to a choice.
CREATE TABLE pt_ballot_choice (
  district_code text NOT NULL,
  ballot_id     bigint NOT NULL,
  option_id     bigint NOT NULL,
  PRIMARY KEY (ballot_id, option_id, district_code),
  FOREIGN KEY (ballot_id, district_code) REFERENCES pt_ballot (id, district_code),
  FOREIGN KEY (option_id, district_code) REFERENCES pt_vote_option (id, district_code)
);

-- ---- 微心愿: a small wish, its claim, fulfilment and thanks (the module's own state machine)
CREATE TABLE pt_wish (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  region_code    text NOT NULL REFERENCES region(code),
  community_code text NOT NULL,
  title          text NOT NULL,
  description    text,
  category       text NOT NULL CHECK (category IN ('goods', 'service', 'care', 'study', 'other')),
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'fulfilled', 'confirmed', 'withdrawn')),
  hidden         boolean NOT NULL DEFAULT false,
  wisher_user_id bigint REFERENCES app_user(id),  -- the resident who posted it, or null when a worker posted it on their behalf
  wisher_sealed  text NOT NULL,                   -- {name, phone}: sealed personal data
  wisher_masked  text NOT NULL,                   -- what the wall shows (张*)
  posted_by      bigint NOT NULL REFERENCES app_user(id),
  claimed_by     bigint REFERENCES app_user(id),
  claimant_kind  text CHECK (claimant_kind IN ('volunteer', 'party_member', 'unit')),
  claimant_name  text,
  claimed_at     timestamptz,
  fulfilled_at   timestamptz,
  fulfil_note    text,
  photo_id       bigint REFERENCES attachment(id),
  confirmed_at   timestamptz,
  thanks         text,
  answer         text,                            -- staff's public answer (moderation)
  merged_into    bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (state IN ('open', 'withdrawn') OR claimed_by IS NOT NULL),
  CHECK (state NOT IN ('fulfilled', 'confirmed') OR (fulfilled_at IS NOT NULL AND photo_id IS NOT NULL)),
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_wish_wall ON pt_wish (community_code, created_at DESC);
CREATE INDEX pt_wish_region ON pt_wish (region_code text_pattern_ops);

-- Moderation of residents' content (hide, merge, answer), append-only beside the audit log.
CREATE TABLE pt_moderation (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  subject       text NOT NULL CHECK (subject IN ('wish', 'topic')),
  subject_id    bigint NOT NULL,
  action        text NOT NULL CHECK (action IN ('hide', 'unhide', 'merge', 'answer')),
  note          text,
  actor_id      bigint NOT NULL REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_moderation_subject ON pt_moderation (subject, subject_id);
