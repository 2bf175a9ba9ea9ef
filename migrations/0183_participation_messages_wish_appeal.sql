-- Messages to a resident (issue 16 walk): besides a 议事 topic hidden or shown again, a wish of theirs
-- hidden (with the reason) or shown again, and the decision on a points appeal (申诉) they filed.
ALTER TABLE pt_message DROP CONSTRAINT pt_message_kind_check;
ALTER TABLE pt_message ADD CONSTRAINT pt_message_kind_check
  CHECK (kind IN ('topic_hidden', 'topic_unhidden', 'wish_hidden', 'wish_unhidden', 'appeal_upheld', 'appeal_rejected'));
