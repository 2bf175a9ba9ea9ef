// Warns when a similar open case already exists nearby (a likely duplicate).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { api, withQuery } from '../api/client.ts';
import { formatDistance } from '../lib/format.ts';
import type { SimilarCase } from '../api/types.ts';

export function SimilarWarning({ lat, lng, categoryCode, text }: { lat?: number; lng?: number; categoryCode?: string; text?: string }) {
  const { t, locale, pick } = useI18n();
  const [items, setItems] = useState<SimilarCase[]>([]);
  useEffect(() => {
    if (lat == null || lng == null || (!categoryCode && !text)) { setItems([]); return; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api<{ items: SimilarCase[] }>(withQuery('/api/v1/cases/similar', { lat, lng, categoryCode, text: text?.slice(0, 200) }), { signal: ctrl.signal })
        .then((r) => setItems(r.items ?? []), () => setItems([]));
    }, 400);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [lat, lng, categoryCode, text]);
  if (!items.length) return null;
  return (
    <Alert type="warning" showIcon role="alert" data-testid="similar-warning" style={{ marginBottom: 12 }}
      title={t('similar.title', { n: items.length })}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {items.slice(0, 5).map((s) => (
            <li key={s.id}>
              <Link to={`/cases/${s.id}`} target="_blank">{s.caseNo}</Link> {s.title} · {pick(s.stateLabel, s.state)} · {formatDistance(s.distanceMeters, locale)}
            </li>
          ))}
        </ul>
      } />
  );
}
