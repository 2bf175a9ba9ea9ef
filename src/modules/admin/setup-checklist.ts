// The set-up checklist of a new district (设置清单): what init left for its administrator to do, each step's state
// computed from the database — regions loaded, units and users imported, the responsibility list imported, grid
// outlines imported, the administrator's own password chosen. The console shows it on the administrator's home page
// until every step is done; a database with the demo city has no checklist.
import type { Queryable } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { countResponsibilityRules } from '../cases/index.ts';
import { countGridOutlines } from '../regions/index.ts';
import { assertAdmin } from './service.ts';

export const setupSteps = ['regions', 'units', 'users', 'responsibilities', 'gridOutlines', 'adminPassword'] as const;
export type SetupStep = (typeof setupSteps)[number];

export interface SetupChecklist {
  /** the database holds the demo city: no checklist */
  demo: boolean;
  /** every step is done */
  complete: boolean;
  steps: Array<{ key: SetupStep; done: boolean; count: number }>;
}

/** The units init makes itself (属地): the units import is done once another kind (a department …) exists. */
const TERRITORIAL_KINDS = ['command_centre', 'hotline', 'street_centre', 'community'];

export async function setupChecklist(q: Queryable, actor: Actor): Promise<SetupChecklist> {
  assertAdmin(actor);
  // the administrator's territory: the district (or city) init set up
  const prefix = actor.regionCode;
  const under = `${prefix.replace(/[^0-9]/g, '')}%`;
  const [c] = await q.query<{ demo: boolean; streets: number; units: number; users: number; changed: boolean }>(`
    SELECT EXISTS (SELECT 1 FROM app_user WHERE demo) AS demo,
      (SELECT count(*)::int FROM region r WHERE r.level = 'street' AND r.retired_at IS NULL AND r.code LIKE $1) AS streets,
      (SELECT count(*)::int FROM unit u WHERE u.active AND NOT (u.kind = ANY($2)) AND u.region_code LIKE $1) AS units,
      (SELECT count(*)::int FROM app_user a WHERE a.active AND NOT a.is_system AND a.id <> $3 AND a.role NOT IN ('admin', 'resident') AND a.region_code LIKE $1) AS users,
      (EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'user.password_change' AND l.target = 'user:' || $3::text)
        AND NOT (SELECT password_change_required OR password_public FROM app_user WHERE id = $3)) AS changed`, [under, TERRITORIAL_KINDS, actor.id]);
  const counts: Record<SetupStep, number> = {
    regions: c.streets,
    units: c.units,
    users: c.users,
    responsibilities: await countResponsibilityRules(q, prefix),
    gridOutlines: await countGridOutlines(q, prefix),
    adminPassword: c.changed ? 1 : 0,
  };
  const steps = setupSteps.map((key) => ({ key, done: counts[key] > 0, count: counts[key] }));
  return { demo: c.demo, complete: steps.every((s) => s.done), steps };
}
