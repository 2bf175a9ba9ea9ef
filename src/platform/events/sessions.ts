// Open event streams end with their session: logout, revocation, expiry, the user deactivated.
// Changes made in this process (logout, an administrator's edit) are checked at once; changes made by
// another process are found by a check of every open stream's session on an interval, one query for all.
// The check also refreshes each stream's actor, so a changed role or region narrows what it is sent.
import type { Db } from '../db/index.ts';
import { onSessionChange, sessionStates, type SessionChange } from '../auth/service.ts';
import type { EventStream } from './stream.ts';

interface Watched { stream: EventStream; tokenHash: string; expiry: NodeJS.Timeout | null }

/** setTimeout's longest delay (about 24.8 days). */
const MAX_DELAY = 2 ** 31 - 1;

export class StreamSessions {
  private watched = new Set<Watched>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly offChange: () => void;

  constructor(private db: Db, private now: () => Date, private intervalMs: number, private onError: (err: unknown) => void) {
    this.offChange = onSessionChange((c) => { if (this.affects(c)) void this.check(); });
  }

  get size(): number { return this.watched.size; }

  /** Watches the stream's session until the stream ends; ends it at the session's expiry at the latest. */
  watch(stream: EventStream, tokenHash: string, expiresAt: Date): void {
    const delay = Math.min(MAX_DELAY, Math.max(0, expiresAt.getTime() - this.now().getTime()));
    const w: Watched = { stream, tokenHash, expiry: null };
    w.expiry = setTimeout(() => void this.check(), delay + 50);
    w.expiry.unref();
    this.watched.add(w);
    stream.whenEnded(() => {
      if (w.expiry) clearTimeout(w.expiry);
      this.watched.delete(w);
      if (!this.watched.size && this.timer) { clearInterval(this.timer); this.timer = null; }
    });
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.intervalMs);
      this.timer.unref();
    }
  }

  private affects(c: SessionChange): boolean {
    for (const w of this.watched) {
      if (c.tokenHash ? w.tokenHash === c.tokenHash : c.userId == null || w.stream.actor.id === c.userId) return true;
    }
    return false;
  }

  /** Reads every watched session; ends the streams whose session is over. Resolves after a check that began after the call. */
  check(): Promise<void> {
    if (this.checking) {
      this.queued ??= this.checking.then(() => { this.queued = null; return this.check(); });
      return this.queued;
    }
    this.checking = this.checkOnce().finally(() => { this.checking = null; });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const list = [...this.watched];
    if (!list.length) return;
    try {
      const states = await sessionStates(this.db, [...new Set(list.map((w) => w.tokenHash))], this.now());
      for (const w of list) {
        const s = states.get(w.tokenHash);
        if (!s) w.stream.endSession('revoked');
        else if (s.ended) w.stream.endSession(s.ended);
        else w.stream.actor = s.actor;
      }
    } catch (err) {
      this.onError(err); // the next check tries again; nothing is sent meanwhile that was not allowed before
    }
  }

  close(): void {
    this.offChange();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const w of [...this.watched]) w.stream.close();
  }
}
