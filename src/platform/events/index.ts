// Domain events: written to the outbox in the same transaction as the change; after commit a hub in
// each process reads them in delivery order and fans them out to its subscribers (Server-Sent-Event
// streams, the point → grid index). Reading the table (rather than an in-memory bus) keeps API
// processes stateless: every process sees every event, whichever process wrote it.
//
// Delivery order is the outbox position (migration 0030): dense numbers handed out in commit order by
// outbox_assign_positions(). Every hub may call it; one session at a time does the work. A hub delivers
// positions one after another without skipping any, so a subscriber misses nothing unless the events
// expired before this process read them, and then it is told so (onGap). Other processes' events are
// found on an interval (GONGZHI_EVENTS_POLL_MS) and, on PostgreSQL, at once by LISTEN/NOTIFY.
import type { Db, Queryable } from '../db/index.ts';
import type { Actor } from '../auth/actor.ts';
import { inPrefixes, scopePrefixes } from '../scope.ts';
import { OutboxListener } from './listen.ts';

export interface DomainEvent {
  /** Delivery position: the event's place in commit order, and the SSE event id a client resumes from. */
  position: number;
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

export interface Subscriber {
  onEvent(e: DomainEvent): void;
  /** Positions first..last expired before this process read them: state kept from events must be rebuilt. */
  onGap?(first: number, last: number): void;
}

const EVENT_COLUMNS = 'pos, id, topic, region_code, unit_ids, user_ids, payload, created_at';

function toEvent(r: any): DomainEvent {
  return {
    position: Number(r.pos), id: Number(r.id), topic: r.topic, regionCode: r.region_code, unitIds: r.unit_ids ?? [],
    userIds: (r.user_ids ?? []).map(Number), payload: r.payload, createdAt: new Date(r.created_at),
  };
}

export interface HubOptions {
  /** How often to look for events written by other processes (ms). */
  intervalMs?: number;
  /** Least time between two looks caused by this process's own writes (ms): a burst of writes costs one. */
  minGapMs?: number;
  /** Events read per query. */
  pageSize?: number;
  /** Failures are reported here (a closed database during shutdown is not one). */
  onError?: (err: unknown) => void;
}

export class EventHub {
  private subscribers = new Set<Subscriber>();
  /** The last position delivered to subscribers; every event up to it has been delivered. */
  private cursor = 0;
  private initialised: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private lastTickAt = 0;
  private stopped = false;
  private listener: OutboxListener | null = null;
  private readonly intervalMs: number;
  private readonly minGapMs: number;
  private readonly pageSize: number;

  constructor(private db: Db, private opts: HubOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.minGapMs = opts.minGapMs ?? 20;
    this.pageSize = opts.pageSize ?? 500;
  }

  /**
   * Takes the current head as the starting point. Call it before loading state that events update
   * (the point → grid index), so that a change committed between the load and the first read is
   * delivered rather than lost.
   */
  init(): Promise<void> {
    this.initialised ??= (async () => {
      const [row] = await this.db.query<{ pos: number }>('SELECT pos FROM outbox_head');
      this.cursor = Number(row?.pos ?? 0);
    })();
    return this.initialised;
  }

  /** Starts reading: on an interval, soon after every poke(), and (PostgreSQL) when another process numbers events. */
  async start(): Promise<void> {
    await this.init();
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    if (this.db.pool) {
      this.listener = new OutboxListener(this.db.pool, () => this.poke(), (err) => this.opts.onError?.(err));
      await this.listener.start();
    }
  }

  get started(): boolean { return this.timer !== null; }

  stop(): void {
    this.stopped = true;
    this.listener?.stop();
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    this.subscribers.clear();
  }

  /** The last position delivered to subscribers. */
  get position(): number { return this.cursor; }

  /**
   * Every event after the current position goes to `s`, in order, once. Subscribing is synchronous, so
   * a caller that reads `position` right after knows exactly where its live events begin.
   */
  subscribe(s: Subscriber | ((e: DomainEvent) => void)): () => void {
    const sub: Subscriber = typeof s === 'function' ? { onEvent: s } : s;
    this.subscribers.add(sub);
    return () => { this.subscribers.delete(sub); };
  }

  get subscriberCount(): number { return this.subscribers.size; }

  /** Called after a commit in this process: numbers the new events and delivers them soon. */
  poke(): void {
    if (!this.timer || this.soon) return;
    const wait = Math.max(0, this.lastTickAt + this.minGapMs - Date.now());
    this.soon = setTimeout(() => { this.soon = null; void this.tick(); }, wait);
    this.soon.unref();
  }

  /** One round: number committed events, deliver everything after the cursor. Resolves after a round that began after the call. */
  tick(): Promise<void> {
    if (this.running) {
      this.queued ??= this.running.then(() => { this.queued = null; return this.tick(); });
      return this.queued;
    }
    this.running = this.round().finally(() => { this.running = null; this.lastTickAt = Date.now(); });
    return this.running;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.init();
      await this.db.query('SELECT outbox_assign_positions($1)', [this.pageSize * 4], { prepare: true });
      if (!this.subscribers.size) {
        // nobody listens here: skip ahead without reading the events
        const [row] = await this.db.query<{ pos: number }>('SELECT pos FROM outbox_head');
        this.cursor = Math.max(this.cursor, Number(row?.pos ?? 0));
        return;
      }
      for (;;) {
        const rows = await this.db.query<any>(
          `SELECT ${EVENT_COLUMNS} FROM outbox WHERE pos > $1 ORDER BY pos LIMIT $2`, [this.cursor, this.pageSize], { prepare: true });
        if (!rows.length || this.stopped) return;
        const first = Number(rows[0].pos);
        if (first !== this.cursor + 1) this.gap(this.cursor + 1, first - 1);
        for (const r of rows) {
          const e = toEvent(r);
          this.cursor = e.position;
          this.deliver(e);
        }
        if (rows.length < this.pageSize) return;
      }
    } catch (err) {
      // the cursor stays where it was: the next round reads the same events again
      if (!this.stopped) this.opts.onError?.(err);
    }
  }

  private deliver(e: DomainEvent): void {
    for (const s of [...this.subscribers]) {
      try { s.onEvent(e); } catch (err) { this.opts.onError?.(err); }
    }
  }

  private gap(first: number, last: number): void {
    for (const s of [...this.subscribers]) {
      try { s.onGap?.(first, last); } catch (err) { this.opts.onError?.(err); }
    }
  }

  /** Events with positions in (after, upTo], oldest first, at most `limit` (replay for a resuming client). */
  async read(after: number, upTo: number, limit: number): Promise<DomainEvent[]> {
    const rows = await this.db.query<any>(
      `SELECT ${EVENT_COLUMNS} FROM outbox WHERE pos > $1 AND pos <= $2 ORDER BY pos LIMIT $3`, [after, upTo, limit]);
    return rows.map(toEvent);
  }

  /** The oldest position still kept (housekeeping expires old events), or null when none is. */
  async oldestPosition(): Promise<number | null> {
    const [row] = await this.db.query<{ pos: number | null }>('SELECT min(pos) AS pos FROM outbox WHERE pos IS NOT NULL');
    return row?.pos == null ? null : Number(row.pos);
  }
}
