-- The bytes of existing attachments were copied into the file store just before this migration, in the
-- same transaction (src/platform/files/migrate-content.ts registers the step; `gongzhi start` and
-- `gongzhi migrate` run it). The column goes only when every attachment's blob is recorded as stored.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM attachment a WHERE NOT EXISTS (SELECT 1 FROM file_blob b WHERE b.sha256 = a.sha256)) THEN
    RAISE EXCEPTION 'attachment contents are not in the file store yet: run `npx gongzhi migrate` (it copies them) with the file store configured';
  END IF;
END
$$;

ALTER TABLE attachment DROP COLUMN content;
