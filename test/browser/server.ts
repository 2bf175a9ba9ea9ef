// Starts the real platform the way a user does (`node bin/gongzhi.js start`) on a temporary data
// folder and a free port; the first start seeds the demo city.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ADMIN_PASSWORD = 'browser-admin-2026';
export const DEMO_PASSWORD = 'gongzhi-demo-2026';

/** logFile: the server's output, as it comes (tests read a development SMS code from it). */
export interface RunningServer { baseUrl: string; dataDir: string; startMs: number; mqttTopic: string; log: () => string; logFile: string; stop(): Promise<void> }

/** The local broker the server ingests sensor readings from (.ci/run starts Mosquitto). */
export const MQTT_URL = process.env.GONGZHI_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

/** How many browser-test files run at once, each worker with a server of its own (2 by default: a 2-core CI machine). */
export function browserWorkers(): number {
  const n = Number(process.env.GONGZHI_BROWSER_WORKERS ?? 2);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-browser-'));
  const port = await freePort();
  const started = Date.now();
  // a topic root of its own, so that other runs on the same broker share no subscription with this server
  const mqttTopic = `gz-browser-${port}-${process.pid}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/gongzhi.js', 'start'], {
    env: {
      ...process.env, GONGZHI_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', GONGZHI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn', GONGZHI_SCHEDULER_INTERVAL_MS: '5000', GONGZHI_MQTT_URL: MQTT_URL, GONGZHI_MQTT_TOPIC: mqttTopic, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const logDir = mkdtempSync(join(tmpdir(), 'gongzhi-browser-log-'));
  const logFile = join(logDir, 'server.log');
  child.stdout!.on('data', (d) => { out += d; appendFileSync(logFile, d); });
  child.stderr!.on('data', (d) => { out += d; appendFileSync(logFile, d); });
  const baseUrl = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    // a loaded CI machine seeds the demo city slowly: GONGZHI_TEST_SERVER_START_MS gives it longer
    const deadline = Date.now() + Number(process.env.GONGZHI_TEST_SERVER_START_MS ?? 240_000);
    const onExit = (code: number | null) => reject(new Error(`the server exited (${code}) before it was ready:\n${out}`));
    child.once('exit', onExit);
    const poll = async () => {
      if (out.includes('gongzhi is running')) {
        try {
          const r = await fetch(`${baseUrl}/healthz`);
          if (r.ok) { child.off('exit', onExit); resolve(); return; }
        } catch { /* not yet */ }
      }
      if (Date.now() > deadline) { child.kill('SIGKILL'); reject(new Error(`the server did not start in time:\n${out}`)); return; }
      setTimeout(poll, 250);
    };
    void poll();
  });
  return {
    baseUrl, dataDir, startMs: Date.now() - started, mqttTopic, log: () => out, logFile,
    async stop() {
      if (child.exitCode == null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode == null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
