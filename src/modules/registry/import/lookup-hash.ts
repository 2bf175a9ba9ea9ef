// The keyed lookup hash (HMAC-SHA256, platform/crypto.ts) for bulk imports, where every row needs two.
// createHmac sets up an OpenSSL HMAC context per call (≈ 1.8 µs here); HMAC is two SHA-256 hashes over
// the key's inner and outer pads (RFC 2104), and Node's one-shot crypto.hash does each in ≈ 0.3 µs.
// The pads are written into two buffers once; per value only the message and the inner digest are.
// The result is the platform's own lookupHash, bit for bit: it is compared on probe values before
// use, and the platform's function is kept when it differs or crypto.hash is missing (Node < 20.12).
import crypto, { hkdfSync } from 'node:crypto';

/** The key derivation of platform/crypto.ts createCipher for lookup hashes. */
const LOOKUP_INFO = 'gongzhi/lookup/v1';
const MAX_MESSAGE = 1024;
const PROBES = ['', ' 500117199001011234 ', '13812345678', '111:AB123456', '张三丰', 'x'.repeat(300), '\u{1F600}e\u0301'];

export function fastLookupHash(master: Buffer, reference: (value: string) => string): (value: string) => string {
  if (typeof crypto.hash !== 'function') return reference;
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), LOOKUP_INFO, 32));
  const inner = Buffer.alloc(64 + MAX_MESSAGE, 0x36); // key ⊕ ipad, then the message
  const outer = Buffer.alloc(64 + 32, 0x5c); // key ⊕ opad, then the inner digest
  for (let i = 0; i < key.length; i++) { inner[i] ^= key[i]; outer[i] ^= key[i]; }
  const hmac = (raw: string): string => {
    const value = raw.trim();
    if (value.length * 3 > MAX_MESSAGE) return reference(value); // UTF-8 needs at most 3 bytes per UTF-16 unit
    const n = inner.write(value, 64, 'utf8');
    // 'binary' (latin1) maps each byte of the digest to one char and back, without a Buffer per call
    outer.write(crypto.hash('sha256', inner.subarray(0, 64 + n), 'binary'), 64, 'binary');
    return crypto.hash('sha256', outer, 'base64url');
  };
  return PROBES.every((p) => hmac(p) === reference(p)) ? hmac : reference;
}
