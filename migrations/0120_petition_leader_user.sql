-- 领导包案: the four leaders of a backlog case are people of the platform, picked from its users (scoped to
-- the petition's region), not names typed by hand. The user's id is kept; the name shown is the account's
-- current name (and unit). `name` stays as written at the time (rows from before this change have only it).
ALTER TABLE petition_leader ADD COLUMN user_id bigint REFERENCES app_user(id);
CREATE INDEX petition_leader_user_idx ON petition_leader (user_id) WHERE user_id IS NOT NULL;
