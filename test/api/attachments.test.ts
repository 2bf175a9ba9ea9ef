// Attachments live in the file store (a folder by default, S3-compatible storage when configured), keyed
// by SHA-256: uploads, downloads, deduplication, scope, collection of unused bytes, and the move of
// bytes that older databases kept in attachment.content.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { testPlatform, type TestPlatform } from '../helpers/platform.ts';
import { homeGrid, otherStreet, pointIn } from '../helpers/fixtures.ts';
import { engine, pgAdminUrl, dbUrl } from '../helpers/engine.ts';
import { startS3, type TestS3 } from '../helpers/s3.ts';
import { openPostgres, wrapPglite, type Db } from '../../src/platform/db/index.ts';
import { migrate, migrationsDir } from '../../src/platform/db/migrate.ts';
import { fileMigrationSteps } from '../../src/platform/files/index.ts';
import { FolderStore } from '../../src/platform/files/folder-store.ts';
import { S3Store } from '../../src/platform/files/s3-store.ts';
import { blobKey } from '../../src/platform/files/store.ts';
import { sha256Hex } from '../../src/platform/files/service.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3a3f1f60000000049454e44ae426082', 'hex');
const pngWith = (tag: string) => Buffer.concat([PNG, Buffer.from(tag)]);
const scratch: string[] = [];
const tempDir = (name: string) => { const d = mkdtempSync(join(tmpdir(), `gz-${name}-`)); scratch.push(d); return d; };
afterAll(() => { for (const d of scratch) rmSync(d, { recursive: true, force: true }); });

async function upload(p: TestPlatform, token: string | null, bytes: Buffer, url = '/api/v1/attachments') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), '井盖照片.png');
  const r = await p.http.inject({ method: 'POST', url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: form as any });
  return { status: r.statusCode, body: JSON.parse(r.body) };
}
const download = (p: TestPlatform, token: string, id: number) =>
  p.http.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: { authorization: `Bearer ${token}` } });
const filesIn = (dir: string): string[] => existsSync(dir)
  ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /^[0-9a-f]{64}$/.test(e.name)).map((e) => e.name)
  : [];

describe('attachments in the folder store', () => {
  let p: TestPlatform;
  const t: Record<string, string> = {};
  const dir = tempDir('files');
  beforeAll(async () => {
    p = await testPlatform('2026-11-16T01:00:00Z', { GONGZHI_FILES_DIR: dir });
    for (const u of ['rexian', 'jiedao', 'jumin']) t[u] = await p.login(u);
    t.otherStreet = await p.login(`jd${otherStreet.code}`);
  });
  afterAll(async () => { await p?.close(); });

  it('keeps the bytes in the folder, not the database, and the same photo uploaded twice once', async () => {
    const photo = pngWith('dedupe');
    const a = await upload(p, t.rexian, photo);
    const b = await upload(p, t.jiedao, photo);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body).toMatchObject({ filename: '井盖照片.png', mime: 'image/png', size: photo.length });
    expect(b.body.id).not.toBe(a.body.id);
    const sha = sha256Hex(photo);
    expect(filesIn(dir).filter((f) => f === sha)).toHaveLength(1);
    expect(readFileSync(join(dir, blobKey(sha)))).toEqual(photo);
    const columns = await p.ctx.db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'attachment'`);
    expect(columns.map((c) => c.column_name)).not.toContain('content');
    const [blobs] = await p.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM file_blob WHERE sha256 = $1', [sha]);
    expect(blobs.n).toBe(1);
  });

  it('serves the bytes to the uploader and to whoever may see the case, 404 to anyone else', async () => {
    const photo = pngWith('scope');
    const up = await upload(p, t.rexian, photo);
    const own = await download(p, t.rexian, up.body.id);
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload).toEqual(photo);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['content-disposition']).toBe(`inline; filename*=UTF-8''${encodeURIComponent('井盖照片.png')}`);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect((await download(p, t.jiedao, up.body.id)).statusCode).toBe(404); // not linked to a case yet
    const c = await p.as(t.rexian).post('/api/v1/cases', {
      categoryCode: '030102', title: '井盖缺失', description: '路口井盖缺失，有安全隐患', ...pointIn(homeGrid), attachmentIds: [up.body.id],
    });
    expect(c.status, c.text).toBe(201);
    const street = await download(p, t.jiedao, up.body.id);
    expect(street.statusCode).toBe(200);
    expect(street.rawPayload).toEqual(photo);
    for (const who of ['otherStreet', 'jumin']) {
      const r = await download(p, t[who], up.body.id);
      expect(r.statusCode, who).toBe(404);
      expect(JSON.parse(r.body).code).toBe('not_found');
    }
    expect((await p.as(null).get(`/api/v1/attachments/${up.body.id}`)).status).toBe(401);
  });

  it('drops the bytes of anonymous uploads nobody claimed, but never bytes an attachment still uses', async () => {
    const lonely = pngWith('never claimed');
    const shared = pngWith('claimed elsewhere');
    expect((await upload(p, null, lonely, '/api/v1/portal/attachments')).status).toBe(201);
    expect((await upload(p, null, shared, '/api/v1/portal/attachments')).status).toBe(201);
    expect((await upload(p, t.rexian, shared)).status).toBe(201); // the same bytes, kept by a staff upload
    p.clock.advance(25 * 60); // the unclaimed uploads are over a day old at the next portal upload …
    p.clock.advance(24 * 60);
    expect((await upload(p, null, pngWith('the next one'), '/api/v1/portal/attachments')).status).toBe(201);
    p.clock.advance(25 * 60); // … and their bytes past the grace period
    const dropped = await p.ctx.files.garbageTask()(p.clock.now);
    expect(dropped.fileBlobs).toBe(1);
    expect(filesIn(dir)).not.toContain(sha256Hex(lonely));
    expect(filesIn(dir)).toContain(sha256Hex(shared));
    expect(filesIn(dir)).toContain(sha256Hex(pngWith('the next one')));
  });
});

describe('attachments in S3-compatible storage (s3rver)', () => {
  let s3: TestS3;
  let p: TestPlatform;
  const dir = tempDir('unused');
  beforeAll(async () => {
    s3 = await startS3();
    p = await testPlatform('2026-11-16T01:00:00Z', {
      GONGZHI_FILES_DIR: dir, GONGZHI_S3_BUCKET: s3.bucket, GONGZHI_S3_ENDPOINT: s3.endpoint, GONGZHI_S3_ACCESS_KEY_ID: s3.accessKeyId,
      GONGZHI_S3_SECRET_ACCESS_KEY: s3.secretAccessKey, GONGZHI_S3_PREFIX: 'gongzhi/',
    });
  });
  afterAll(async () => {
    await p?.close();
    await s3?.close();
  });

  it('uploads to the bucket and downloads from it; the folder stays empty', async () => {
    const token = await p.login('rexian');
    const photo = pngWith('s3');
    const up = await upload(p, token, photo);
    expect(up.status).toBe(201);
    const probe = new S3Store({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix: 'gongzhi/' });
    try {
      expect(await probe.has(sha256Hex(photo))).toBe(true);
    } finally {
      probe.close();
    }
    const r = await download(p, token, up.body.id);
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload).toEqual(photo);
    expect(filesIn(dir)).toEqual([]);
  });
});

describe('attachments of an older database move into the store at migration', () => {
  const before0032 = () => {
    const d = tempDir('migrations');
    for (const f of readdirSync(migrationsDir).filter((x) => /^\d{4}_.*\.sql$/.test(x) && x < '0032')) copyFileSync(join(migrationsDir, f), join(d, f));
    return d;
  };

  async function emptyDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
    if (engine === 'postgres') {
      const name = `gz_test_att_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgAdminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const db = await openPostgres(dbUrl(name), 2);
      return {
        db, drop: async () => {
          await db.close();
          const c = new pg.Client({ connectionString: pgAdminUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        },
      };
    }
    const { PGlite } = await import('@electric-sql/pglite');
    const raw = new PGlite();
    return { db: wrapPglite(raw), drop: () => raw.close() };
  }

  async function withOldAttachments(db: Db) {
    await migrate(db, before0032());
    await db.query(`INSERT INTO region (code, level, kind, name, short_name) VALUES ('50', 'province', 'province', '重庆市', '重庆')`);
    const [u] = await db.query<{ id: number }>(`INSERT INTO app_user (username, display_name, password_hash, role, region_code) VALUES ('old', '老用户', '!', 'grid_worker', '50') RETURNING id`);
    const rows = [pngWith('old one'), pngWith('old one'), pngWith('old two')];
    for (const [i, content] of rows.entries()) {
      // the third row's recorded hash is wrong: the store is keyed by the bytes, and the row is corrected
      const recorded = i === 2 ? 'f'.repeat(64) : sha256Hex(content);
      await db.query('INSERT INTO attachment (uploaded_by, filename, mime, size, sha256, content) VALUES ($1, $2, $3, $4, $5, $6)',
        [u.id, `old${i}.png`, 'image/png', content.length, recorded, content]);
    }
    return rows;
  }

  it('copies every attachment\'s bytes into the store before the column goes; nothing is lost', async () => {
    const { db, drop } = await emptyDb();
    try {
      const rows = await withOldAttachments(db);
      const dir = tempDir('moved');
      const r = await migrate(db, migrationsDir, fileMigrationSteps(new FolderStore(dir)));
      expect(r.applied).toContain('0032_attachment_content_moved');
      const left = await db.query<{ sha256: string }>('SELECT sha256 FROM attachment ORDER BY id');
      expect(left.map((x) => x.sha256)).toEqual(rows.map(sha256Hex));
      for (const content of rows) expect(readFileSync(join(dir, blobKey(sha256Hex(content))))).toEqual(content);
      expect(filesIn(dir)).toHaveLength(2);
      const columns = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'attachment'`);
      expect(columns.map((c) => c.column_name)).not.toContain('content');
    } finally {
      await drop();
    }
  });

  it('without a file store the migration stops and changes nothing', async () => {
    const { db, drop } = await emptyDb();
    try {
      const rows = await withOldAttachments(db);
      await expect(migrate(db, migrationsDir, fileMigrationSteps(null))).rejects.toThrow(/file store/);
      const kept = await db.query<{ content: Uint8Array }>('SELECT content FROM attachment ORDER BY id');
      expect(kept.map((k) => Buffer.from(k.content))).toEqual(rows);
      const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migration WHERE version >= '0032'`);
      expect(n).toBe(0);
    } finally {
      await drop();
    }
  });
});
