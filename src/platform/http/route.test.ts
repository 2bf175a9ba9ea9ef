// The input check that runs on every request: what it refuses, and where it says the fault is.
import { describe, expect, it } from 'vitest';
import { inputFault, MAX_INPUT_DEPTH } from './route.ts';

describe('inputFault', () => {
  it('passes clean input of every shape', () => {
    expect(inputFault({ title: '路灯不亮', n: 3, ok: true, none: null, tags: ['a', '', '𠮷田'], deep: { a: [{ b: 'c' }] } }, 'body')).toBeNull();
    expect(inputFault(undefined, 'query')).toBeNull();
  });

  it('names the field of a NUL or a lone surrogate, however deep', () => {
    expect(inputFault({ reporter: { name: 'a\u0000b' } }, 'body')).toMatchObject({ path: 'body.reporter.name', message: 'NUL characters are not allowed' });
    expect(inputFault({ items: [{ x: 1 }, { note: 'x\ud800' }] }, 'body')).toMatchObject({ path: 'body.items.1.note', zh: 'Unicode 编码有误（孤立的 UTF-16 代理项）' });
  });

  it('names a bad key by its parent and the key shown with U+FFFD', () => {
    expect(inputFault({ properties: { 'a\u0000b': 1 } }, 'body')).toMatchObject({ path: 'body.properties.a\uFFFDb', message: 'a key: NUL characters are not allowed' });
  });

  it('refuses nesting deeper than the limit, and only that', () => {
    const nest = (n: number): unknown => (n === 0 ? 'x' : { a: nest(n - 1) });
    expect(inputFault(nest(MAX_INPUT_DEPTH), 'body')).toBeNull();
    const fault = inputFault(nest(MAX_INPUT_DEPTH + 1), 'body');
    expect(fault?.message).toBe(`nested deeper than ${MAX_INPUT_DEPTH} levels`);
    expect(fault?.path).toBe(['body', ...Array(MAX_INPUT_DEPTH).fill('a')].join('.'));
  });
});
