// 巡查: start a patrol, walk (the phone's GPS points are posted every few seconds; without a connection
// they wait on the phone), stop. The map shows the grid, the track and the grid cells it covered.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Row, Statistic, Typography } from 'antd';
import { PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { fieldError } from './errors.ts';
import { formatDistance, formatPercent } from '../../lib/format.ts';
import { isNetworkError, loadDraft, saveDraft, useOnline } from '../../lib/offline.ts';
import { LazyMap, type FC } from '../../components/map/index.tsx';
import type { PatrolSession } from './types.ts';

const SEND_EVERY_MS = 10_000;
const LOCATION_STALE_MS = 30_000;
type Pt = { lat: number; lng: number; at: string; accuracy?: number };

export default function Patrol() {
  const { t, locale } = useI18n();
  const online = useOnline();
  const [session, setSession] = useState<PatrolSession | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [noFix, setNoFix] = useState(false);
  const buffer = useRef<Pt[]>([]);
  const [waiting, setWaiting] = useState(0);
  const sending = useRef(false);

  const refresh = useCallback(async (id?: number) => {
    try {
      const s = id ? await api<PatrolSession>(`/api/v1/fieldwork/patrols/${id}`) : (await api<{ patrol: PatrolSession | null }>('/api/v1/fieldwork/patrols/current')).patrol;
      setSession(s);
    } catch (e) {
      if (!isNetworkError(e)) setError(fieldError(e, t));
    } finally {
      setLoaded(true);
    }
  }, []);
  useEffect(() => {
    void loadDraft('patrol-points').then((v) => { buffer.current = ((v?.points as Pt[]) ?? []); setWaiting(buffer.current.length); }).catch(() => undefined);
    void refresh();
  }, [refresh]);

  const flush = useCallback(async () => {
    if (!session?.open || sending.current || !buffer.current.length || !navigator.onLine) return;
    sending.current = true;
    const batch = buffer.current.slice(0, 500);
    try {
      await api(`/api/v1/fieldwork/patrols/${session.id}/points`, { body: { points: batch } });
      buffer.current = buffer.current.slice(batch.length);
      setWaiting(buffer.current.length);
      void saveDraft('patrol-points', { points: buffer.current });
      await refresh(session.id);
    } catch (e) {
      if (!isNetworkError(e)) setError(fieldError(e, t));
    } finally {
      sending.current = false;
    }
  }, [session, refresh]);

  // while a patrol is open: follow the GPS, and post what was gathered every few seconds
  useEffect(() => {
    if (!session?.open || !navigator.geolocation) return;
    // a passing timeout or 'position unavailable' while the GPS settles is no failure: the track records on.
    // Say so only when positions really fail — permission refused, or no fix for LOCATION_STALE_MS — and
    // take the note back with the next fix.
    let lastFix = Date.now();
    const watch = navigator.geolocation.watchPosition((p) => {
      lastFix = Date.now();
      setNoFix(false);
      buffer.current.push({ lat: p.coords.latitude, lng: p.coords.longitude, at: new Date(p.timestamp || Date.now()).toISOString(), ...(p.coords.accuracy != null ? { accuracy: Math.round(p.coords.accuracy) } : {}) });
      setWaiting(buffer.current.length);
      void saveDraft('patrol-points', { points: buffer.current });
    }, (e) => {
      if (e.code === e.PERMISSION_DENIED || Date.now() - lastFix > LOCATION_STALE_MS) setNoFix(true);
    }, { enableHighAccuracy: true, maximumAge: 0 });
    const timer = setInterval(() => { void flush(); }, SEND_EVERY_MS);
    return () => { navigator.geolocation.clearWatch(watch); clearInterval(timer); };
  }, [session?.open, session?.id, flush, t]);
  useEffect(() => { if (online) void flush(); }, [online, flush]);

  const start = async () => {
    setBusy(true); setError(null);
    try {
      const here = await new Promise<GeolocationPosition | null>((resolve) => navigator.geolocation
        ? navigator.geolocation.getCurrentPosition(resolve, () => resolve(null), { enableHighAccuracy: true, timeout: 10_000 }) : resolve(null));
      const s = await api<PatrolSession>('/api/v1/fieldwork/patrols', { body: here ? { lat: here.coords.latitude, lng: here.coords.longitude } : {} });
      buffer.current = []; setWaiting(0); void saveDraft('patrol-points', { points: [] });
      setSession(s);
    } catch (e) {
      setError(fieldError(e, t));
    } finally { setBusy(false); }
  };
  const stop = async () => {
    if (!session) return;
    setBusy(true); setError(null);
    try {
      await flush();
      if (buffer.current.length) throw new Error(t('fw.patrol.pointsWaiting'));
      const stopped = await api<PatrolSession>(`/api/v1/fieldwork/patrols/${session.id}/stop`, { body: {} });
      // points the GPS gave after the last send belong to no patrol any more
      buffer.current = []; setWaiting(0); void saveDraft('patrol-points', { points: [] });
      setSession(stopped);
    } catch (e) {
      setError(fieldError(e, t));
    } finally { setBusy(false); }
  };

  const grids = useMemo<FC | null>(() => (session?.grid ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: session.grid.code, name: session.grid.name, shortName: session.grid.name }, geometry: session.grid.geometry }] } : null), [session?.grid]);
  const lines = useMemo<FC | null>(() => (session && session.track.length > 1
    ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: session.track.map((p) => [p.lng, p.lat]) } }] } : null), [session]);
  const cells = useMemo<FC | null>(() => (session?.coverage ? {
    type: 'FeatureCollection',
    features: session.coverage.boxes.map(([w, s, e, n]) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } })),
  } : null), [session]);

  return (
    <div className="gz-mobile-form" data-testid="patrol-page" data-state={session?.open ? 'open' : session ? 'stopped' : 'none'}>
      {session?.open
        ? <Button type="primary" danger size="large" block icon={<StopOutlined />} loading={busy} onClick={() => void stop()} className="gz-big-button" data-testid="patrol-stop">{t('fw.patrol.stop')}</Button>
        : <Button type="primary" size="large" block icon={<PlayCircleOutlined />} loading={busy || !loaded} onClick={() => void start()} className="gz-big-button" data-testid="patrol-start">{t('fw.patrol.start')}</Button>}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 10 }} role="alert" />}
      {noFix && session?.open && <Alert type="warning" showIcon title={t('fw.visit.noLocation')} style={{ marginTop: 10 }} role="alert" data-testid="patrol-no-fix" />}
      {session && (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }}>
            {session.open ? t('fw.patrol.walking') : t('fw.patrol.done')}{session.grid ? ` · ${session.grid.name}` : ''}
            {waiting > 0 && ` · ${t('fw.patrol.waiting', { n: waiting })}`}
          </Typography.Paragraph>
          <Row gutter={[8, 8]}>
            <Col span={8}><Card size="small"><Statistic title={t('fw.patrol.minutes')} value={session.minutes} /></Card></Col>
            <Col span={8}><Card size="small"><Statistic title={t('fw.patrol.distance')} value={formatDistance(session.distanceM, locale)} /></Card></Col>
            <Col span={8}><Card size="small" data-testid="patrol-coverage"><Statistic title={t('fw.patrol.coverage')} value={formatPercent(session.coverage?.share)} /></Card></Col>
          </Row>
          <div style={{ marginTop: 10 }} data-testid="patrol-points" data-points={session.pointCount}>
            <LazyMap ariaLabel={t('fw.patrol.map')} className="gz-patrol-map" grids={grids} highlight={session.grid?.code ?? null} lines={lines} cells={cells} fit="grids" />
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 6, fontSize: 12 }}>
            {t('fw.patrol.legend', { cells: session.coverage?.covered ?? 0, of: session.coverage?.cells ?? 0, m: session.coverage?.cellM ?? 0 })}
          </Typography.Paragraph>
        </>
      )}
      {!session && loaded && <Typography.Paragraph type="secondary" style={{ marginTop: 10 }}>{t('fw.patrol.hint')}</Typography.Paragraph>}
    </div>
  );
}
