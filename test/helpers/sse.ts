// A Server-Sent-Events client for tests: parses the stream as EventSource does (id, event, data; id-only
// blocks move the last id), records every event and whether the server ended the stream.
export interface SseEvent { id: string | null; event: string; data: any }

export interface SseClient {
  status: Promise<number>;
  events: SseEvent[];
  /** The last id the server sent, as EventSource would send it back in Last-Event-ID. */
  lastId: () => string | null;
  /** Resolves when the server ends the stream (or the request fails). */
  ended: Promise<void>;
  isEnded: () => boolean;
  close(): void;
  /** Waits until an event matches (polls every 20 ms); throws after `ms`. */
  waitFor(pred: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
}

export function openSse(url: string, headers: Record<string, string>): SseClient {
  const ctrl = new AbortController();
  const events: SseEvent[] = [];
  let last: string | null = null;
  let ended = false;
  let resolveStatus!: (s: number) => void;
  const status = new Promise<number>((ok) => { resolveStatus = ok; });
  const done = (async () => {
    try {
      const res = await fetch(url, { headers, signal: ctrl.signal });
      resolveStatus(res.status);
      if (res.status !== 200 || !res.body) return;
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buf += dec.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let id: string | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (id != null) last = id;
          if (data.length) events.push({ id, event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      resolveStatus(0);
    } finally {
      ended = true;
    }
  })();
  return {
    status, events, lastId: () => last, ended: done, isEnded: () => ended,
    close: () => ctrl.abort(),
    async waitFor(pred, ms = 5000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events.map((e) => [e.id, e.event]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
