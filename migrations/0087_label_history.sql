-- The life cycle of a special-population label (特殊人群): started, changed, ended or lifted (解除), each
-- with its date, reason and who recorded it. Append-only facts; the label row holds the current state.
CREATE TABLE person_label_event (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  label_id       bigint NOT NULL REFERENCES person_label(id) ON DELETE CASCADE,
  person_id      bigint NOT NULL,
  region_code    text NOT NULL,
  district_code  text NOT NULL,
  action         text NOT NULL CHECK (action IN ('start', 'change', 'end', 'lift', 'resume')),
  on_date        date,
  reason         text,
  changes        jsonb NOT NULL DEFAULT '[]',
  actor_id       bigint,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_label_event_label_idx ON person_label_event (label_id, id);
ALTER TABLE person_label ADD COLUMN IF NOT EXISTS end_kind text CHECK (end_kind IN ('end', 'lift'));
ALTER TABLE person_label ADD COLUMN IF NOT EXISTS end_reason text;
CREATE TRIGGER person_label_event_immutable BEFORE UPDATE ON person_label_event
  FOR EACH ROW EXECUTE FUNCTION refuse_fact_change();
