// Big-screen mode for the command centre wall: full screen, dark, refreshing itself every minute and
// on every live event. Laid out to fit one screen without scrolling.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, ConfigProvider, Space, theme } from 'antd';
import { ArrowLeftOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { useWorkflows } from '../lib/workflows.ts';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents, type LiveEvent } from '../lib/live.ts';
import { formatDateTime } from '../lib/format.ts';
import { Chart } from '../components/chart/index.tsx';
import { LazyMap } from '../components/map/index.tsx';
import { LanguageSwitch } from '../components/AppShell.tsx';
import { kpiList, trendOption, categoryOption } from './Dashboard.tsx';
import { pointsToGeoJSON, useGridLayer } from './MapPage.tsx';
import { AlertBanner } from '../components/Risk.tsx';
import type { CasePoint, Overview } from '../api/types.ts';

const REFRESH_MS = 60_000;

function Clock() {
  const { locale } = useI18n();
  const [now, setNow] = useState(new Date());
  useEffect(() => { const id = setInterval(() => setNow(new Date()), 1000); return () => clearInterval(id); }, []);
  return <span className="gz-clock">{formatDateTime(now.toISOString(), locale)}:{String(now.getSeconds()).padStart(2, '0')}</span>;
}

function useViewportHeight(): number {
  const [h, setH] = useState(window.innerHeight);
  useEffect(() => { const f = () => setH(window.innerHeight); window.addEventListener('resize', f); return () => window.removeEventListener('resize', f); }, []);
  return h;
}

export default function BigScreen() {
  const { t, pick } = useI18n();
  const workflows = useWorkflows();
  const me = useMe();
  const nav = useNavigate();
  const [params] = useSearchParams();
  const region = params.get('region') ?? me.regionCode;
  const overview = useApi<Overview>(`/api/v1/stats/overview?region=${region}&days=14`);
  const layer = useGridLayer(region, 'overdue', true);
  const points = useApi<{ items: CasePoint[] }>(`/api/v1/cases/points?region=${region}&open=true`);
  const [feed, setFeed] = useState<LiveEvent[]>([]);
  const [refreshedAt, setRefreshedAt] = useState(new Date());
  const vh = useViewportHeight();
  const body = Math.max(420, vh - 212); // below the title and the indicator row
  const refresh = () => { overview.reload(); layer.stats.reload(); points.reload(); setRefreshedAt(new Date()); };
  useEffect(() => {
    document.body.classList.add('gz-dark');
    const id = setInterval(refresh, REFRESH_MS);
    return () => { clearInterval(id); document.body.classList.remove('gz-dark'); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useLiveEvents((e) => { setFeed((f) => [e, ...f].slice(0, 8)); refresh(); }, 1500);
  const o = overview.data;
  const pointFc = useMemo(() => pointsToGeoJSON(points.data?.items), [points.data]);
  const chartH = Math.floor(body / 2) - 66;

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorPrimary: '#3b82f6' } }}>
      <div className="gz-bigscreen" data-testid="bigscreen">
        <header className="gz-bs-head">
          <h1>{t('big.title', { region: o?.region.name ?? '' })}</h1>
          <Space wrap>
            <Clock />
            <span className="gz-big-label" role="status" aria-live="polite">{t('big.refreshed', { at: refreshedAt.toLocaleTimeString() })}</span>
            <LanguageSwitch />
            <Button icon={<FullscreenOutlined />} onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>{t('big.fullscreen')}</Button>
            <Button icon={<ArrowLeftOutlined />} onClick={() => nav('/dashboard')}>{t('big.exit')}</Button>
          </Space>
        </header>
        <AlertBanner dark />
        <div className="gz-bs-kpis">
          {kpiList(o).map(([k, v, red]) => (
            <div className="gz-panel" data-kpi={k} key={k}>
              <div className="gz-big-label">{t(k)}</div>
              <div className="gz-big-number" style={red ? { color: '#ff6b5e' } : undefined}>{v}</div>
            </div>
          ))}
        </div>
        <div className="gz-bs-grid" style={{ height: body }}>
          <div className="gz-bs-col">
            <div className="gz-panel"><h2>{t('dash.trend')}</h2><Chart dark ariaLabel={t('dash.trend')} option={trendOption(o, t, true)} height={chartH} /></div>
            <div className="gz-panel"><h2>{t('dash.byCategory')}</h2><Chart dark ariaLabel={t('dash.byCategory')} option={categoryOption(o, pick, true, t('dash.other'))} height={chartH} /></div>
          </div>
          <div className="gz-panel gz-bs-map">
            <h2>{t('big.map')}</h2>
            <LazyMap dark className="gz-map-fill" ariaLabel={t('map.label')} grids={layer.coloured} colorStops={layer.stops} fit="grids" points={pointFc} cluster />
          </div>
          <div className="gz-bs-col">
            <div className="gz-panel">
              <h2>{t('big.ranking')}</h2>
              <ol className="gz-bs-rank">
                {[...(o?.byRegion ?? [])].sort((a, b) => b.overdue - a.overdue || b.open - a.open).slice(0, 6).map((r) => (
                  <li key={r.code}><span>{r.name}</span><span>{t('big.openOverdue', { open: r.open, overdue: r.overdue })}</span></li>
                ))}
              </ol>
            </div>
            <div className="gz-panel">
              <h2>{t('big.live')}</h2>
              <ul className="gz-bs-feed" aria-live="polite">
                {feed.length ? feed.map((e, i) => (
                  <li key={`${e.caseId}-${e.topic}-${i}`}>{e.caseNo} · {pick(workflows?.anyActionLabel(e.action ?? e.topic.replace('case.', '')), e.action ?? '')}</li>
                )) : <li className="gz-big-label">{t('big.waiting')}</li>}
              </ul>
            </div>
          </div>
        </div>
      </div>
    </ConfigProvider>
  );
}
