// A small pool of row-checking worker threads. Batches are handed out round-robin and their results
// come back in submission order (the pipeline keeps several batches in flight).
import { Worker } from 'node:worker_threads';
import type { HeaderMap } from './columns.ts';
import type { BatchResult, RowProcessor } from './pipeline.ts';
import type { RowEnvData, RowOk } from './rows.ts';
import type { CsvDelimiter } from './chunks.ts';
import type { WorkerBatch, WorkerTask } from './batch.ts';

export class RowWorkers implements RowProcessor {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { ok: (r: BatchResult) => void; no: (e: Error) => void }>();
  private next = 0;
  private seq = 0;
  readonly depth: number;

  /** `entry`: the worker module (worker-bundle.ts) */
  constructor(entry: URL, count: number, dataKey: Buffer, data: RowEnvData, map: HeaderMap, headerLength: number) {
    this.workers = Array.from({ length: count }, () => {
      // a young generation larger than the default keeps a batch's short-lived objects out of the old one
      const w = new Worker(entry, { workerData: { data, dataKey: new Uint8Array(dataKey), map, headerLength }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
      w.on('message', (m: WorkerBatch) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        const keys = m.keys.split('\n');
        const values = m.keyValues.split('\n');
        const ok: RowOk[] = new Array(m.rows.length);
        for (let i = 0; i < m.rows.length; i++) {
          ok[i] = { row: m.rows[i], key: keys[i] || null, keyOf: { column: m.keyColumn, value: values[i] }, literals: [] };
        }
        p?.ok({ count: m.count, ok, copy: Buffer.from(m.copy), errors: m.errors });
      });
      w.on('error', (e) => { for (const p of this.pending.values()) p.no(e); this.pending.clear(); });
      return w;
    });
    this.depth = count * 4;
  }

  process(batch: string[][]): Promise<BatchResult> {
    return this.send((id) => ({ id, batch }));
  }

  processCsv(chunk: Buffer, delimiter: CsvDelimiter): Promise<BatchResult> {
    // a copy the worker owns (transferred, not cloned): the chunk is a view into a bigger read buffer
    const csv = new ArrayBuffer(chunk.length);
    chunk.copy(new Uint8Array(csv));
    return this.send((id) => ({ id, csv, delimiter }), [csv]);
  }

  private send(task: (id: number) => WorkerTask, transfer: ArrayBuffer[] = []): Promise<BatchResult> {
    const id = this.seq++;
    const w = this.workers[this.next++ % this.workers.length];
    return new Promise((ok, no) => {
      this.pending.set(id, { ok, no });
      w.postMessage(task(id), transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
