import { describe, expect, it } from 'vitest';
import { createLogger, LazyChildLogger, safeError, scrubNumbers } from './log.ts';

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

describe('the request logger made on demand', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger('warn', { write: (l: string) => { lines.push(JSON.parse(l)); } });
    let children = 0;
    const child = log.child.bind(log);
    log.child = ((...a: Parameters<typeof child>) => { children++; return child(...a); }) as typeof log.child;
    return { log, lines, children: () => children };
  }

  it('writes what its parent writes, with the request id bound and personal data redacted', () => {
    const { log, lines, children } = capture();
    const req = new LazyChildLogger(log, { reqId: 'req-7' });
    req.info({ phone: '13812345678' }, 'below the level');
    req.debug('below the level');
    expect(lines).toEqual([]);
    expect(children()).toBe(0);
    req.error({ phone: '13812345678' }, 'unhandled error');
    req.warn('again');
    expect(children()).toBe(1);
    expect(lines).toMatchObject([
      { level: 50, reqId: 'req-7', phone: '[redacted]', msg: 'unhandled error' },
      { level: 40, reqId: 'req-7', msg: 'again' },
    ]);
    expect(req.level).toBe('warn');
  });
});
