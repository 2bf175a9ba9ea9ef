-- Hiding a 议事 topic states why (issue 16 leftovers): one reason from a short list, with free text, kept
-- in the moderation trail; and the author is told, in their 我的 › 消息.
ALTER TABLE pt_moderation ADD COLUMN reason text
  CHECK (reason IS NULL OR reason IN ('off_topic', 'personal_data', 'abusive', 'advertising', 'duplicate', 'other'));

-- Messages to a resident about their own content (a topic hidden, and why). Written in the transaction of
-- the moderation step; the resident reads them and marks them read.
CREATE TABLE pt_message (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES app_user(id),
  kind        text NOT NULL CHECK (kind IN ('topic_hidden', 'topic_unhidden')),
  subject_id  bigint NOT NULL,
  title       text NOT NULL,
  reason      text,
  note        text,
  created_at  timestamptz NOT NULL,
  read_at     timestamptz
);
CREATE INDEX pt_message_user ON pt_message (user_id, created_at DESC);

-- 关联码: a grid worker (or the community) gives a resident a one-time code for a registry person of
-- their territory; the resident enters it on 我的 and their account is linked to that person, vouched for
-- by the worker. Only the code's hash is kept; a code works once, within its days.
CREATE TABLE pt_link_code (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id   bigint NOT NULL,
  code_hash   text NOT NULL UNIQUE,
  created_by  bigint NOT NULL REFERENCES app_user(id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     bigint REFERENCES app_user(id)
);
CREATE INDEX pt_link_code_person ON pt_link_code (person_id);
