// One Server-Sent-Event stream: replays what a resuming client missed, then the live events the actor
// may see, each with its delivery position as the SSE id; ends when the session does.
import type { ServerResponse } from 'node:http';
import type { Actor } from '../auth/actor.ts';
import type { SessionEnd } from '../auth/service.ts';
import { eventVisibleTo, type DomainEvent, type EventHub } from './index.ts';

/** A resuming client gets at most this many positions replayed; further behind, it is told to reload. */
export const MAX_REPLAY = 1000;
/** Bytes queued for a client that does not read; past this the stream ends and the client resumes later. */
const MAX_BUFFERED = 4 * 1024 * 1024;
const PING_MS = 25_000;

export type ResetReason = 'too_far_behind' | 'expired';

export class EventStream {
  /** Positions up to here have been dealt with: sent, or not visible to the actor. */
  private floor: number;
  private replaying = true;
  private queue: DomainEvent[] = [];
  private ended = false;
  private unsubscribe: () => void = () => {};
  private ping: NodeJS.Timeout | null = null;
  private onEnd: Array<() => void> = [];

  constructor(private res: ServerResponse, public actor: Actor, private hub: EventHub, after: number | null) {
    this.floor = after ?? 0;
  }

  /** Subscribes, replays (after, current position], then goes live. */
  async open(after: number | null): Promise<void> {
    this.write('retry: 3000\n: connected\n\n');
    this.unsubscribe = this.hub.subscribe({
      onEvent: (e) => { if (this.replaying) this.queue.push(e); else this.send(e); },
      onGap: () => this.reset('expired'),
    });
    const upTo = this.hub.position;
    if (after == null) this.floor = upTo;
    else if (after < upTo) await this.replay(after, upTo);
    for (const e of this.queue) this.send(e);
    this.queue = [];
    this.replaying = false;
    this.ping = setInterval(() => this.write(`id: ${Math.max(this.floor, this.hub.position)}\n: ping\n\n`), PING_MS);
    this.ping.unref();
  }

  private async replay(after: number, upTo: number): Promise<void> {
    const oldest = await this.hub.oldestPosition();
    if (upTo - after > MAX_REPLAY) return this.reset('too_far_behind', upTo);
    if (oldest == null || oldest > after + 1) return this.reset('expired', upTo);
    for (const e of await this.hub.read(after, upTo, MAX_REPLAY)) this.send(e);
    this.floor = Math.max(this.floor, upTo);
  }

  /** The client missed events it cannot be given: it reloads what it shows, and carries on from here. */
  private reset(reason: ResetReason, position = this.hub.position): void {
    this.floor = Math.max(this.floor, position);
    this.write(`id: ${this.floor}\nevent: reset\ndata: ${JSON.stringify({ reason })}\n\n`);
  }

  private send(e: DomainEvent): void {
    if (e.position <= this.floor) return;
    this.floor = e.position;
    if (!eventVisibleTo(this.actor, e)) return;
    this.write(`id: ${e.position}\nevent: ${e.topic}\ndata: ${JSON.stringify({ ...e.payload, at: e.createdAt })}\n\n`);
  }

  private write(chunk: string): void {
    if (this.ended) return;
    this.res.write(chunk);
    // a client that stops reading is let go; it resumes from its last id when it reconnects
    if (this.res.writableLength > MAX_BUFFERED) this.close();
  }

  /** Tells the client why and ends the stream (the session is over: EventSource's reconnect then gets 401). */
  endSession(reason: SessionEnd): void {
    this.write(`event: session_ended\ndata: ${JSON.stringify({ reason })}\n\n`);
    this.close();
  }

  whenEnded(fn: () => void): void { if (this.ended) fn(); else this.onEnd.push(fn); }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe();
    if (this.ping) clearInterval(this.ping);
    this.res.end();
    for (const fn of this.onEnd.splice(0)) fn();
  }
}
