-- Five columns of the intake's rows are never written as a request gives them. A case's region is the grid (or
-- community, street) the case engine found in the region tree; its creator, and a flow record's actor, are the
-- logged-in account, and the actor's unit is that account's unit; a case's suggested unit comes from the
-- responsibility list or the territorial fallback. Each is read from its own table first, where foreign keys of
-- its own hold it. The foreign keys of these five columns checked every value a second time, row by row, and
-- locked the row it names: about 20 µs of PostgreSQL CPU per intake, an eighth of PostgreSQL's share
-- (bench/README.md, 2026-12-07).
--
-- What those foreign keys also kept, that the row a case or a flow record names is never removed or renumbered,
-- is now a rule of its own, on both engines: regions are retired, units and accounts deactivated, none deleted.
-- Triggers refuse DELETE, TRUNCATE and a change of key on region, unit and app_user; on PostgreSQL the runtime
-- role also lacks DELETE and TRUNCATE on them (src/platform/db/roles.ts). The category (chosen by the reporter,
-- changed by a change of type), the lead unit, the reporter's own account and a flow record's case keep their
-- foreign keys.

ALTER TABLE "case" DROP CONSTRAINT case_region_code_fkey, DROP CONSTRAINT case_created_by_fkey,
  DROP CONSTRAINT case_suggested_unit_id_fkey;
ALTER TABLE flow_record DROP CONSTRAINT flow_record_actor_id_fkey, DROP CONSTRAINT flow_record_actor_unit_id_fkey;

CREATE FUNCTION refuse_reference_removal() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are kept (retire or deactivate them instead): % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER region_kept BEFORE DELETE ON region FOR EACH ROW EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER region_key_kept BEFORE UPDATE OF code ON region
  FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER region_no_truncate BEFORE TRUNCATE ON region FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_removal();

CREATE TRIGGER unit_kept BEFORE DELETE ON unit FOR EACH ROW EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER unit_key_kept BEFORE UPDATE OF id ON unit
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER unit_no_truncate BEFORE TRUNCATE ON unit FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_removal();

CREATE TRIGGER app_user_kept BEFORE DELETE ON app_user FOR EACH ROW EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER app_user_key_kept BEFORE UPDATE OF id ON app_user
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION refuse_reference_removal();
CREATE TRIGGER app_user_no_truncate BEFORE TRUNCATE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION refuse_reference_removal();
