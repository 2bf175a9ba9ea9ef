// The CLI as a user runs it: `npx gongzhi <command>` from the project root.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gongzhi = (args: string[], env: Record<string, string> = {}) =>
  execFileSync('node', ['bin/gongzhi.js', ...args], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 });

describe('gongzhi CLI', () => {
  it('lists its commands', () => {
    const out = gongzhi(['--help']);
    for (const cmd of ['start', 'migrate', 'seed', 'classifier']) expect(out).toContain(cmd);
  });

  it('migrates an empty embedded database, and a second run finds it up to date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gz-cli-'));
    try {
      expect(gongzhi(['migrate'], { GONGZHI_DATA_DIR: dir })).toMatch(/applied: 0001_platform, 0002_cases/);
      expect(gongzhi(['migrate'], { GONGZHI_DATA_DIR: dir })).toMatch(/up to date/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid configuration with a clear message', () => {
    expect(() => gongzhi(['migrate'], { PORT: 'eighty' })).toThrow(/PORT/);
  });
});
