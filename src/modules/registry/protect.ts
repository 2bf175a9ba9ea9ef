// Personal data protection (DESIGN rule 6) for the registries: personal fields are sealed together
// into one AES-256-GCM ciphertext per record (one encryption per row keeps bulk imports fast and a
// reveal atomic), shown masked, and revealed only to permitted users for a stated purpose, audited.
import type { Queryable } from '../../platform/db/index.ts';
import { registryPolicy } from './policy.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { maskIdNumber, maskName, maskPhone } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { SensitiveDef } from './kinds.ts';

export function mask(kind: SensitiveDef['kind'], value: string): string {
  return kind === 'name' ? maskName(value) : kind === 'phone' ? maskPhone(value) : maskIdNumber(value);
}

/** Splits a record's personal fields from the rest: the personal ones sealed and masked. */
export function splitSensitive(defs: readonly SensitiveDef[], rec: Record<string, any>): {
  personal: Record<string, string>; masked: Record<string, string>;
} {
  const personal: Record<string, string> = {};
  const masked: Record<string, string> = {};
  for (const s of defs) {
    const v = rec[s.api];
    if (v == null || v === '') continue;
    const value = s.kind === 'id' ? String(v).toUpperCase() : String(v);
    personal[s.api] = value;
    masked[s.api] = mask(s.kind, value);
  }
  return { personal, masked };
}

export function seal(cipher: PersonalDataCipher, personal: Record<string, unknown>): string | null {
  return Object.keys(personal).length ? cipher.encrypt(JSON.stringify(personal)) : null;
}

export function unseal(cipher: PersonalDataCipher, sealed: string | null | undefined): Record<string, any> {
  return sealed ? JSON.parse(cipher.decrypt(sealed)) : {};
}

/** `{ownerName: '张*'}` → `{ownerNameMasked: '张*'}`, with null for every personal field not given. */
export function maskedView(defs: readonly SensitiveDef[], masked: Record<string, string> | null | undefined): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const s of defs) out[`${s.api}Masked`] = masked?.[s.api] ?? null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reveal: a permission (role, or a per-user grant) and a stated purpose; every reveal is audited.

export async function revealPermission(q: Queryable, actor: Actor, now: Date): Promise<{ via: 'role' } | { via: 'grant'; grantId: number }> {
  if (registryPolicy.can(actor, 'registry.reveal')) return { via: 'role' };
  const [g] = await q.query<{ id: number }>(
    `SELECT id FROM reveal_grant WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
     ORDER BY id DESC LIMIT 1`, [actor.id, now]);
  if (g) return { via: 'grant', grantId: Number(g.id) };
  throw new AppError(403, 'reveal_not_permitted', { zh: `查看个人信息须为指挥中心、街道综治中心或社区角色，或经系统管理员授权。`, en: 'Revealing personal data needs the command centre, street centre or community role, or a reveal grant from an administrator.' });
}

export async function auditReveal(q: Queryable, actor: Actor, target: string, regionCode: string, detail: Record<string, unknown>): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'registry.reveal', $2, $3, $4::jsonb)`,
    [actor.id, target, regionCode, JSON.stringify(detail)]);
}

/** Keeps only the requested fields (all when none are named); unknown names are refused. */
export function pickFields(all: Record<string, unknown>, allowed: readonly string[], wanted?: string[]): Record<string, unknown> {
  if (!wanted) return Object.fromEntries(allowed.map((k) => [k, all[k] ?? null]));
  const unknown = wanted.filter((w) => !allowed.includes(w));
  if (unknown.length) {
    throw new AppError(400, 'unknown_field', { zh: `不能查看 ${unknown.join('、')}；此处可查看的个人信息字段为：${allowed.join('、')}。`, en: `Cannot reveal ${unknown.join(', ')}; personal fields here: ${allowed.join(', ')}.` });
  }
  return Object.fromEntries(wanted.map((k) => [k, all[k] ?? null]));
}

/** Keyed hashes of a revealed record's names and ID numbers, kept in the audit row so reveals can be found by person. */
export function revealSubject(cipher: PersonalDataCipher, names: Array<string | null | undefined>, idNumbers: Array<string | null | undefined>) {
  return {
    nameHashes: [...new Set(names.filter((n): n is string => !!n).map((n) => nameHash(cipher, n)))],
    /** the surnames, so that the audit can be searched by surname (1 character, as residents are) */
    surnameHashes: [...new Set(names.filter((n): n is string => !!n && !!surnameOf(n)).map((n) => surnameHash(cipher, surnameOf(n))))],
    idHashes: [...new Set(idNumbers.filter((n): n is string => !!n).map((n) => cipher.lookupHash(n.trim().toUpperCase())))],
  };
}
export const nameHash = (cipher: PersonalDataCipher, name: string) => cipher.lookupHash(`name:${name.replace(/\s+/g, '')}`);
export const surnameHash = (cipher: PersonalDataCipher, surname: string) => cipher.lookupHash(`surname:${surname.normalize('NFKC').trim()}`);

/** 复姓 (compound surnames) common enough to be looked up as one surname. */
const COMPOUND = new Set(['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '轩辕', '端木', '独孤', '南宫', '西门', '闻人']);

export function surnameOf(name: string): string {
  const n = [...name.normalize('NFKC').trim()];
  const two = n.slice(0, 2).join('');
  return COMPOUND.has(two) && n.length > 2 ? two : n[0] ?? '';
}

