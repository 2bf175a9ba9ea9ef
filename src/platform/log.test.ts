import { describe, expect, it } from 'vitest';
import { safeError, scrubNumbers } from './log.ts';

describe('the error serializer', () => {
  it('drops the failing row and the parameters, and masks long numbers in messages', () => {
    const err = Object.assign(new Error('invalid input syntax for type bigint: "13911112222"'), {
      code: '22P02', detail: 'Failing row contains (500117199001011234)', params: ['13933334444'], where: 'x', query: 'SELECT $1',
    });
    const out = safeError(err);
    expect(out).toMatchObject({ code: '22P02', query: 'SELECT $1', message: 'invalid input syntax for type bigint: "[11 digits]"' });
    expect(JSON.stringify(out)).not.toMatch(/139\d{8}|500117199001011234/);
    expect(out.detail).toBeUndefined();
    expect(out.params).toBeUndefined();
    expect(scrubNumbers('ID 50011719900101123X')).toBe('ID [18 digits]');
  });
});
