// Personal data at rest (DESIGN rule 6): AES-256-GCM with a key from configuration, exact lookup by
// a keyed hash (HMAC-SHA256 with a key derived from the same secret), masked display by default.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir } from './files.ts';
import type { Db } from './db/index.ts';
import { BilingualError } from './errors.ts';

export interface PersonalDataCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  lookupHash(value: string): string;
}

function parseKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new BilingualError({ zh: 'GONGZHI_DATA_KEY 须为 32 字节：64 位十六进制数字或 base64。', en: 'GONGZHI_DATA_KEY must be 32 bytes, as 64 hex digits or base64.' });
  return key;
}

/** The configured key, or one generated once into the data folder (0700) as a file readable by the owner only (0600). */
export function loadDataKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) return parseKey(configured);
  const file = join(dataDir, 'data.key');
  if (existsSync(file)) {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
    return parseKey(readFileSync(file, 'utf8'));
  }
  privateDir(dataDir);
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

// Random bytes are drawn from a pooled CSPRNG buffer: one randomFillSync per 8 KiB instead of a
// randomBytes call each. On this platform's VMs a randomBytes call costs ≈ 20 µs whatever its size
// (more than the AES-GCM encryption it feeds), an 8 KiB fill ≈ 35 µs. Each slice is handed out once
// and must be used synchronously, before the pool is refilled.
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;
function pooledRandom(n: number): Buffer {
  if (n > pool.length) return randomBytes(n);
  if (poolOffset + n > pool.length) { randomFillSync(pool); poolOffset = 0; }
  const bytes = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return bytes;
}

/** Letters and digits that cannot be mistaken for one another when read aloud or typed: no 0/O, 1/I/L. */
export const QUERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A query code a person reads off a screen and types back (the portal's tracking code): `length`
 * characters of QUERY_CODE_ALPHABET (12 give 59 bits), upper case, accepted in any case.
 */
export function queryCode(length = 12): string {
  let out = '';
  while (out.length < length) {
    for (const b of pooledRandom(length)) {
      if (b < 248 && out.length < length) out += QUERY_CODE_ALPHABET[b % 31]; // 248 = 8 × 31: no bias
    }
  }
  return out;
}

/** An unguessable token of `bytes` random bytes, base64url. */
export function randomToken(bytes: number): string {
  return pooledRandom(bytes).toString('base64url');
}

export function createCipher(master: Buffer): PersonalDataCipher {
  const encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'gongzhi/enc/v1', 32));
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'gongzhi/lookup/v1', 32));
  return {
    encrypt(plain) {
      const iv = pooledRandom(12);
      const c = createCipheriv('aes-256-gcm', encKey, iv);
      const body = c.update(plain, 'utf8');
      const tail = c.final(); // empty: GCM is a stream mode
      // iv ‖ tag ‖ ciphertext, assembled once
      const sealed = Buffer.allocUnsafe(28 + body.length + tail.length);
      iv.copy(sealed, 0);
      c.getAuthTag().copy(sealed, 12);
      body.copy(sealed, 28);
      tail.copy(sealed, 28 + body.length);
      return `v1.${sealed.toString('base64url')}`;
    },
    decrypt(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown ciphertext version');
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const d = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
    lookupHash(value) {
      return createHmac('sha256', macKey).update(value.trim()).digest('base64url');
    },
  };
}

// Masks count code points (𠮷田 → 𠮷*), so a character outside the Basic Multilingual Plane is shown
// or hidden whole: half a surrogate pair is not text, and PostgreSQL's jsonb refuses it.

/** 13812345678 → 138****5678; short numbers keep only the last two digits. */
export function maskPhone(phone: string): string {
  const p = [...phone.replace(/\s+/g, '')];
  if (p.length >= 11) return `${p.slice(0, 3).join('')}****${p.slice(-4).join('')}`;
  if (p.length > 4) return `${'*'.repeat(p.length - 2)}${p.slice(-2).join('')}`;
  return '****';
}

/** 张三丰 → 张**, 𠮷田 → 𠮷*; a Latin name keeps its first letter. */
export function maskName(name: string): string {
  const n = [...name.trim()];
  if (!n.length) return '';
  return n[0] + '*'.repeat(Math.max(1, Math.min(n.length - 1, 3)));
}

/** 500117199001011234 → 500117********1234; other document numbers keep their last two characters. */
export function maskIdNumber(id: string): string {
  const v = [...id.trim()];
  if (v.length >= 15) return `${v.slice(0, 6).join('')}${'*'.repeat(v.length - 10)}${v.slice(-4).join('')}`;
  if (v.length > 4) return `${'*'.repeat(v.length - 2)}${v.slice(-2).join('')}`;
  return '****';
}

const KEY_CHECK_SETTING = 'crypto.key_check';

/**
 * Refuses to run with a data key other than the one this database's personal data was sealed with.
 * The first start records a keyed hash of a fixed text (it reveals nothing of the key); every later start,
 * import or command compares. Without this, a new GONGZHI_DATA_KEY (one generated afresh in another shell)
 * would be accepted in silence, and everything sealed from then on would be unreadable with the old one.
 */
export async function verifyDataKey(db: Db, cipher: PersonalDataCipher): Promise<void> {
  const check = cipher.lookupHash('gongzhi data key check v1');
  await db.query(`INSERT INTO setting (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`, [KEY_CHECK_SETTING, JSON.stringify({ hash: check })]);
  const rows = await db.query<{ value: { hash?: string } }>('SELECT value FROM setting WHERE key = $1', [KEY_CHECK_SETTING]);
  if (rows[0]?.value?.hash !== check) {
    const m = {
      zh: '数据密钥与本数据库不符：个人信息是用另一把密钥加密的。请使用原来的 GONGZHI_DATA_KEY（或数据目录中的 data.key）。',
      en: 'The data key does not match this database: its personal data was sealed with another key. Start with the original GONGZHI_DATA_KEY (or the data folder\'s data.key).',
    };
    throw new BilingualError(m, `${m.zh}\n${m.en}`);
  }
}
