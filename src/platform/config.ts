// Configuration from the environment, validated once at start-up.
import { z } from 'zod';
import { resolve } from 'node:path';

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
  /** A folder of case-type documents (*.json: a definition and its categories) added to the built-in types. */
  GONGZHI_CASE_TYPES_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema> & {
  dataDir: string;
  /** GONGZHI_ENV=production */
  production: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const production = parsed.data.GONGZHI_ENV === 'production';
  // A key generated into the data folder is a development convenience: in production it would be lost
  // with the folder, and every sealed ID number, name and phone with it.
  if (production && !parsed.data.GONGZHI_DATA_KEY) {
    throw new Error('Invalid configuration:\n  GONGZHI_DATA_KEY: required when GONGZHI_ENV=production (32 bytes, hex or base64; keep a copy in a safe place)');
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.GONGZHI_DATA_DIR), production };
}
