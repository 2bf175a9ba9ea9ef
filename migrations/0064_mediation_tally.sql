-- Pre-aggregated statistics of disputes and petitions (the statistics endpoint reads these for a district or a
-- street instead of scanning their records; a community's or a grid's few hundred records are counted from the
-- rows through their indexes): per territory (a record's district and its street are its scopes),
-- per dimension (category, level, organisation, lead mediator, child region) and per time bucket (a China
-- day, a 旬 — the 1st–10th, 11th–20th, 21st–end of a month — and a month), the counts each figure is made of.
-- A period is read as whole months, then whole 旬, then single days at its edges (≤ ~35 buckets a year).
--
-- Kept by statement-level triggers in the writing transaction: every INSERT, UPDATE or DELETE of `dispute`
-- or `petition` adds the new rows' contributions and subtracts the old rows', whatever code path wrote
-- them (effects, reassignment, conversion, risk scoring), so the counters always equal a computation from
-- the rows (test/api/mediation-stats.test.ts checks it after random operations). Counts tied to a record's
-- current state (open, high risk, the open backlog of 积案) are kept at the record's day of receipt, so a
-- period ending in the past counts the records received before its end, as the computation from rows does.

CREATE TABLE dispute_tally (
  district_code text NOT NULL,
  scope        text NOT NULL,           -- a region code: district, street, community or the record's own region
  dim          text NOT NULL CHECK (dim IN ('category', 'level', 'org', 'mediator', 'region')),
  value        text NOT NULL,           -- '' when the record has none (not yet routed)
  tier         text NOT NULL CHECK (tier IN ('d', 'x', 'm')),  -- day, 旬, month
  bucket       date NOT NULL,           -- the first day of the bucket
  received     integer NOT NULL DEFAULT 0,          -- at the day received
  received_resolved integer NOT NULL DEFAULT 0,     -- at the day received, when the mediation succeeded
  open         integer NOT NULL DEFAULT 0,          -- at the day received, while open
  high_risk    integer NOT NULL DEFAULT 0,          -- at the day received, while open with a risk score ≥ 50
  resolved     integer NOT NULL DEFAULT 0,          -- at the day of the agreement, when it succeeded
  concluded    integer NOT NULL DEFAULT 0,          -- at the day of the agreement or the failure
  closed       integer NOT NULL DEFAULT 0,          -- at the day closed
  closed_us    bigint NOT NULL DEFAULT 0,           -- at the day closed: microseconds from receipt to closing
  PRIMARY KEY (district_code, scope, dim, tier, bucket, value)
);

CREATE TABLE petition_tally (
  district_code text NOT NULL,
  scope        text NOT NULL,
  tier         text NOT NULL CHECK (tier IN ('d', 'x', 'm')),
  bucket       date NOT NULL,
  received     integer NOT NULL DEFAULT 0,          -- the rest at the day received
  letters      integer NOT NULL DEFAULT 0,
  visits       integer NOT NULL DEFAULT 0,
  calls        integer NOT NULL DEFAULT 0,
  online       integer NOT NULL DEFAULT 0,
  first_time   integer NOT NULL DEFAULT 0,
  repeats      integer NOT NULL DEFAULT 0,
  collective   integer NOT NULL DEFAULT 0,
  accepted     integer NOT NULL DEFAULT 0,
  accepted_on_time integer NOT NULL DEFAULT 0,
  open         integer NOT NULL DEFAULT 0,
  backlog_open integer NOT NULL DEFAULT 0,
  concluded    integer NOT NULL DEFAULT 0,          -- at the day concluded
  backlog_closed integer NOT NULL DEFAULT 0,        -- at the day the 积案 was closed
  PRIMARY KEY (district_code, scope, tier, bucket)
);

-- The China day of an instant, and the first day of its 旬 and month.
CREATE FUNCTION mediation_cn_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (t AT TIME ZONE 'Asia/Shanghai')::date $$;
CREATE FUNCTION mediation_xun(d date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_trunc('month', d)::date + CASE WHEN extract(day FROM d) <= 10 THEN 0 WHEN extract(day FROM d) <= 20 THEN 10 ELSE 20 END $$;

-- The contributions of a set of dispute rows (sign +1 or -1), summed per counter row.
CREATE FUNCTION dispute_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- an INSERT has only new rows, a DELETE only old ones (their transition tables exist only then).
  -- Writers of a district's counters take turns (a transaction lock per district, taken in code order):
  -- two transactions adding to shared counter rows in different orders over several statements would
  -- otherwise deadlock.
  EXECUTE replace($q$SELECT count(pg_advisory_xact_lock(hashtext('mediation_tally:' || d))) FROM (SELECT DISTINCT district_code AS d FROM (%SRC%) s ORDER BY 1) x$q$,
    '%SRC%', CASE TG_OP WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM tally_new n' WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM tally_old o'
    ELSE 'SELECT 1 AS sign, n.* FROM tally_new n UNION ALL SELECT -1 AS sign, o.* FROM tally_old o' END);
  EXECUTE replace($q$
  WITH src AS (%SRC%), ev AS (
    SELECT s.sign, s.district_code, s.region_code, s.street_code, s.community_code, s.category_code, s.level, s.org_id, s.lead_mediator_id,
      e.*
    FROM src s CROSS JOIN LATERAL (VALUES
      (mediation_cn_day(s.received_at), 1, (s.success IS TRUE)::int, s.is_open::int, (s.is_open AND s.risk_score >= 50)::int, 0, 0, 0, 0::bigint),
      (mediation_cn_day(s.agreed_at), 0, 0, 0, 0, (s.success IS TRUE)::int, 0, 0, 0::bigint),
      (mediation_cn_day(coalesce(s.agreed_at, s.failed_at)), 0, 0, 0, 0, 0, (s.success IS NOT NULL)::int, 0, 0::bigint),
      (mediation_cn_day(s.closed_at), 0, 0, 0, 0, 0, 0, 1, round(extract(epoch FROM s.closed_at - s.received_at) * 1000000)::bigint)
    ) e(day, received, received_resolved, open, high_risk, resolved, concluded, closed, closed_us)
    WHERE e.day IS NOT NULL AND (e.received + e.received_resolved + e.open + e.high_risk + e.resolved + e.concluded + e.closed) > 0
  ), fanned AS (
    SELECT ev.district_code, sc.scope, dm.dim, coalesce(dm.value, '') AS value, t.tier, t.bucket,
      ev.sign * ev.received AS received, ev.sign * ev.received_resolved AS received_resolved, ev.sign * ev.open AS open,
      ev.sign * ev.high_risk AS high_risk, ev.sign * ev.resolved AS resolved, ev.sign * ev.concluded AS concluded,
      ev.sign * ev.closed AS closed, ev.sign * ev.closed_us AS closed_us
    FROM ev
    CROSS JOIN LATERAL (SELECT DISTINCT x AS scope FROM unnest(ARRAY[ev.district_code, ev.street_code]) x WHERE x IS NOT NULL) sc
    CROSS JOIN LATERAL (VALUES ('category', ev.category_code), ('level', ev.level), ('org', ev.org_id::text), ('mediator', ev.lead_mediator_id::text),
      ('region', left(ev.region_code, CASE length(sc.scope) WHEN 6 THEN 9 ELSE 12 END))) dm(dim, value)
    CROSS JOIN LATERAL (VALUES ('d', ev.day), ('x', mediation_xun(ev.day)), ('m', date_trunc('month', ev.day)::date)) t(tier, bucket)
  )
  INSERT INTO dispute_tally AS t (district_code, scope, dim, value, tier, bucket, received, received_resolved, open, high_risk, resolved, concluded, closed, closed_us)
  SELECT district_code, scope, dim, value, tier, bucket, sum(received), sum(received_resolved), sum(open), sum(high_risk), sum(resolved), sum(concluded), sum(closed), sum(closed_us)
  FROM fanned GROUP BY district_code, scope, dim, value, tier, bucket
  HAVING sum(received) <> 0 OR sum(received_resolved) <> 0 OR sum(open) <> 0 OR sum(high_risk) <> 0 OR sum(resolved) <> 0 OR sum(concluded) <> 0 OR sum(closed) <> 0 OR sum(closed_us) <> 0
  ORDER BY district_code, scope, dim, tier, bucket, value
  ON CONFLICT (district_code, scope, dim, tier, bucket, value) DO UPDATE SET
    received = t.received + excluded.received, received_resolved = t.received_resolved + excluded.received_resolved,
    open = t.open + excluded.open, high_risk = t.high_risk + excluded.high_risk, resolved = t.resolved + excluded.resolved,
    concluded = t.concluded + excluded.concluded, closed = t.closed + excluded.closed, closed_us = t.closed_us + excluded.closed_us
  $q$, '%SRC%', CASE TG_OP WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM tally_new n' WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM tally_old o'
    ELSE 'SELECT 1 AS sign, n.* FROM tally_new n UNION ALL SELECT -1 AS sign, o.* FROM tally_old o' END);
  RETURN NULL;
END $$;

CREATE FUNCTION petition_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- an INSERT has only new rows, a DELETE only old ones (their transition tables exist only then).
  -- Writers of a district's counters take turns (a transaction lock per district, taken in code order):
  -- two transactions adding to shared counter rows in different orders over several statements would
  -- otherwise deadlock.
  EXECUTE replace($q$SELECT count(pg_advisory_xact_lock(hashtext('mediation_tally:' || d))) FROM (SELECT DISTINCT district_code AS d FROM (%SRC%) s ORDER BY 1) x$q$,
    '%SRC%', CASE TG_OP WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM tally_new n' WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM tally_old o'
    ELSE 'SELECT 1 AS sign, n.* FROM tally_new n UNION ALL SELECT -1 AS sign, o.* FROM tally_old o' END);
  EXECUTE replace($q$
  WITH src AS (%SRC%), ev AS (
    SELECT s.sign, s.district_code, s.region_code, s.street_code, s.community_code, e.*
    FROM src s CROSS JOIN LATERAL (VALUES
      (mediation_cn_day(s.received_at), 1, (s.form = 'letter')::int, (s.form = 'visit')::int, (s.form = 'call')::int, (s.form = 'online')::int,
        s.first_time::int, (s.repeat_kind IS NOT DISTINCT FROM 'same_person_and_matter')::int, (s.petitioners >= 5)::int,
        (s.accepted_at IS NOT NULL)::int, (s.accepted_at IS NOT NULL AND mediation_cn_day(s.accepted_at) <= s.accept_due_on)::int,
        s.is_open::int, (s.backlog AND s.is_open)::int, 0, 0),
      (mediation_cn_day(s.concluded_at), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
      (mediation_cn_day(s.backlog_closed_at), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    ) e(day, received, letters, visits, calls, online, first_time, repeats, collective, accepted, accepted_on_time, open, backlog_open, concluded, backlog_closed)
    WHERE e.day IS NOT NULL
  ), fanned AS (
    SELECT ev.district_code, sc.scope, t.tier, t.bucket, ev.sign AS sign, ev.received, ev.letters, ev.visits, ev.calls, ev.online, ev.first_time, ev.repeats,
      ev.collective, ev.accepted, ev.accepted_on_time, ev.open, ev.backlog_open, ev.concluded, ev.backlog_closed
    FROM ev
    CROSS JOIN LATERAL (SELECT DISTINCT x AS scope FROM unnest(ARRAY[ev.district_code, ev.street_code]) x WHERE x IS NOT NULL) sc
    CROSS JOIN LATERAL (VALUES ('d', ev.day), ('x', mediation_xun(ev.day)), ('m', date_trunc('month', ev.day)::date)) t(tier, bucket)
  ), summed AS (
    SELECT district_code, scope, tier, bucket, sum(sign * received) AS received, sum(sign * letters) AS letters, sum(sign * visits) AS visits,
      sum(sign * calls) AS calls, sum(sign * online) AS online, sum(sign * first_time) AS first_time, sum(sign * repeats) AS repeats,
      sum(sign * collective) AS collective, sum(sign * accepted) AS accepted, sum(sign * accepted_on_time) AS accepted_on_time,
      sum(sign * open) AS open, sum(sign * backlog_open) AS backlog_open, sum(sign * concluded) AS concluded, sum(sign * backlog_closed) AS backlog_closed
    FROM fanned GROUP BY district_code, scope, tier, bucket
  )
  INSERT INTO petition_tally AS t (district_code, scope, tier, bucket, received, letters, visits, calls, online, first_time, repeats, collective,
    accepted, accepted_on_time, open, backlog_open, concluded, backlog_closed)
  SELECT * FROM summed
  WHERE received <> 0 OR letters <> 0 OR visits <> 0 OR calls <> 0 OR online <> 0 OR first_time <> 0 OR repeats <> 0 OR collective <> 0
     OR accepted <> 0 OR accepted_on_time <> 0 OR open <> 0 OR backlog_open <> 0 OR concluded <> 0 OR backlog_closed <> 0
  ORDER BY district_code, scope, tier, bucket
  ON CONFLICT (district_code, scope, tier, bucket) DO UPDATE SET
    received = t.received + excluded.received, letters = t.letters + excluded.letters, visits = t.visits + excluded.visits,
    calls = t.calls + excluded.calls, online = t.online + excluded.online, first_time = t.first_time + excluded.first_time,
    repeats = t.repeats + excluded.repeats, collective = t.collective + excluded.collective, accepted = t.accepted + excluded.accepted,
    accepted_on_time = t.accepted_on_time + excluded.accepted_on_time, open = t.open + excluded.open,
    backlog_open = t.backlog_open + excluded.backlog_open, concluded = t.concluded + excluded.concluded,
    backlog_closed = t.backlog_closed + excluded.backlog_closed
  $q$, '%SRC%', CASE TG_OP WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM tally_new n' WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM tally_old o'
    ELSE 'SELECT 1 AS sign, n.* FROM tally_new n UNION ALL SELECT -1 AS sign, o.* FROM tally_old o' END);
  RETURN NULL;
END $$;


CREATE TRIGGER dispute_tally_ins AFTER INSERT ON dispute REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION dispute_tally_apply();
CREATE TRIGGER dispute_tally_upd AFTER UPDATE ON dispute REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION dispute_tally_apply();
CREATE TRIGGER dispute_tally_del AFTER DELETE ON dispute REFERENCING OLD TABLE AS tally_old FOR EACH STATEMENT EXECUTE FUNCTION dispute_tally_apply();
CREATE TRIGGER petition_tally_ins AFTER INSERT ON petition REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION petition_tally_apply();
CREATE TRIGGER petition_tally_upd AFTER UPDATE ON petition REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION petition_tally_apply();
CREATE TRIGGER petition_tally_del AFTER DELETE ON petition REFERENCING OLD TABLE AS tally_old FOR EACH STATEMENT EXECUTE FUNCTION petition_tally_apply();

-- The records already there: as if each were inserted now (an UPDATE of nothing fires the UPDATE trigger once
-- with empty tables; a no-op UPDATE of every row would count each twice, so go through a copy).
CREATE TEMP TABLE tally_seed_d AS SELECT * FROM dispute;
DELETE FROM dispute;
INSERT INTO dispute SELECT * FROM tally_seed_d;
DROP TABLE tally_seed_d;
CREATE TEMP TABLE tally_seed_p AS SELECT * FROM petition;
DELETE FROM petition;
INSERT INTO petition SELECT * FROM tally_seed_p;
DROP TABLE tally_seed_p;
