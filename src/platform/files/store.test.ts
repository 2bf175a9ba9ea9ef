// The file stores: a folder, and S3-compatible storage (tested against s3rver, a real S3 HTTP server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { FolderStore } from './folder-store.ts';
import { S3Store } from './s3-store.ts';
import { assertNotServed, blobKey, FileMissingError, type FileStore } from './store.ts';
import { sha256Hex } from './service.ts';
import { startS3, type TestS3 } from '../../../test/helpers/s3.ts';

const bytes = (s: string) => Buffer.from(s, 'utf8');

function behavesAsAStore(name: string, make: () => FileStore) {
  describe(name, () => {
    it('stores bytes under their SHA-256 and gives them back', async () => {
      const store = make();
      const content = bytes(`网格员上报的照片 ${name} ${Math.random()}`);
      const sha = sha256Hex(content);
      expect(await store.has(sha)).toBe(false);
      await store.put(sha, content);
      expect(await store.has(sha)).toBe(true);
      expect(await text(await store.get(sha))).toBe(content.toString('utf8'));
      await store.put(sha, content); // again: nothing changes
      expect(await text(await store.get(sha))).toBe(content.toString('utf8'));
    });

    it('answers FileMissingError for bytes it does not hold, and forgets deleted ones', async () => {
      const store = make();
      const content = bytes(`to delete ${name} ${Math.random()}`);
      const sha = sha256Hex(content);
      await expect(store.get(sha)).rejects.toBeInstanceOf(FileMissingError);
      await store.put(sha, content);
      await store.delete(sha);
      expect(await store.has(sha)).toBe(false);
      await expect(store.get(sha)).rejects.toBeInstanceOf(FileMissingError);
      await store.delete(sha); // deleting twice is fine
    });

    it('refuses keys that are not a SHA-256 (no path tricks)', async () => {
      await expect(make().put('../../etc/passwd', bytes('x'))).rejects.toThrow(/not a SHA-256/);
    });
  });
}

const folder = mkdtempSync(join(tmpdir(), 'gz-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
behavesAsAStore('folder store', () => new FolderStore(folder));

let s3: TestS3;
const s3Stores: S3Store[] = [];
beforeAll(async () => { s3 = await startS3(); });
afterAll(async () => { for (const s of s3Stores) s.close(); await s3?.close(); });
const makeS3 = (prefix = 'gongzhi/') => {
  const store = new S3Store({ bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1', accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix });
  s3Stores.push(store);
  return store;
};
behavesAsAStore('S3 store (s3rver)', () => makeS3());

describe('where the bytes go', () => {
  it('the folder store keeps files for the service user only, fanned out by hash', async () => {
    const store = new FolderStore(folder);
    const content = bytes('权限检查');
    const sha = sha256Hex(content);
    await store.put(sha, content);
    const path = join(folder, blobKey(sha));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, sha.slice(0, 2))).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(folder, 'tmp'))).toEqual([]); // no temporary file left behind
  });

  it('the S3 store writes under its prefix in the bucket', async () => {
    const content = bytes('前缀');
    const sha = sha256Hex(content);
    await makeS3('district-320206/').put(sha, content);
    expect(await makeS3('district-320206/').has(sha)).toBe(true);
    expect(await makeS3('other/').has(sha)).toBe(false);
  });

  it('refuses a store folder inside (or around) a folder the server serves', () => {
    expect(() => assertNotServed('/srv/app/dist/web/files', ['/srv/app/dist/web'])).toThrow(/overlaps the served folder/);
    expect(() => assertNotServed('/srv/app', ['/srv/app/dist/web'])).toThrow(/overlaps the served folder/);
    expect(() => assertNotServed('/srv/data/files', ['/srv/app/dist/web'])).not.toThrow();
  });
});
