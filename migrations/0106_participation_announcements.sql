-- Announcements (通知公告) to the residents of a region, with read counts: a read is one row per resident
-- and announcement (the primary key makes marking read idempotent).
CREATE TABLE pt_announcement (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  region_code   text NOT NULL REFERENCES region(code),
  title         text NOT NULL,
  body          text NOT NULL,
  published_by  bigint NOT NULL REFERENCES app_user(id),
  published_at  timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX pt_announcement_region ON pt_announcement (region_code text_pattern_ops, published_at DESC);

CREATE TABLE pt_announcement_read (
  district_code   text NOT NULL,
  announcement_id bigint NOT NULL,
  user_id         bigint NOT NULL REFERENCES app_user(id),
  at              timestamptz NOT NULL,
  PRIMARY KEY (announcement_id, user_id, district_code),
  FOREIGN KEY (announcement_id, district_code) REFERENCES pt_announcement (id, district_code)
);
