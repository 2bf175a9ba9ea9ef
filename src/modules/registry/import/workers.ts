// A small pool of row-checking worker threads. Batches are handed out round-robin and their results
// come back in submission order (the pipeline keeps several batches in flight).
import { Worker } from 'node:worker_threads';
import type { HeaderMap } from './columns.ts';
import type { BatchResult, RowProcessor } from './pipeline.ts';
import type { RowEnvData } from './rows.ts';

export class RowWorkers implements RowProcessor {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { ok: (r: BatchResult) => void; no: (e: Error) => void }>();
  private next = 0;
  private seq = 0;
  readonly depth: number;

  constructor(count: number, dataKey: Buffer, data: RowEnvData, map: HeaderMap, headerLength: number) {
    const entry = new URL('./worker-entry.mjs', import.meta.url);
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(entry, { workerData: { data, dataKey: new Uint8Array(dataKey), map, headerLength } });
      w.on('message', (m: { id: number } & BatchResult) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.ok({ ok: m.ok.map((x) => ({ ...x, literals: [] })), lines: m.lines, errors: m.errors });
      });
      w.on('error', (e) => { for (const p of this.pending.values()) p.no(e); this.pending.clear(); });
      return w;
    });
    this.depth = count * 4;
  }

  process(batch: string[][], firstRow: number): Promise<BatchResult> {
    const id = this.seq++;
    const w = this.workers[this.next++ % this.workers.length];
    return new Promise((ok, no) => {
      this.pending.set(id, { ok, no });
      w.postMessage({ id, batch, firstRow });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
