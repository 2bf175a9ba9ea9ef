-- Whether an account's password is published (the demo city's accounts share gongzhi-demo-2026): the
-- console's 演示数据 banner says so only to those. The demo admin's password is generated or configured,
-- and a password its owner or an administrator changed is no longer the published one.
ALTER TABLE app_user ADD COLUMN password_public boolean NOT NULL DEFAULT false;
UPDATE app_user SET password_public = true WHERE demo AND username <> 'admin' AND NOT password_change_required;
