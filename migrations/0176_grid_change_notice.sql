-- A grid split or merge tells each account it moved (网格调整后告知本人): the worker whose households a
-- split gave to another grid reads it on 今日 instead of finding them gone. One row per change and moved
-- account, written in the change's transaction (or when the review places the account); grid_change itself
-- is immutable. region_code: the grid the account went to.
CREATE TABLE IF NOT EXISTS grid_change_notice (
  change_id    bigint NOT NULL REFERENCES grid_change(id),
  user_id      bigint NOT NULL REFERENCES app_user(id),
  region_code  text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (change_id, user_id)
);
CREATE INDEX IF NOT EXISTS grid_change_notice_user_idx ON grid_change_notice (user_id, created_at);
