// The first administrator: `admin`, password from GONGZHI_ADMIN_PASSWORD or generated and printed once.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { createUser } from './service.ts';

export async function ensureAdmin(db: Db, configured?: string): Promise<{ created: boolean; password?: string; generated?: boolean }> {
  const [row] = await db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'admin'`);
  if (row) return { created: false };
  const [top] = await db.query<{ code: string }>(`SELECT code FROM region WHERE parent_code IS NULL ORDER BY code LIMIT 1`);
  if (!top) return { created: false };
  const password = configured ?? randomBytes(12).toString('base64url');
  await createUser(db, { username: 'admin', displayName: '系统管理员', password, role: 'admin', regionCode: top.code });
  return { created: true, password, generated: !configured };
}
