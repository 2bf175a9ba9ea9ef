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
  -- keyed by district like the case it belongs to; no foreign key into "case", as the other modules'
  -- case satellites (mediation, risk): the row is written only for an open case found by its number
  CONSTRAINT case_supporter_pkey PRIMARY KEY (id, district_code)
);
CREATE INDEX case_supporter_case_idx ON case_supporter (case_id);
