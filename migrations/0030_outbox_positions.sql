-- The outbox in commit order, without loss (DESIGN rule 8).
--
-- Reading `id > last id` loses events: identity values are taken when a row is inserted, not when its
-- transaction commits, so a transaction that took id 7 and commits after the one that took id 8 is
-- skipped for good by a reader that has already seen 8. Instead, each committed event gets a delivery
-- position, assigned by one assigner at a time (the row lock on outbox_head) in the order the assigner
-- first sees the events, which is their commit order; events that committed between two assignments
-- are numbered by id, which respects causality (a transaction that started after another committed took
-- a larger id). Positions are dense (1, 2, 3 …): a reader that finds a hole knows the events in it were
-- expired before it read them. Writers do not change: `pos` is NULL until the assigner numbers the row.

ALTER TABLE outbox ADD COLUMN pos bigint;

-- The newest position handed out; locked by the assigner for the length of one assignment.
CREATE TABLE outbox_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  pos       bigint NOT NULL
);

-- Events written before this migration keep their id order.
UPDATE outbox o SET pos = r.rn FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM outbox) r WHERE o.id = r.id;
INSERT INTO outbox_head (singleton, pos) SELECT true, count(*) FROM outbox;

-- Readers walk positions; the assigner finds the rows it has not numbered yet. Both partial, so that a
-- writer's INSERT (pos NULL) adds one small index entry and none to the readers' index.
CREATE INDEX outbox_pos_idx ON outbox (pos) WHERE pos IS NOT NULL;
CREATE INDEX outbox_unpositioned_idx ON outbox (id) WHERE pos IS NULL;

-- Numbers up to max_rows committed events in id order. Returns the new head, or NULL when another
-- session is assigning at this moment (its assignment covers what this one would have seen, or the next
-- call does). Each statement of a plpgsql function takes a new snapshot under READ COMMITTED, so the
-- UPDATE, which runs after the head's row lock was taken, sees every position committed before it.
CREATE FUNCTION outbox_assign_positions(max_rows integer) RETURNS bigint AS $$
DECLARE
  head bigint;
  n bigint;
BEGIN
  SELECT h.pos INTO head FROM outbox_head h FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  WITH todo AS (
    SELECT o.id, row_number() OVER (ORDER BY o.id) AS rn FROM outbox o WHERE o.pos IS NULL ORDER BY o.id LIMIT max_rows
  )
  UPDATE outbox o SET pos = head + todo.rn FROM todo WHERE o.id = todo.id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    UPDATE outbox_head SET pos = head + n;
    -- wakes the readers of other processes at commit (PostgreSQL; a no-op for PGlite's single process)
    PERFORM pg_notify('gongzhi_outbox', (head + n)::text);
  END IF;
  RETURN head + n;
END
$$ LANGUAGE plpgsql;

-- Housekeeping expires idempotency keys by age (src/platform/housekeeping.ts).
CREATE INDEX idempotency_key_created_idx ON idempotency_key (created_at);
