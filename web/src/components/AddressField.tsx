// The address box of every intake form: searches the standard address library as you type (the
// geocoder), each suggestion with its full path 街道 / 社区 / 网格; picking one places the case (its grid
// and point) through `onPlace`. Typing without picking is fine too: the server places the case by the
// address when no point is given.
import { useEffect, useRef, useState } from 'react';
import { AutoComplete, Input, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { api } from '../api/client.ts';
import { useI18n } from '../i18n/index.tsx';

export interface PathItem { code: string; name: string; level: string }
export interface GeoCandidate {
  label: string; regionCode: string; regionPath: PathItem[]; lat: number | null; lng: number | null; score: number; kind: string;
}

/** 合阳城街道 / 营盘街社区 / 第2网格 (below the district). */
export function pathText(path: PathItem[] | undefined): string {
  return (path ?? []).filter((p) => p.level === 'street' || p.level === 'community' || p.level === 'grid').map((p) => p.name).join(' / ');
}

export function AddressField({ id, value, onChange, onPlace, geocodeUrl = '/api/v1/geocode', placeholder, near }: {
  id?: string; value?: string; onChange?(v: string): void; onPlace?(c: GeoCandidate): void;
  geocodeUrl?: string; placeholder?: string; near?: { lat: number; lng: number } | null;
}) {
  const { t } = useI18n();
  const [options, setOptions] = useState<GeoCandidate[]>([]);
  // the last search could not reach the server: say so, not 「无匹配」
  const [failed, setFailed] = useState(false);
  const timer = useRef<number | null>(null);
  const seq = useRef(0);

  useEffect(() => () => { if (timer.current) window.clearTimeout(timer.current); }, []);

  const search = (q: string) => {
    if (timer.current) window.clearTimeout(timer.current);
    const text = q.trim();
    if (text.length < 2) { setOptions([]); return; }
    const mine = ++seq.current;
    timer.current = window.setTimeout(() => {
      api<{ candidates: GeoCandidate[] }>(geocodeUrl, { query: { q: text.slice(0, 200), limit: 6, near: near ? `${near.lat},${near.lng}` : undefined } })
        .then((r) => { if (mine === seq.current) { setFailed(false); setOptions(r.candidates); } }, (e: unknown) => {
          if (mine !== seq.current) return;
          setFailed((e as { status?: number })?.status === 0);
          setOptions([]);
        });
    }, 150);
  };

  return (
    <AutoComplete id={id} value={value} data-testid="address-field"
      onChange={(v) => onChange?.(v)}
      onSearch={search}
      onSelect={(_, option) => {
        const c = options[Number((option as { key?: string }).key)];
        if (!c) return;
        // the standard address in full (街道 + 社区 + the address); a division alone keeps what was typed
        const within = c.regionPath.filter((p) => p.level === 'street' || p.level === 'community').map((p) => p.name).join('');
        onChange?.(c.kind === 'region' ? (value ?? c.label).replace(/#\d+$/, '') : c.label.startsWith(within) ? c.label : `${within}${c.label}`);
        onPlace?.(c);
      }}
      options={options.map((c, i) => ({
        key: String(i), value: `${c.label}#${i}`,
        label: (
          <div data-testid="address-option">
            <EnvironmentOutlined style={{ marginRight: 6 }} />
            <Typography.Text strong>{c.label}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{pathText(c.regionPath) || t('geo.noPath')}</Typography.Text>
          </div>
        ),
      }))}
      notFoundContent={value && value.trim().length >= 2 ? (failed ? <span role="alert">{t('common.lookupNetworkError')}</span> : t('geo.noMatch')) : null}
    >
      <Input maxLength={300} placeholder={placeholder ?? t('geo.placeholder')} allowClear />
    </AutoComplete>
  );
}

/**
 * Whether a typed address and a map point disagree: the address's best candidate names a community (or
 * only a street) and the point lies outside it. Re-checked (debounced) as either changes; null while they agree or cannot
 * be compared.
 */
export function useAddressMismatch(address: string | undefined, loc: { lat?: number; gridCode?: string; regionCode?: string; gridName?: string; path?: PathItem[]; byAddress?: boolean } | undefined,
  geocodeUrl = '/api/v1/geocode'): { address: string; picked: string; level: string } | null {
  const [result, setResult] = useState<{ address: string; picked: string; level: string } | null>(null);
  const pointCode = loc?.lat != null && !loc.byAddress ? (loc.gridCode ?? loc.regionCode) : undefined;
  const pickedName = loc?.path?.length ? pathText(loc.path) : loc?.gridName;
  useEffect(() => {
    const text = address?.trim();
    if (!text || text.length < 2 || !pointCode || pointCode.length < 12) { setResult(null); return; }
    let live = true;
    const timer = window.setTimeout(() => {
      api<{ candidates: GeoCandidate[] }>(geocodeUrl, { query: { q: text.slice(0, 200), limit: 1 } }).then((r) => {
        if (!live) return;
        const best = r.candidates[0];
        // the deepest division the address names: its community, else its street (镇/街道)
        const named = best?.regionPath.find((p) => p.level === 'community') ?? best?.regionPath.find((p) => p.level === 'street');
        if (!best || !named || pointCode.startsWith(named.code)) { setResult(null); return; }
        setResult({ address: pathText(best.regionPath.filter((p) => p.level !== 'grid')), picked: pickedName ?? pointCode, level: named.level });
      }, () => { if (live) setResult(null); });
    }, 300);
    return () => { live = false; window.clearTimeout(timer); };
  }, [address, pointCode, pickedName, geocodeUrl]);
  return result;
}

/** A region's full path 街道 / 社区 / 网格 (from its ancestors), for every place a location is confirmed. */
export function RegionPathText({ code, fallback }: { code: string; fallback?: string }) {
  const [path, setPath] = useState<PathItem[] | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all([
      api<{ items: Array<{ code: string; shortName: string; level: string }> }>(`/api/v1/regions/${code}/ancestors`),
      api<{ code: string; shortName: string; level: string }>(`/api/v1/regions/${code}`),
    ]).then(([a, self]) => {
      if (live) setPath([...a.items, self].map((r) => ({ code: r.code, name: r.shortName, level: r.level })));
    }, () => undefined);
    return () => { live = false; };
  }, [code]);
  const text = pathText(path ?? undefined);
  return <span data-testid="region-path">{text || fallback || code}</span>;
}
