// Big-screen mode for the command centre wall: full screen, dark, refreshing itself every minute and
// on every live event. Laid out in one viewport (1920×1080 down to 1366×768) without scrolling: the panels
// share what is left below the title and the indicators. Every indicator says its period and the count
// behind it; the live feed says what happened, where (street / community / grid) and when; a click on the
// map or the ranking drills down to that region's children.
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, ConfigProvider, Space, theme } from 'antd';
import { ArrowLeftOutlined, ArrowUpOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { formatClock, formatDateTime, formatFeedTime } from '../lib/format.ts';
import { Chart } from '../components/chart/index.tsx';
import { LazyMap, NoGridOutlines } from '../components/map/index.tsx';
import { LanguageSwitch } from '../components/AppShell.tsx';
import { KpiLabel, kpiItems, type KpiKey } from '../components/Kpi.tsx';
import { trendOption, categoryOption } from './Dashboard.tsx';
import { pointsToGeoJSON, useGridLayer } from './MapPage.tsx';
import { AlertBanner } from '../components/Risk.tsx';
import type { ActivityItem, CasePoint, Overview, Region } from '../api/types.ts';

const REFRESH_MS = 60_000;
const DAYS = 14;
const KPIS: KpiKey[] = ['kpi.todayIntake', 'kpi.todayClosed', 'kpi.open', 'kpi.overdue', 'kpi.onTimeRate', 'kpi.responseRate', 'kpi.resolutionRate', 'kpi.satisfaction'];

function Clock() {
  const { locale } = useI18n();
  const [now, setNow] = useState(new Date());
  useEffect(() => { const id = setInterval(() => setNow(new Date()), 1000); return () => clearInterval(id); }, []);
  return <span className="gz-clock">{formatDateTime(now.toISOString(), locale)}:{String(now.getSeconds()).padStart(2, '0')}</span>;
}

/** One step of the feed: when, what (the action, by which unit, on which case), where. */
function FeedItem({ e }: { e: ActivityItem }) {
  const { pick, locale } = useI18n();
  const unit = e.unit ? (locale === 'en' ? e.unit.nameEn || e.unit.name : e.unit.name) : null;
  return (
    <li>
      <div className="gz-feed-head">
        <time dateTime={e.at}>{formatFeedTime(e.at)}</time>
        <strong>{pick(e.actionLabel)}</strong>
        {unit && <span className="gz-feed-unit">{unit}</span>}
      </div>
      <div className="gz-feed-title" title={e.caseNo}>{e.title}</div>
      <div className="gz-feed-where">{e.place.map((p) => p.name).join(' / ')}</div>
    </li>
  );
}

export default function BigScreen() {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? me.regionCode;
  const overview = useApi<Overview>(`/api/v1/stats/overview?region=${region}&days=${DAYS}`);
  const current = useApi<Region>(`/api/v1/regions/${region}`);
  const layer = useGridLayer(region, 'overdue', true);
  const points = useApi<{ items: CasePoint[] }>(`/api/v1/cases/points?region=${region}&open=true`);
  const activity = useApi<{ items: ActivityItem[] }>(`/api/v1/stats/activity?region=${region}&limit=10`);
  const [refreshedAt, setRefreshedAt] = useState(new Date());
  const refresh = () => { overview.reload(); layer.stats.reload(); points.reload(); activity.reload(); setRefreshedAt(new Date()); };
  useEffect(() => {
    document.body.classList.add('gz-dark');
    const id = setInterval(refresh, REFRESH_MS);
    return () => { clearInterval(id); document.body.classList.remove('gz-dark'); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useLiveEvents(() => refresh(), 1500);
  const o = overview.data?.region.code === region ? overview.data : null; // never another region's figures while drilling
  const kpis = kpiItems(o, t);
  const pointFc = useMemo(() => pointsToGeoJSON(points.data?.items), [points.data]);
  const period = t('dash.lastDays', { n: DAYS });
  const drill = (code: string) => setParams(code === me.regionCode ? {} : { region: code });
  // a click on a grid opens the child region (street, community, grid) that holds it
  const drillToGrid = (gridCode: string) => {
    const child = o?.byRegion.find((r) => gridCode.startsWith(r.code) && r.code !== region);
    if (child) drill(child.code);
  };
  const parent = region !== me.regionCode && current.data?.parentCode && current.data.parentCode.startsWith(me.regionCode) ? current.data.parentCode : null;

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorPrimary: '#3b82f6' } }}>
      <div className="gz-bigscreen" data-testid="bigscreen">
        <header className="gz-bs-head">
          <h1>{t('big.title', { region: o?.region.name ?? '' })}</h1>
          <Space size={8}>
            <Clock />
            <span className="gz-big-label" role="status" aria-live="polite">{t('big.refreshed', { at: formatClock(refreshedAt.toISOString(), locale) })}</span>
            <LanguageSwitch />
            {region !== me.regionCode && (
              <Button icon={<ArrowUpOutlined />} onClick={() => drill(parent ?? me.regionCode)}>{t('big.up')}</Button>
            )}
            <Button icon={<FullscreenOutlined />} onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>{t('big.fullscreen')}</Button>
            <Button icon={<ArrowLeftOutlined />} onClick={() => nav('/dashboard')}>{t('big.exit')}</Button>
          </Space>
        </header>
        <AlertBanner dark />
        <div className="gz-bs-kpis">
          {KPIS.map((k) => {
            const item = kpis[k];
            return (
              <div className="gz-panel" data-kpi={k} key={k}>
                <div className="gz-big-label"><KpiLabel item={item} /></div>
                <div className="gz-big-number" style={item.red ? { color: '#ff6b5e' } : undefined}>{item.value}</div>
                <div className="gz-big-note">{item.note}</div>
              </div>
            );
          })}
        </div>
        <div className="gz-bs-grid">
          <div className="gz-bs-col">
            <section className="gz-panel">
              <h2>{t('dash.inPeriod', { what: t('dash.trend'), period })}</h2>
              <div className="gz-panel-fill"><Chart dark ariaLabel={t('dash.trend')} option={trendOption(o, t, true, true)} height="100%" /></div>
            </section>
            <section className="gz-panel">
              <h2>{t('dash.inPeriod', { what: t('dash.byCategory'), period })}</h2>
              <div className="gz-panel-fill"><Chart dark ariaLabel={t('dash.byCategory')} option={categoryOption(o, pick, true, t('dash.other'))} height="100%" /></div>
            </section>
          </div>
          <section className="gz-panel gz-bs-map">
            <h2>{t('big.map')} <span className="gz-big-label">· {t('big.drillHint')}</span></h2>
            <div style={{ position: 'relative', flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
              <LazyMap dark className="gz-map-fill" ariaLabel={t('map.label')} grids={layer.coloured} colorStops={layer.stops} fit="grids"
                points={pointFc} cluster outlinesUrl={`/api/v1/regions/${region}/outlines`} onGridClick={(code) => drillToGrid(code)} />
              {layer.noOutlines && <NoGridOutlines dark />}
            </div>
          </section>
          <div className="gz-bs-col">
            <section className="gz-panel">
              <h2>{t('big.ranking')}</h2>
              <ol className="gz-bs-rank" aria-label={t('big.ranking')}>
                {[...(o?.byRegion ?? [])].sort((a, b) => b.overdue - a.overdue || b.open - a.open).slice(0, 12).map((r) => (
                  <li key={r.code}>
                    <button type="button" className="gz-bs-drill" onClick={() => drill(r.code)}>{r.name}</button>
                    <span>{t('big.openOverdue', { open: r.open, overdue: r.overdue })}</span>
                  </li>
                ))}
              </ol>
            </section>
            <section className="gz-panel">
              <h2>{t('big.live')}</h2>
              <ul className="gz-bs-feed" aria-live="polite" aria-label={t('big.live')}>
                {activity.data?.items.length
                  ? activity.data.items.map((e) => <FeedItem key={e.id} e={e} />)
                  : <li className="gz-big-label">{t('big.waiting')}</li>}
              </ul>
            </section>
          </div>
        </div>
      </div>
    </ConfigProvider>
  );
}
