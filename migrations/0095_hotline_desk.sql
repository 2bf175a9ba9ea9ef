-- The hotline's working habits: the 诉求类型 of every ticket (咨询/求助/投诉/举报/建议/表扬), and the
-- caller's history — earlier tickets found by the keyed hash of the caller's phone, newest first.

ALTER TABLE "case" ADD COLUMN appeal_kind text
  CHECK (appeal_kind IN ('consult', 'help', 'complaint', 'report', 'suggestion', 'praise'));

-- covering the territory columns, so that a frequent caller's count is read from the index alone
CREATE INDEX case_caller_idx ON "case" (reporter_phone_hash, created_at DESC, id DESC)
  INCLUDE (district_code, street_code, community_code, region_code, is_open) WHERE reporter_phone_hash IS NOT NULL;

-- the cases merged into a case (their callers are called back with it)
CREATE INDEX case_merged_into_idx ON "case" (merged_into) WHERE merged_into IS NOT NULL;
