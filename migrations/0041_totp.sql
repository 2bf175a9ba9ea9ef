-- An optional second factor (TOTP, RFC 6238) for administrator and command-centre accounts (issue 11).
-- The shared secret is sealed with the personal-data key like every secret at rest: totp_secret once
-- the user confirmed a code, totp_pending_secret while an enrolment waits for its first code.
-- totp_last_step keeps a code from being used twice.
ALTER TABLE app_user ADD COLUMN totp_secret text;
ALTER TABLE app_user ADD COLUMN totp_pending_secret text;
ALTER TABLE app_user ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE app_user ADD COLUMN totp_last_step bigint;
