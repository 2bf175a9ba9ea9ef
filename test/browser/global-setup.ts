// Builds the console once and starts one server (seeding the demo city) per browser-test worker: the files run
// two at a time (GONGZHI_BROWSER_WORKERS), each worker against a server of its own, so that two files never
// share a demo city (vitest.browser.config.ts).
import type { TestProject } from 'vitest/node';
import { ensureConsoleBuilt } from '../../src/platform/http/console-build.ts';
import { browserWorkers, startServer } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext { baseUrls: string[]; mqttTopics: string[]; serverLogs: string[] }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = await ensureConsoleBuilt({ log: (m) => console.log(`[browser tests] ${m.trim()}`) });
  // the demo city, plus a district's own case type added as a document (物业投诉: docs/examples/case-types)
  const servers = await Promise.all(Array.from({ length: browserWorkers() }, () => startServer({ GONGZHI_CASE_TYPES_DIR: 'docs/examples/case-types' })));
  console.log(`[browser tests] console build ${build.built ? `${(build.ms / 1000).toFixed(1)} s` : 'up to date'}; `
    + servers.map((s) => `server with a freshly seeded demo city ready in ${(s.startMs / 1000).toFixed(1)} s at ${s.baseUrl}`).join('; '));
  project.provide('baseUrls', servers.map((s) => s.baseUrl));
  project.provide('mqttTopics', servers.map((s) => s.mqttTopic));
  project.provide('serverLogs', servers.map((s) => s.logFile));
  return async () => { await Promise.all(servers.map((s) => s.stop())); };
}
