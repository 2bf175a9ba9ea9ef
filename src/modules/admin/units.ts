// Writing units (departments, centres, committees): administration's one INSERT, shared by the console
// (createUnit), set-up (`gongzhi init`'s territorial units) and the units import.
import type { Queryable } from '../../platform/db/index.ts';

export interface UnitSeed {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  regionCode: string;
  parentId: string | null;
}

/** Writes units in the order given: a parent must come before the units under it. */
export async function insertUnits(q: Queryable, units: UnitSeed[]): Promise<void> {
  for (let i = 0; i < units.length; i += 2000) {
    const chunk = units.slice(i, i + 2000);
    await q.query(
      `INSERT INTO unit (id, name, name_en, kind, region_code, parent_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [chunk.map((u) => u.id), chunk.map((u) => u.name), chunk.map((u) => u.nameEn), chunk.map((u) => u.kind),
        chunk.map((u) => u.regionCode), chunk.map((u) => u.parentId)]);
  }
}
