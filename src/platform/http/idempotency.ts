// The Idempotency-Key header of a write: a retry with the same key gets the first answer instead of a second record.
import { badRequest } from '../errors.ts';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The Idempotency-Key header, validated (1–200 printable ASCII characters); undefined when absent. */
export function idempotencyKeyOf(headers: Record<string, unknown>): string | undefined {
  const raw = headers['idempotency-key'];
  if (raw == null) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (typeof key !== 'string' || !KEY.test(key)) throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1–200 printable ASCII characters.');
  return key;
}
