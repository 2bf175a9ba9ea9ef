// Structured logs (pino) without personal data (DESIGN §5). Database errors carry what PostgreSQL
// says about the failing row (DETAIL "Failing row contains (…)"), and PGlite adds every parameter of
// the statement: names, reveal purposes, ciphertexts. The error serializer keeps what a developer
// needs (type, message, SQLSTATE, constraint, stack, the SQL text, which is parameterised) and drops
// the values; long digit runs (phone and ID numbers) are masked wherever a message quotes them.
import pino, { type DestinationStream, type Logger } from 'pino';

/** Error properties that quote the data of the failing statement. */
const VALUE_FIELDS = ['params', 'detail', 'where', 'internalQuery', 'hint', 'parameters', 'values'];

/** 11 or more digits (a phone number; an ID number, possibly ending in X): shown as their length only. */
const LONG_NUMBER = /\d{11,}[\dXx]?/g;
export const scrubNumbers = (s: string) => s.replace(LONG_NUMBER, (m) => `[${m.length} digits]`);

export function safeError(err: unknown): Record<string, unknown> {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  for (const f of VALUE_FIELDS) delete out[f];
  for (const f of ['message', 'stack']) if (typeof out[f] === 'string') out[f] = scrubNumbers(out[f] as string);
  return out;
}

/** Keys whose values are personal or secret wherever they appear in a logged object (two levels deep). */
const PERSONAL_KEYS = ['password', 'token', 'idNumber', 'phone', 'name', 'purpose', 'ownerName', 'ownerIdNumber', 'ownerPhone', 'legalRepName', 'contact', 'reporter'];

export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
        ...PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`])],
      censor: '[redacted]',
    },
    serializers: { err: safeError },
  }, stream);
}

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A child logger made only when something is logged through it at a level the parent writes. Fastify
 * makes a child of its logger for every request (to bind the request id); with redaction configured,
 * pino's child() costs ≈ 1.5 % of an intake's server CPU (bench/README.md), for a logger that at the
 * HTTP layer's level (warn) almost never writes.
 */
export class LazyChildLogger {
  private made?: Logger;
  constructor(private readonly parent: Logger, private readonly bindings: Record<string, unknown>, private readonly options: Record<string, unknown> = {}) {}
  private get real(): Logger { return (this.made ??= this.parent.child(this.bindings, this.options)); }
  private log(level: LevelName, args: unknown[]): void {
    if (this.made || this.parent.isLevelEnabled(level)) (this.real[level] as (...a: unknown[]) => void)(...args);
  }
  get level(): string { return this.made?.level ?? this.parent.level; }
  set level(level: string) { this.real.level = level; }
  fatal(...args: unknown[]): void { this.log('fatal', args); }
  error(...args: unknown[]): void { this.log('error', args); }
  warn(...args: unknown[]): void { this.log('warn', args); }
  info(...args: unknown[]): void { this.log('info', args); }
  debug(...args: unknown[]): void { this.log('debug', args); }
  trace(...args: unknown[]): void { this.log('trace', args); }
  silent(): void {}
  child(bindings: Record<string, unknown>, options?: Record<string, unknown>): Logger { return this.real.child(bindings, options); }
}
