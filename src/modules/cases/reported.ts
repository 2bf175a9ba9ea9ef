// The open cases a user reported themselves (我上报的未办结): a grid worker's report waits in someone
// else's inbox (the community dispatches it), yet it is still the worker's to follow. Soonest due first.
import type { Actor } from '../../platform/auth/actor.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRow } from './rows.ts';
import { LIST_COLUMNS, toListItem } from './views.ts';

export async function openReportsBy(deps: CaseDeps, actor: Actor, limit = 50) {
  deps.policy.assert(actor, 'case.read');
  const rows = await deps.ctx.db.query<CaseRow>(
    `SELECT ${LIST_COLUMNS} FROM "case" c WHERE c.created_by = $1 AND c.is_open ORDER BY c.due_at ASC NULLS LAST, c.id ASC LIMIT ${limit}`, [actor.id]);
  const now = deps.ctx.now();
  return rows.map((r) => toListItem(deps, r, now));
}
