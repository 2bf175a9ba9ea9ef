-- 走访对象 as recorded at visit time: the household's address and 户号 and the masked names of the persons met.
-- The visit page names whom was visited from the live registry when the reader may see the household or
-- persons; after a grid split moved them out of the reader's grid (the visit's author keeps opening the
-- visit), or for a visit to persons with no household, it names them from this snapshot instead.
ALTER TABLE field_visit ADD COLUMN IF NOT EXISTS visited jsonb;

UPDATE field_visit v SET visited = jsonb_build_object(
  'address', (SELECT h.address FROM household h WHERE h.id = v.household_id),
  'householdNo', (SELECT h.household_no FROM household h WHERE h.id = v.household_id),
  'names', COALESCE((SELECT jsonb_agg(p.name_masked ORDER BY array_position(v.person_ids, p.id)) FROM person p WHERE p.id = ANY(v.person_ids)), '[]'::jsonb))
WHERE v.visited IS NULL;
