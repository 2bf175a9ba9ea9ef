-- A platform any district can deploy: demo accounts are flagged, generated passwords must be changed,
-- and the category tree is loaded from a versioned data file that keeps administrators' edits.

-- Accounts the demo seed created (they share a published password): the console shows them a
-- 演示数据 banner, and production mode refuses to serve a database that holds them.
ALTER TABLE app_user ADD COLUMN demo boolean NOT NULL DEFAULT false;
-- Set for a generated password (the first admin, imported users): every API call but changing the
-- password answers 403 password_change_required until the user has chosen their own.
ALTER TABLE app_user ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
-- A demo database seeded before this migration: its demo accounts share one password hash (the demo
-- seed hashes the published password once), that of the demo's district command centre account.
UPDATE app_user SET demo = true
  WHERE EXISTS (SELECT 1 FROM region WHERE code = '500117')
    AND password_hash = (SELECT password_hash FROM app_user WHERE username = 'zhihui');

-- Where a category came from ('file': src/modules/cases/data/categories.json; 'admin': added in the
-- console) and whether an administrator edited it: a newer file version leaves edited rows as edited.
ALTER TABLE category ADD COLUMN origin text NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'admin'));
ALTER TABLE category ADD COLUMN edited boolean NOT NULL DEFAULT false;

-- The version of each catalogue data file the database holds (the category tree today).
CREATE TABLE catalog_file (
  name      text PRIMARY KEY,
  version   integer NOT NULL CHECK (version >= 1),
  loaded_at timestamptz NOT NULL DEFAULT now()
);
-- Databases seeded before this migration hold version 1 of the tree already. Record it, and mark what
-- administrators added or changed before edits were tracked (each such write left an audit row).
INSERT INTO catalog_file (name, version) SELECT 'categories', 1 WHERE EXISTS (SELECT 1 FROM category);
UPDATE category SET origin = 'admin', edited = true
  WHERE 'category:' || code IN (SELECT target FROM audit_log WHERE action = 'category.create');
UPDATE category SET edited = true
  WHERE 'category:' || code IN (SELECT target FROM audit_log WHERE action = 'category.update');
