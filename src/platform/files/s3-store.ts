// The file store on S3-compatible object storage (AWS S3, MinIO, Ceph RGW, 阿里云 OSS, 腾讯云 COS …)
// through the AWS SDK. Loaded only when GONGZHI_S3_BUCKET is set.
import type { Readable } from 'node:stream';
import { blobKey, FileMissingError, type FileStore } from './store.ts';

// The SDK warns on every start that versions published after January 2027 will need Node 22. The
// version pinned in package.json runs on Node 20 (see the README's dependency table).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { S3Client, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');

export interface S3Options {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** prepended to every key, e.g. "gongzhi/" */
  prefix: string;
}

const notFound = (err: any) => err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;

export class S3Store implements FileStore {
  readonly description: string;
  private readonly client: InstanceType<typeof S3Client>;

  constructor(private readonly o: S3Options) {
    this.description = `s3 ${o.endpoint ?? 'aws'} bucket ${o.bucket}${o.prefix ? ` prefix ${o.prefix}` : ''}`;
    this.client = new S3Client({
      region: o.region,
      endpoint: o.endpoint,
      forcePathStyle: o.forcePathStyle,
      // without keys, the SDK's default chain (environment, instance role) applies
      credentials: o.accessKeyId && o.secretAccessKey ? { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } : undefined,
    });
  }

  private key(sha256: string): string { return `${this.o.prefix}${blobKey(sha256)}`; }

  async put(sha256: string, content: Buffer): Promise<void> {
    if (await this.has(sha256)) return;
    await this.client.send(new PutObjectCommand({
      Bucket: this.o.bucket, Key: this.key(sha256), Body: content, ContentLength: content.length,
      ContentType: 'application/octet-stream',
    }));
  }

  async get(sha256: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: this.key(sha256) }));
      return r.Body as Readable;
    } catch (err) {
      if (notFound(err)) throw new FileMissingError(sha256);
      throw err;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: this.key(sha256) }));
      return true;
    } catch (err) {
      if (notFound(err)) return false;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: this.key(sha256) }));
  }

  /** Closes the client's sockets (tests, shutdown). */
  close(): void { this.client.destroy(); }
}
