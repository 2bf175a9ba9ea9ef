-- The last day of a petition's current step (《信访工作条例》): the acceptance decision until it is accepted,
-- then the handling (with its extension) until answered, a requested 复查 or 复核 until decided; none while
-- the petitioner may still ask for a review, and none once concluded. Past it, the petition is overdue
-- (超期): flagged in the lists and the console, counted in the statistics.
ALTER TABLE petition ADD COLUMN due_on date GENERATED ALWAYS AS (
  CASE
    WHEN NOT is_open THEN NULL
    WHEN recheck_requested_at IS NOT NULL THEN recheck_due_on
    WHEN review_requested_at IS NOT NULL AND review_answered_at IS NULL THEN review_due_on
    WHEN answered_at IS NOT NULL THEN NULL
    WHEN accepted_at IS NOT NULL THEN handle_due_on
    ELSE accept_due_on
  END) STORED;
ALTER TABLE petition ADD COLUMN due_step text GENERATED ALWAYS AS (
  CASE
    WHEN NOT is_open THEN NULL
    WHEN recheck_requested_at IS NOT NULL THEN 'recheck'
    WHEN review_requested_at IS NOT NULL AND review_answered_at IS NULL THEN 'review'
    WHEN answered_at IS NOT NULL THEN NULL
    WHEN accepted_at IS NOT NULL THEN 'processing'
    ELSE 'acceptance'
  END) STORED;
CREATE INDEX petition_due_idx ON petition (district_code, due_on) WHERE is_open;
