-- Key persons referred to counsellors (心理人才库). The register of counsellors names the staff account of
-- each and of their supervisor; a referral says who was referred, by whom, to whom and why (visible in the
-- referrer's territory); the counselling notes are sealed (AES-256-GCM, like personal data) and readable
-- only by the referral's counsellor and that counsellor's supervisor.

CREATE TABLE counsellor (
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  district_code      text NOT NULL,
  region_code        text NOT NULL REFERENCES region(code),   -- the area served
  user_id            bigint NOT NULL REFERENCES app_user(id),
  supervisor_user_id bigint REFERENCES app_user(id),
  qualification      text,
  specialties        text[] NOT NULL DEFAULT '{}',
  active             boolean NOT NULL DEFAULT true,
  created_by         bigint REFERENCES app_user(id),
  created_at         timestamptz NOT NULL,
  PRIMARY KEY (id, district_code),
  UNIQUE (user_id, district_code)
);

CREATE TABLE referral (
  id             bigint GENERATED ALWAYS AS IDENTITY,
  district_code  text NOT NULL,
  region_code    text NOT NULL,           -- the person's grid
  street_code    text,
  community_code text,
  person_id      bigint NOT NULL,
  label_id       bigint,
  counsellor_id  bigint NOT NULL,
  referred_by    bigint NOT NULL REFERENCES app_user(id),
  reason         text NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
  created_at     timestamptz NOT NULL,
  ended_at       timestamptz,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX referral_counsellor_idx ON referral (counsellor_id, status);
CREATE INDEX referral_region_idx ON referral (region_code text_pattern_ops);

CREATE TABLE counselling_note (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  referral_id   bigint NOT NULL,
  author_id     bigint NOT NULL REFERENCES app_user(id),
  sealed        text NOT NULL,
  at            timestamptz NOT NULL,
  PRIMARY KEY (id, district_code)
);
CREATE INDEX counselling_note_referral_idx ON counselling_note (referral_id, id);
CREATE TRIGGER counselling_note_immutable BEFORE UPDATE OR DELETE ON counselling_note FOR EACH ROW EXECUTE FUNCTION risk_forbid_change();
