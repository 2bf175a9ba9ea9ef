-- Facts are append-only (DESIGN rule 3): flow records and the audit log are written once and never
-- changed or removed. Triggers refuse UPDATE, DELETE and TRUNCATE on both engines; on PostgreSQL the
-- runtime role also lacks those privileges (src/platform/db/roles.ts), which holds even where triggers
-- are disabled. flow_record already refuses row changes (0002); this adds TRUNCATE, and both for audit_log.

CREATE FUNCTION refuse_fact_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER flow_record_no_truncate BEFORE TRUNCATE ON flow_record
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_fact_change();

CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_fact_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_fact_change();
