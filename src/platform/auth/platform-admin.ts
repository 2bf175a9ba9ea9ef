// Who edits the platform-wide settings (the category tree, the calendar, the dictionaries): an
// administrator of a top-level region (the demo city's `admin`), or of the territory `gongzhi init` set
// up (a district or a city: the tree holds the province above it only as the district's ancestors).
import type { Queryable } from '../db/index.ts';
import type { Actor } from './actor.ts';

/** The `setting` key under which init records the territory it set up (a region code). */
export const PLATFORM_ROOT_SETTING = 'platform.root';

/** Records the territory init set up; its administrators are the platform's. */
export async function setPlatformRoot(q: Queryable, regionCode: string): Promise<void> {
  await q.query(
    `INSERT INTO setting (key, value) VALUES ($1, to_jsonb($2::text)) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [PLATFORM_ROOT_SETTING, regionCode]);
}

/** Whether the actor's region is a top-level region or contains the territory init set up. The role is checked by the caller. */
export async function administersPlatform(q: Queryable, actor: Pick<Actor, 'regionCode'>): Promise<boolean> {
  const [r] = await q.query<{ top: boolean | null; root: string | null }>(
    `SELECT (SELECT parent_code IS NULL FROM region WHERE code = $1) AS top,
            (SELECT value #>> '{}' FROM setting WHERE key = $2) AS root`, [actor.regionCode, PLATFORM_ROOT_SETTING]);
  return !!r?.top || (!!r?.root && r.root.startsWith(actor.regionCode));
}
