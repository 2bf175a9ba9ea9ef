// Runs generated hostile requests (hostile.ts) against a platform and checks each answer: never a 5xx,
// every 4xx problem+json, and a refused write changes nothing (row count and largest id of every table).
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../../src/platform/db/index.ts';
import {
  answerProblem, injectOptions, requestFor, stateDiff, stateSnapshotter, writeOperations, type KnownIds, type Operation,
} from './hostile.ts';

export interface HostileRun {
  requests: number;
  byStatus: Record<number, number>;
  failures: string[];
}

export interface HostileOptions {
  http: FastifyInstance;
  db: Queryable;
  /** username → bearer token (null: anonymous) */
  tokens: Record<string, string | null>;
  /** logs a user in again when an administrator's generated edit ended their session */
  relogin?: (username: string) => Promise<string | null>;
  samplesPerOperation: number;
  seed: number;
  /** only these operations (all when absent) */
  filter?: (op: Operation) => boolean;
  onProgress?: (run: HostileRun) => void;
  /** called with each broken rule as it is found */
  onFailure?: (failure: string) => void;
}

/** Ids of existing records for each path parameter, read from the list endpoint above it. */
async function discoverIds(http: FastifyInstance, token: string | null, ops: Operation[], ownUsers: Set<string>): Promise<KnownIds> {
  const cache = new Map<string, string[]>();
  const list = async (url: string, param: string): Promise<string[]> => {
    const key = `${url}#${param}`;
    if (cache.has(key)) return cache.get(key)!;
    const r = await http.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    let ids: string[] = [];
    try {
      const body = JSON.parse(r.body);
      const items: any[] = Array.isArray(body) ? body : body.items ?? body.features?.map((f: any) => f.properties) ?? [];
      ids = items.filter((it) => it && !ownUsers.has(it.username))
        .map((it) => it[param] ?? it.id ?? it.code).filter((v) => v != null).slice(0, 8).map(String);
    } catch { /* not a list */ }
    cache.set(key, ids);
    return ids;
  };
  const known = new Map<string, string[]>();
  for (const op of ops) {
    let prefix = '';
    const segments = op.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const seg = segments[i];
      const m = /^\{(.+)\}$/.exec(seg);
      if (!m) { prefix += `/${seg}`; continue; }
      const ids = await list(prefix, m[1]);
      known.set(`${op.path}#${m[1]}`, ids);
      prefix += `/${ids[0] ?? '1'}`;
    }
  }
  return (path, param) => known.get(`${path}#${param}`) ?? [];
}

/** The state after the work a successful request started (an import job) has finished. */
async function settled(stateSnapshot: () => Promise<Record<string, string>>): Promise<Record<string, string>> {
  let prev = await stateSnapshot();
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const next = await stateSnapshot();
    if (!stateDiff(prev, next).length) return next;
    prev = next;
  }
  return prev;
}

/** A 401 saying the token no longer works (an earlier generated edit deactivated the account or changed its password). */
function sessionEnded(res: { statusCode: number; body: string }): boolean {
  if (res.statusCode !== 401) return false;
  try { return JSON.parse(res.body).code === 'unauthenticated'; } catch { return false; }
}

export async function runHostile(o: HostileOptions): Promise<HostileRun> {
  const doc = JSON.parse((await o.http.inject({ method: 'GET', url: '/openapi.json' })).body);
  const ops = writeOperations(doc).filter((op) => o.filter?.(op) ?? true);
  const users = Object.keys(o.tokens);
  const firstToken = Object.values(o.tokens).find((t) => t) ?? null;
  const known = await discoverIds(o.http, firstToken, ops, new Set(users));
  const run: HostileRun = { requests: 0, byStatus: {}, failures: [] };
  const stateSnapshot = stateSnapshotter(o.db);
  let state = await stateSnapshot();
  for (const [n, op] of ops.entries()) {
    // logout would end the run's own sessions: it is sent anonymously
    const who = op.path === '/api/v1/auth/logout' ? users.filter((u) => o.tokens[u] === null) : users;
    if (!who.length) continue;
    const samples = fc.sample(requestFor(op, who, known), { numRuns: o.samplesPerOperation, seed: o.seed + n });
    for (const s of samples) {
      const res = await o.http.inject(injectOptions(op, s, o.tokens[s.who]));
      run.requests++;
      run.byStatus[res.statusCode] = (run.byStatus[res.statusCode] ?? 0) + 1;
      const body = s.multipart ? `multipart ${s.multipart.map(([k]) => k).join(',').slice(0, 80)}` : JSON.stringify(s.payload)?.slice(0, 300);
      const what = `${op.method} ${op.path} as ${s.who} (seed ${o.seed + n}) ${s.url.slice(0, 160)} ${body ?? ''}`;
      const problem = answerProblem(res);
      const fail = (f: string) => { run.failures.push(f); o.onFailure?.(f); };
      if (problem) fail(`${what}: ${problem}`);
      if (res.statusCode >= 400) {
        const after = await stateSnapshot();
        const diff = stateDiff(state, after);
        if (diff.length) fail(`${what}: refused with ${res.statusCode} but changed ${diff.join('; ')}`);
        state = after;
        if (sessionEnded(res) && o.tokens[s.who] && o.relogin) {
          o.tokens[s.who] = await o.relogin(s.who);
          state = await stateSnapshot();
        }
      } else {
        state = await settled(stateSnapshot);
      }
    }
    o.onProgress?.(run);
  }
  return run;
}
