// The first administrator: `admin`, password from GONGZHI_ADMIN_PASSWORD or generated and printed once.
// A generated password must be changed at the first login (it was shown on a console, perhaps logged).
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import { createUser } from './service.ts';

export interface AdminBootstrap { created: boolean; password?: string; generated?: boolean }

/** A password for someone to read once and replace: 16 characters of base64url (96 bits). */
export const generatePassword = (): string => randomBytes(12).toString('base64url');

/**
 * Creates `admin` if it is missing. Its territory is `opts.regionCode` (the district or city that init
 * set up), or else the root of the region tree (the demo city).
 */
export async function ensureAdmin(db: Queryable, configured?: string, opts: { demo?: boolean; regionCode?: string } = {}): Promise<AdminBootstrap> {
  const [row] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'admin'`);
  if (row) return { created: false };
  const [top] = opts.regionCode
    ? await db.query<{ code: string }>(`SELECT code FROM region WHERE code = $1`, [opts.regionCode])
    : await db.query<{ code: string }>(`SELECT code FROM region WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
  if (!top) return { created: false };
  const password = configured ?? generatePassword();
  await createUser(db, {
    username: 'admin', displayName: '系统管理员', password, role: 'admin', regionCode: top.code,
    demo: opts.demo ?? false, passwordChangeRequired: !configured, passwordPublic: false, // generated or configured: never the published one
  });
  return { created: true, password, generated: !configured };
}
