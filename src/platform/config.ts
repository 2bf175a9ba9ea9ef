// Configuration from the environment, validated once at start-up.
import { z } from 'zod';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { BilingualError } from './errors.ts';

/** Names proxy-addr (Fastify's trustProxy) understands for ranges of addresses. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix, or one of the range names above. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [addr, prefix, ...rest] = entry.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * GONGZHI_TRUST_PROXY: the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, as a
 * comma-separated list of addresses or CIDRs. Unset or empty: none, so no client can claim another address.
 */
const trustProxy = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((e) => e.trim()).filter(Boolean) : []),
  z.array(z.string().refine(isProxyEntry, {
    error: (iss) => `"${String(iss.input)}" is not a proxy address: give addresses or CIDRs (10.0.0.5, 10.0.0.0/8, ::1) or loopback, linklocal, uniquelocal`,
  })).max(100),
);

const schema = z.object({
  /**
   * The one production switch: secure session cookies, no demo data unless asked for, no generated
   * data key. Every part of the platform reads `config.production`, never NODE_ENV.
   */
  GONGZHI_ENV: z.enum(['development', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  /** Connections to the PostgreSQL server per process (PGlite has one). */
  GONGZHI_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  GONGZHI_DATA_DIR: z.string().default('./data'),
  GONGZHI_ADMIN_PASSWORD: z.string().min(8).optional(),
  /** 32-byte key (hex or base64) for AES-256-GCM of personal data; generated into the data folder when absent. */
  GONGZHI_DATA_KEY: z.string().optional(),
  GONGZHI_SESSION_HOURS: z.coerce.number().positive().default(12),
  GONGZHI_SCHEDULER_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** 自动派单: a new case is dispatched by the system when the text model's top confidence reaches this; unset = off. */
  GONGZHI_AUTO_DISPATCH_THRESHOLD: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().min(0.5).max(1).optional()),
  /** Retrain the text model once this many cases closed since it last learnt (checked every 10 minutes); 0 = never. */
  GONGZHI_RETRAIN_EVERY: z.coerce.number().int().min(0).default(50),
  /** Closed cases a text model must have learnt from before category suggestions come from it rather than the category tree. */
  GONGZHI_SUGGEST_MIN_CASES: z.coerce.number().int().min(0).default(100),
  /** A folder of case-type documents (*.json: a definition and its categories) added to the built-in types. */
  GONGZHI_CASE_TYPES_DIR: z.string().optional(),
  /** Where residents' one-time sign-in codes are sent: an HTTP endpoint of the SMS gateway (POST {phone, text}). Unset: development logs the code; production turns resident sign-in off. */
  GONGZHI_SMS_WEBHOOK: z.string().url().optional(),
  /** Owner connection for migrations and grants (PostgreSQL); the app itself connects as DATABASE_URL's runtime role. */
  GONGZHI_OWNER_DATABASE_URL: z.string().optional(),
  /** Event delivery: how often each process looks for new outbox events (writes in this process are seen at once). */
  GONGZHI_EVENTS_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(250),
  /** How often open event streams re-check their sessions (revoked, expired, user deactivated) made in other processes. */
  GONGZHI_STREAM_CHECK_SECONDS: z.coerce.number().positive().max(3600).default(5),
  /** Retention policy, applied by the housekeeping job (src/platform/housekeeping.ts). */
  GONGZHI_OUTBOX_RETENTION_DAYS: z.coerce.number().positive().default(7),
  GONGZHI_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().positive().default(7),
  GONGZHI_SESSION_RETENTION_DAYS: z.coerce.number().positive().default(30),
  GONGZHI_HOUSEKEEPING_INTERVAL_MINUTES: z.coerce.number().positive().default(60),
  /** Attachments: a folder (default $GONGZHI_DATA_DIR/files), or S3-compatible storage when GONGZHI_S3_BUCKET is set. */
  GONGZHI_FILES_DIR: z.string().optional(),
  GONGZHI_S3_BUCKET: z.string().min(3).max(63).optional(),
  GONGZHI_S3_ENDPOINT: z.string().url().optional(),
  GONGZHI_S3_REGION: z.string().default('us-east-1'),
  GONGZHI_S3_ACCESS_KEY_ID: z.string().optional(),
  GONGZHI_S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Path-style URLs (http://host/bucket/key), as MinIO and most self-hosted servers want; default on when an endpoint is set. */
  GONGZHI_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** Key prefix inside the bucket, so several deployments can share one bucket. */
  GONGZHI_S3_PREFIX: z.string().max(200).regex(/^[\w\-./]*$/).default(''),
  GONGZHI_TRUST_PROXY: trustProxy,
  /** The address users reach the platform at; an https:// address marks every request as HTTPS (Secure cookies, HSTS). */
  GONGZHI_PUBLIC_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/, error: 'GONGZHI_PUBLIC_URL must be an http:// or https:// address' }).optional()),
  /** A Redis server shared by all processes for rate limits; without it each process counts alone, in memory. */
  GONGZHI_REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^rediss?$/, error: 'GONGZHI_REDIS_URL must be a redis:// or rediss:// address' }).optional()),
  /** Prefix of this installation's keys in that Redis, so that several can share one server. */
  GONGZHI_REDIS_PREFIX: z.string().regex(/^[\w:.-]{0,64}$/, 'letters, digits and : . - _ only').default('gongzhi:'),
  /** Sensor readings over MQTT (Mosquitto, EMQX …), e.g. mqtt://127.0.0.1:1883; unset = no MQTT ingestion. */
  GONGZHI_MQTT_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^mqtts?:\/\/|^wss?:\/\//, 'an mqtt://, mqtts://, ws:// or wss:// URL').optional()),
  /** The first level of the sensor topics (<root>/<district code>/sensors/<device code>), and the shared subscription's group. */
  GONGZHI_MQTT_TOPIC: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, dash and underscore').default('gongzhi'),
  /** Readings written per batch (COPY on PostgreSQL). */
  GONGZHI_SENSOR_BATCH: z.coerce.number().int().min(10).max(100_000).default(5000),
  /** Days of sensor readings kept (whole day partitions are dropped on PostgreSQL). */
  GONGZHI_SENSOR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How often time-based early-warning rules (offline sensors, overdue follow-ups) are evaluated. */
  GONGZHI_RISK_TICK_SECONDS: z.coerce.number().positive().max(3600).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema> & {
  dataDir: string;
  /** GONGZHI_ENV=production */
  production: boolean;
  /** The MQTT URL is the demo's default (no broker is a normal state): say so once, then retry quietly. */
  mqttQuiet?: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // one line per language: the command line prints it as it is
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new BilingualError({ zh: `配置无效（环境变量）：${issues}`, en: `Invalid configuration: ${issues}` });
  }
  const production = parsed.data.GONGZHI_ENV === 'production';
  // A key generated into the data folder is a development convenience: in production it would be lost
  // with the folder, and every sealed ID number, name and phone with it.
  if (production && !parsed.data.GONGZHI_DATA_KEY) {
    throw new BilingualError({
      zh: '配置无效（环境变量）：GONGZHI_DATA_KEY：生产模式（GONGZHI_ENV=production）必须设置（32 字节，十六进制或 base64；请在安全处留存副本）',
      en: 'Invalid configuration: GONGZHI_DATA_KEY: required when GONGZHI_ENV=production (32 bytes, hex or base64; keep a copy in a safe place)',
    });
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.GONGZHI_DATA_DIR), production };
}
