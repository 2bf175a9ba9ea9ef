// Whether an actor may see one case, for pieces outside the case engine that hang things on cases
// (attachments in src/platform/files). Built on visibilitySql, the engine's one scope predicate.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { visibilitySql } from './visibility.ts';

export async function caseIdVisibleTo(db: Queryable, actor: Actor, caseId: number): Promise<boolean> {
  const params: unknown[] = [caseId];
  const rows = await db.query(`SELECT 1 FROM "case" c WHERE c.id = $1 AND ${visibilitySql(actor, params)}`, params);
  return rows.length > 0;
}
