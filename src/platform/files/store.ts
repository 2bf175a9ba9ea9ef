// The file store: attachment bytes live outside the database, keyed by their SHA-256, so the same
// photo uploaded twice is stored once. A folder by default ($GONGZHI_DATA_DIR/files), S3-compatible
// object storage when GONGZHI_S3_BUCKET is set. The database keeps the metadata (attachment, file_blob).
import type { Readable } from 'node:stream';
import { resolve, sep } from 'node:path';
import type { Config } from '../config.ts';
import { consoleDistDir } from '../http/console-build.ts';
import { FolderStore } from './folder-store.ts';

export interface FileStore {
  /** 'folder' or 's3', and where: for logs and the start-up line. */
  readonly description: string;
  /** Stores the bytes under their SHA-256 (lower-case hex). Storing bytes that are there already changes nothing. */
  put(sha256: string, content: Buffer): Promise<void>;
  /** The stored bytes as a stream; rejects with FileMissingError when there are none. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Removes the bytes; removing bytes that are not there is not an error. */
  delete(sha256: string): Promise<void>;
  /** Releases connections (the S3 client's sockets) at shutdown. */
  close?(): void;
}

export class FileMissingError extends Error {
  constructor(readonly sha256: string) { super(`file ${sha256} is missing from the file store`); }
}

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** Where a blob lives inside the store: two levels of fan-out keep folders small. */
export function blobKey(sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** Uploads must never be reachable through the static files the server serves. */
export function assertNotServed(dir: string, served: string[] = [consoleDistDir]): void {
  const abs = resolve(dir);
  for (const root of served.map((r) => resolve(r))) {
    if (abs === root || abs.startsWith(root + sep) || root.startsWith(abs + sep)) {
      throw new Error(`The file store folder ${abs} overlaps the served folder ${root}; set GONGZHI_FILES_DIR elsewhere.`);
    }
  }
}

/** The store the configuration names. */
export async function createFileStore(config: Config): Promise<FileStore> {
  if (config.GONGZHI_S3_BUCKET) {
    const { S3Store } = await import('./s3-store.ts');
    return new S3Store({
      bucket: config.GONGZHI_S3_BUCKET,
      endpoint: config.GONGZHI_S3_ENDPOINT,
      region: config.GONGZHI_S3_REGION,
      accessKeyId: config.GONGZHI_S3_ACCESS_KEY_ID,
      secretAccessKey: config.GONGZHI_S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.GONGZHI_S3_FORCE_PATH_STYLE ? config.GONGZHI_S3_FORCE_PATH_STYLE === 'true' : !!config.GONGZHI_S3_ENDPOINT,
      prefix: config.GONGZHI_S3_PREFIX && !config.GONGZHI_S3_PREFIX.endsWith('/') ? `${config.GONGZHI_S3_PREFIX}/` : config.GONGZHI_S3_PREFIX,
    });
  }
  const dir = resolve(config.GONGZHI_FILES_DIR ?? resolve(config.dataDir, 'files'));
  assertNotServed(dir);
  return new FolderStore(dir);
}
