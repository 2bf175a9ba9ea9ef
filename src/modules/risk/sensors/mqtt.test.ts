// The demo subscribes to a broker that may not be running: no crash, one log line, and it keeps trying.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import pino from 'pino';
import { startMqtt } from './mqtt.ts';

/** A port nothing listens on (taken from the OS, then freed). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', () => ok()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((ok) => srv.close(() => ok()));
  return port;
}

describe('the MQTT subscription without a broker', () => {
  it('says once that none answers, keeps retrying, and stops cleanly', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'info' }, { write: (s: string) => { lines.push(JSON.parse(s)); } });
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const m = await startMqtt(url, 'gz-test', { acceptMessage: () => undefined }, log, { quiet: true, retryMs: 50 });
    // several attempts in this time; one line for all of them
    await new Promise((r) => setTimeout(r, 600));
    expect(m.connected()).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30 });
    expect(lines[0].msg).toContain(`no MQTT broker answers at ${url}`);
    await m.stop();
  });
});
