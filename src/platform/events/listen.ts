// On PostgreSQL, hubs of other processes hear of new positions at once: outbox_assign_positions()
// sends NOTIFY gongzhi_outbox at commit, and each hub LISTENs on a connection of its own. Polling stays
// as the fallback (a lost connection, a notification missed while reconnecting), so nothing depends on it.
import pg from 'pg';

const CHANNEL = 'gongzhi_outbox';
const RETRY_MS = 2000;

export class OutboxListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly pool: pg.Pool, private readonly onNotify: () => void, private readonly onError: (err: unknown) => void) {}

  async start(): Promise<void> {
    if (this.stopped || this.client) return;
    const client = new pg.Client(this.pool.options as pg.ClientConfig);
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners();
      client.end().catch(() => {});
      if (this.stopped) return;
      if (err) this.onError(err);
      this.retry = setTimeout(() => { this.retry = null; void this.start(); }, RETRY_MS);
      this.retry.unref();
      this.onNotify(); // read once: a notification may have been missed meanwhile
    };
    this.client = client;
    client.on('notification', () => this.onNotify());
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      lost(err);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    if (c) { c.removeAllListeners(); c.on('error', () => {}); void c.end().catch(() => {}); }
  }
}
