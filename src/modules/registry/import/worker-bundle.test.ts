// Import workers start from a bundle of worker.ts (not through the tsx loader), made once and reused
// while its sources stay as they are.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerEntry } from './worker-bundle.ts';

describe('the import worker bundle', () => {
  it('is built into node_modules/.cache/gongzhi from worker.ts and its imports, and is what workers start from', async () => {
    const url = await workerEntry();
    expect(url.href).toMatch(/node_modules\/\.cache\/gongzhi\/import-worker-[0-9a-f]{16}\.mjs$/);
    const file = fileURLToPath(url);
    expect(existsSync(file)).toBe(true);
    const code = readFileSync(file, 'utf8');
    expect(code).toContain('src/modules/registry/import/rows.ts');
    expect(code).not.toMatch(/tsx/);
    expect(await workerEntry()).toBe(url);
  });
});
