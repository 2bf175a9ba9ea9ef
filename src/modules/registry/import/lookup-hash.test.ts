// The import's lookup hash is the platform's keyed hash, bit for bit, for any key and value.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCipher } from '../../../platform/crypto.ts';
import { fastLookupHash } from './lookup-hash.ts';

describe('the import lookup hash', () => {
  it('equals the platform lookupHash for random keys and values: ID numbers, phones, other documents, long and padded values', () => {
    for (let k = 0; k < 5; k++) {
      const master = randomBytes(32);
      const platform = createCipher(master).lookupHash;
      const fast = fastLookupHash(master, platform);
      expect(fast).not.toBe(platform);
      const values = [
        '500117199001011234', '50011719900101123X', ' 13812345678 ', '113:E12345678', '', '\t', '林平之', 'A'.repeat(341), 'é'.repeat(400),
        ...Array.from({ length: 200 }, (_, i) => randomBytes(i % 60).toString(i % 2 ? 'base64' : 'latin1')),
      ];
      for (const v of values) expect(fast(v), JSON.stringify(v)).toBe(platform(v));
    }
  });

  it('keeps the given function when it is not the platform hash of this key', () => {
    const other = createCipher(randomBytes(32)).lookupHash;
    expect(fastLookupHash(randomBytes(32), other)).toBe(other);
  });
});
