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
