-- Resident sign-in by phone number and a one-time code (短信验证码). Only hashes are kept: the phone's
-- keyed lookup hash, and the code's SHA-256 salted with it. A code lives five minutes and allows five tries.
CREATE TABLE pt_sign_in_code (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone_hash  text NOT NULL,
  code_hash   text NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL
);
CREATE INDEX pt_sign_in_code_phone ON pt_sign_in_code (phone_hash, created_at DESC);
