-- Moderation of residents' content (issue 16, item 9): hide, merge duplicates, answer — for wishes and
-- 议事 topics — each a row of pt_moderation, the trail staff read (GET /api/v1/participation/moderation).
--
-- A topic can be merged into the topic it duplicates (its supporters move to it), like a wish.
ALTER TABLE pt_topic ADD COLUMN merged_into bigint;

-- What a moderation step points at: the wish or topic a duplicate was merged into, or the deliberation
-- meeting a topic was put on. Until now the target hid in the note ('→ 12', '→ meeting 3') and putting a
-- topic on a meeting was written as an answer; those rows are set right before the trail becomes
-- append-only.
ALTER TABLE pt_moderation ADD COLUMN target_id bigint;
ALTER TABLE pt_moderation DROP CONSTRAINT pt_moderation_action_check;
ALTER TABLE pt_moderation ADD CONSTRAINT pt_moderation_action_check CHECK (action IN ('hide', 'unhide', 'merge', 'answer', 'schedule'));
UPDATE pt_moderation SET action = 'schedule', target_id = substring(note FROM '^→ meeting (\d+)$')::bigint, note = NULL
  WHERE subject = 'topic' AND action = 'answer' AND note ~ '^→ meeting \d+$';
UPDATE pt_moderation SET target_id = substring(note FROM '^→ (\d+)$')::bigint, note = NULL
  WHERE action = 'merge' AND note ~ '^→ \d+$';
CREATE TRIGGER pt_moderation_immutable BEFORE UPDATE OR DELETE ON pt_moderation FOR EACH ROW EXECUTE FUNCTION refuse_fact_change();
CREATE INDEX pt_moderation_at ON pt_moderation (at DESC);
