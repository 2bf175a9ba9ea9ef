-- Residents who joined (+1, 附议) an open report through the portal instead of filing a duplicate: each
-- counts as a caller on that case. Contact details sealed like a reporter's (AES-256-GCM), the phone
-- findable by keyed hash; the joiner follows the case with a query code of their own (its hash here).
CREATE TABLE case_supporter (
  id            bigint GENERATED ALWAYS AS IDENTITY,
  district_code text NOT NULL,
  case_id       bigint NOT NULL,
  channel       text NOT NULL DEFAULT 'portal',
  name_sealed   text,
  phone_sealed  text,
  phone_hash    text,
  phone_masked  text,
  token_hash    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT case_supporter_pkey PRIMARY KEY (id, district_code),
  CONSTRAINT case_supporter_case_fkey FOREIGN KEY (case_id, district_code) REFERENCES "case" (id, district_code)
);
CREATE INDEX case_supporter_case_idx ON case_supporter (case_id);
