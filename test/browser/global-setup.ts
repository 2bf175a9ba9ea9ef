// Builds the console once and starts one server (seeding the demo city) for all browser test files.
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../src/platform/http/console-build.ts';
import { startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string; mqttTopic: string; serverLog: string }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = await ensureConsoleBuilt({ log: (m) => console.log(`[browser tests] ${m.trim()}`) });
  // the demo city, plus a district's own case type added as a document (物业投诉: docs/examples/case-types)
  const server = await startServer({ GONGZHI_CASE_TYPES_DIR: 'docs/examples/case-types' });
  console.log(`[browser tests] console build ${build.built ? `${(build.ms / 1000).toFixed(1)} s` : 'up to date'}; `
    + `server with a freshly seeded demo city ready in ${(server.startMs / 1000).toFixed(1)} s at ${server.baseUrl}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('mqttTopic', server.mqttTopic);
  project.provide('serverLog', server.logFile);
  return async () => { await server.stop(); };
}
