// Loads a GET endpoint into component state; reload() refetches (e.g. on a live event).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api/client.ts';

export interface Loaded<T> { data: T | null; error: ApiError | null; loading: boolean; reload(): void }

export function useApi<T>(path: string | null, deps: unknown[] = []): Loaded<T> {
  // the data with the path it came from: while another path loads, the old rows stay (no flash on a page turn), but
  // when that load fails they go: a failed load of the inbox must not leave the case list's rows under its heading
  const [loaded, setLoaded] = useState<{ path: string; data: T } | null>(null);
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
      .then((d) => { if (n === current.current) { setLoaded({ path, data: d }); setError(null); } })
      .catch((e) => {
        if (n !== current.current || e?.name === 'AbortError') return;
        setLoaded((l) => (l && l.path !== path ? null : l));
        setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e?.message ?? e)));
      })
      .finally(() => { if (n === current.current) setLoading(false); });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, tick, ...deps]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  const data = loaded ? loaded.data : null;
  return { data, error, loading, reload };
}
