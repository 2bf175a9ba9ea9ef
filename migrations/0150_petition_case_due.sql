-- A petition's time limit on its case: the inboxes, the case lists, their 时限 light, the overdue filters and
-- the sort by due time read "case".due_at and yellow_at, which the engine sets from a state's working-time
-- clock. A petition's states have no such clock: its deadlines are 《信访工作条例》's calendar days, kept on
-- the petition (petition.due_on, the last day of its current step: 受理告知, 办理 with its extension, a
-- requested 复查 or 复核). So every petition showed 「无时限」, even when 超期. The case now carries that last
-- day: due at the end of it (China time), yellow from the last 20 % of the step (at least 3 days), as the
-- petition's own light (deadlineLight); continuous time, since the days are calendar days.

CREATE FUNCTION petition_case_clock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p record;
  started date;
  span int;
BEGIN
  SELECT due_on, due_step, received_at, accepted_at, review_requested_at, recheck_requested_at INTO p
  FROM petition WHERE case_id = NEW.id;
  IF NOT FOUND THEN RETURN NEW; END IF; -- registered a moment later: its row sets the clock (below)
  IF p.due_on IS NULL OR NOT NEW.is_open THEN
    NEW.due_at := NULL;
    NEW.yellow_at := NULL;
  ELSE
    started := mediation_cn_day(CASE p.due_step WHEN 'recheck' THEN p.recheck_requested_at WHEN 'review' THEN p.review_requested_at
                                                WHEN 'processing' THEN p.accepted_at ELSE p.received_at END);
    span := greatest(p.due_on - coalesce(started, p.due_on), 0);
    NEW.due_at := (p.due_on + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
    -- yellow on the day that leaves max(3, 20 %) days: from the start of that day
    NEW.yellow_at := NEW.due_at - make_interval(days => greatest(3, ceil(span * 0.2)::int) + 1);
  END IF;
  NEW.time_mode := 'continuous';
  NEW.step_limit_minutes := NULL;
  IF TG_OP = 'UPDATE' AND NEW.due_at IS DISTINCT FROM OLD.due_at THEN NEW.overdue_flagged := false; END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER case_petition_clock BEFORE INSERT OR UPDATE ON "case"
  FOR EACH ROW WHEN (NEW.type = 'petition') EXECUTE FUNCTION petition_case_clock();

-- a change of the petition's current last day (registration, acceptance, extension, answer, review, conclusion)
-- passes to its case
CREATE FUNCTION petition_touch_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "case" SET time_mode = 'continuous' WHERE id = NEW.case_id AND type = 'petition';
  RETURN NULL;
END $$;

CREATE TRIGGER petition_due_to_case AFTER INSERT ON petition FOR EACH ROW EXECUTE FUNCTION petition_touch_case();
CREATE TRIGGER petition_due_changed AFTER UPDATE ON petition
  FOR EACH ROW WHEN (OLD.due_on IS DISTINCT FROM NEW.due_on OR OLD.is_open IS DISTINCT FROM NEW.is_open) EXECUTE FUNCTION petition_touch_case();

-- the petitions there are
UPDATE "case" SET time_mode = 'continuous' WHERE type = 'petition' AND id IN (SELECT case_id FROM petition);
