// Domain events: written to the outbox in the same transaction as the change; after commit a hub in
// each process reads new outbox rows and fans them out to Server-Sent-Event subscribers by scope.
// Polling the table (rather than an in-memory bus) keeps API processes stateless: every process
// sees every event, whichever process wrote it.
import type { Db, Queryable } from '../db/index.ts';
import type { Actor } from '../auth/actor.ts';
import { inPrefixes, scopePrefixes } from '../scope.ts';

export interface DomainEvent {
  id: number;
  topic: string;
  regionCode: string;
  unitIds: string[];
  userIds: number[];
  payload: Record<string, unknown>;
  createdAt: Date;
}

export async function appendEvent(tx: Queryable, e: {
  topic: string; regionCode: string; unitIds?: string[]; userIds?: number[]; payload: Record<string, unknown>;
}): Promise<void> {
  await tx.query(
    'INSERT INTO outbox (topic, region_code, unit_ids, user_ids, payload) VALUES ($1, $2, $3, $4, $5::jsonb)',
    [e.topic, e.regionCode, e.unitIds ?? [], e.userIds ?? [], JSON.stringify(e.payload)],
  );
}

export function eventVisibleTo(actor: Actor, e: Pick<DomainEvent, 'regionCode' | 'unitIds' | 'userIds'>): boolean {
  if (inPrefixes(e.regionCode, scopePrefixes(actor))) return true;
  if (actor.unitId && e.unitIds.includes(actor.unitId)) return true;
  return e.userIds.includes(actor.id);
}

type Listener = (e: DomainEvent) => void;

export class EventHub {
  private listeners = new Set<Listener>();
  private lastId = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private started = false;

  constructor(private db: Db, private intervalMs = 1000) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const [row] = await this.db.query<{ max: number | null }>('SELECT max(id) AS max FROM outbox');
    this.lastId = Number(row?.max ?? 0);
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscriberCount(): number { return this.listeners.size; }

  /** Called after a commit in this process so local subscribers see the change at once. */
  poke(): void { if (this.started && this.listeners.size) void this.poll(); }

  poll(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = (async () => {
      try {
        if (!this.listeners.size) {
          const [row] = await this.db.query<{ max: number | null }>('SELECT max(id) AS max FROM outbox');
          this.lastId = Math.max(this.lastId, Number(row?.max ?? 0));
          return;
        }
        const rows = await this.db.query<any>(
          'SELECT id, topic, region_code, unit_ids, user_ids, payload, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT 500',
          [this.lastId],
        );
        for (const r of rows) {
          this.lastId = Number(r.id);
          const e: DomainEvent = {
            id: Number(r.id), topic: r.topic, regionCode: r.region_code, unitIds: r.unit_ids ?? [],
            userIds: (r.user_ids ?? []).map(Number), payload: r.payload, createdAt: new Date(r.created_at),
          };
          for (const l of this.listeners) l(e);
        }
      } catch {
        // the next tick retries; a closed database during shutdown ends here
      } finally {
        this.polling = null;
      }
    })();
    return this.polling;
  }
}
