-- 议事: topics residents propose gather supports (one per resident, settled by the primary key); staff put
-- a topic on the agenda of a deliberation meeting (src/platform/meetings, kind participation.deliberation)
-- at building, grid or community level, whose minutes and decisions the shared meetings keep.
CREATE TABLE pt_topic (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  body          text,
  proposed_by   bigint NOT NULL REFERENCES app_user(id),
  supports      integer NOT NULL DEFAULT 0 CHECK (supports >= 0),
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'scheduled')),
  hidden        boolean NOT NULL DEFAULT false,
  answer        text,
  meeting_id    bigint,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_topic_region ON pt_topic (region_code text_pattern_ops, supports DESC);

CREATE TABLE pt_topic_support (
  district_code text NOT NULL,
  topic_id      bigint NOT NULL,
  user_id       bigint NOT NULL REFERENCES app_user(id),
  at            timestamptz NOT NULL,
  PRIMARY KEY (topic_id, user_id, district_code),
  FOREIGN KEY (topic_id, district_code) REFERENCES pt_topic (id, district_code)
);
