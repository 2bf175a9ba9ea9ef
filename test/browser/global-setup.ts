// Builds the console once and starts one server (seeding the demo city) for all browser test files.
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../src/platform/http/console-build.ts';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string; mqttTopic: string }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = await ensureConsoleBuilt({ log: (m) => console.log(`[browser tests] ${m.trim()}`) });
  const server = await startServer();
  console.log(`[browser tests] console build ${build.built ? `${(build.ms / 1000).toFixed(1)} s` : 'up to date'}; `
    + `server with a freshly seeded demo city ready in ${(server.startMs / 1000).toFixed(1)} s at ${server.baseUrl}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('mqttTopic', server.mqttTopic);
  return async () => { await server.stop(); };
}
