// Loads a GET endpoint into component state; reload() refetches (e.g. on a live event).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client.ts';

export interface Loaded<T> { data: T | null; error: ApiError | null; loading: boolean; reload(): void }

export function useApi<T>(path: string | null, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!!path);
  const [tick, setTick] = useState(0);
  const current = useRef(0);
  useEffect(() => {
    if (!path) { setLoading(false); return; }
    const ctrl = new AbortController();
    const n = ++current.current;
    setLoading(true);
    api<T>(path, { signal: ctrl.signal })
      .then((d) => { if (n === current.current) { setData(d); setError(null); } })
      .catch((e) => { if (n === current.current && e?.name !== 'AbortError') setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e?.message ?? e))); })
      .finally(() => { if (n === current.current) setLoading(false); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick, ...deps]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}
