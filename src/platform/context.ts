// The services every module receives. Plain data and functions; no HTTP types.
import type { Db } from './db/index.ts';
import type { Config } from './config.ts';
import type { PersonalDataCipher } from './crypto.ts';
import type { EventHub } from './events/index.ts';
import type { Attachments } from './files/service.ts';
import type { CalendarConfig } from './calendar/index.ts';
import type { Logger } from 'pino';
import type { Abilities } from './policy.ts';

export interface AppContext {
  db: Db;
  config: Config;
  cipher: PersonalDataCipher;
  events: EventHub;
  /** Attachments: metadata in the database, bytes in the file store. */
  files: Attachments;
  /** Working-time calendar (hours, administrators' overrides); reloaded when settings change. */
  calendar: CalendarConfig;
  /** The clock; tests move it to cross holidays and deadlines. */
  now: () => Date;
  log: Logger;
  /** Every module's policy, for GET /api/v1/auth/me. */
  abilities: Abilities;
}
