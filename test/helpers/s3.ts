// An S3-compatible server for tests (s3rver from npm: real HTTP, real SigV4 checks, objects on disk),
// on a free port of 127.0.0.1, with one bucket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; dir: string; close(): Promise<void> }

export async function startS3(bucket = 'gongzhi-test'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'gz-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`, bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', dir,
    async close() { await server.close(); rmSync(dir, { recursive: true, force: true }); },
  };
}
