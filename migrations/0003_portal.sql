-- Resident portal: anonymous intake through a built-in system account, and claim tokens for anonymous uploads.

-- Built-in accounts the platform acts as (the portal). They cannot log in (inactive, no usable password
-- hash) and administrators cannot edit them.
ALTER TABLE app_user ADD COLUMN is_system boolean NOT NULL DEFAULT false;

-- An anonymous upload is owned by the portal account and claimable only with the token handed out at
-- upload time; only the token's SHA-256 is stored.
CREATE TABLE portal_upload (
  attachment_id bigint PRIMARY KEY REFERENCES attachment(id) ON DELETE CASCADE,
  token_hash    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- The portal account: a resident-role system account, so the case engine's reporter rules (rate) apply
-- to it unchanged. app_user.region_code is NOT NULL, so it lives in the top region; on a database
-- without regions yet (first start, before seeding) the portal service creates it on first use.
INSERT INTO app_user (username, display_name, password_hash, role, region_code, active, is_system)
SELECT 'portal', '公众门户', '!', 'resident', code, false, true FROM region WHERE parent_code IS NULL ORDER BY code LIMIT 1
ON CONFLICT (username) DO NOTHING;
