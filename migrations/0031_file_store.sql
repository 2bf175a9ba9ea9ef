-- Attachments move out of the database into the file store (src/platform/files/): the bytes live in a
-- folder or in S3-compatible storage under their SHA-256; the attachment row keeps the metadata.

-- Every blob the store holds for this database. Uploads touch the row before they store the bytes, so
-- housekeeping, which drops blobs that no attachment uses after a grace period, never drops one that an
-- upload is about to use.
CREATE TABLE file_blob (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size       bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  touched_at timestamptz NOT NULL DEFAULT now()
);

-- Which attachments use a blob (housekeeping; deduplication).
CREATE INDEX attachment_sha256_idx ON attachment (sha256);
