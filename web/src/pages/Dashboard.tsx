// Command-centre dashboard for the user's scope: today's intake and closures, open, open overdue with its
// trend beside the on-time rate, the 12345 三率 — each with its period and the count behind it; trend by day;
// by category; by unit; a map; drill-down from city to grid.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Breadcrumb, Button, Card, Col, Row, Select, Space, Table, Tooltip } from 'antd';
import { FundProjectionScreenOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { can } from '../lib/abilities.ts';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { formatPercent } from '../lib/format.ts';
import { Chart } from '../components/chart/index.tsx';
import { LazyMap, NoGridOutlines } from '../components/map/index.tsx';
import { CaseTable } from '../components/CaseTable.tsx';
import { ErrorNote, PageTitle } from '../components/Page.tsx';
import { Legend, useGridLayer } from './MapPage.tsx';
import { HotspotList } from '../components/Intelligence.tsx';
import { ModelCard } from '../components/CategorySuggest.tsx';
import { AlertBanner } from '../components/Risk.tsx';
import { KpiCard, KpiStat, kpiItems } from '../components/Kpi.tsx';
import type { CaseList, Overview, Region } from '../api/types.ts';

/** The open overdue count at each day's end of the period (today: now), a red line. */
export function overdueTrendOption(o: Overview | null, t: (k: MessageKey) => string, dark = false) {
  return {
    tooltip: { trigger: 'axis' },
    title: { text: t('kpi.overdueTrend'), left: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 'normal', color: dark ? '#8aa4c4' : '#6b7785' } },
    grid: { left: 32, right: 8, top: 24, bottom: 20 },
    xAxis: { type: 'category', data: (o?.byDay ?? []).map((d) => d.date.slice(5)), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    series: [{ name: t('kpi.overdueOpen'), type: 'line', smooth: true, symbolSize: 4, data: (o?.byDay ?? []).map((d) => d.overdue), itemStyle: { color: '#d93025' }, areaStyle: { opacity: 0.1 } }],
  };
}

/** Intake and closures by day; `withOverdue` adds the open overdue count at each day's end (the big screen). */
export function trendOption(o: Overview | null, t: (k: MessageKey) => string, dark = false, withOverdue = false) {
  const names = [t('dash.intake'), t('dash.closed'), ...(withOverdue ? [t('kpi.overdueOpen')] : [])];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: names, ...(dark ? { textStyle: { color: '#cfe0f5' } } : {}) },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: (o?.byDay ?? []).map((d) => d.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('dash.intake'), type: 'line', smooth: true, data: (o?.byDay ?? []).map((d) => d.intake), areaStyle: { opacity: 0.12 } },
      { name: t('dash.closed'), type: 'line', smooth: true, data: (o?.byDay ?? []).map((d) => d.closed) },
      ...(withOverdue ? [{ name: t('kpi.overdueOpen'), type: 'line', smooth: true, data: (o?.byDay ?? []).map((d) => d.overdue), itemStyle: { color: '#ff6b5e' } }] : []),
    ],
  };
}

export function categoryOption(o: Overview | null, pick: (l: any) => string, dark = false, other = '其他') {
  // the ten largest categories, and everything else as one 其他 slice (nothing dropped)
  const sorted = [...(o?.byCategory ?? [])].sort((a, b) => b.count - a.count);
  const rest = sorted.slice(10).reduce((a, c) => a + c.count, 0);
  return {
    tooltip: { trigger: 'item' },
    series: [{
      type: 'pie', radius: ['34%', '60%'], avoidLabelOverlap: true,
      label: { formatter: '{b} {c}', ...(dark ? { color: '#cfe0f5' } : {}) },
      data: [...sorted.slice(0, 10).map((c) => ({ name: pick(c.name), value: c.count })), ...(rest > 0 ? [{ name: other, value: rest }] : [])],
    }],
  };
}

export function regionOption(o: Overview | null, t: (k: MessageKey) => string) {
  const rows = [...(o?.byRegion ?? [])].sort((a, b) => b.open - a.open).slice(0, 15);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('kpi.open'), t('kpi.overdue')] },
    grid: { left: 110, right: 16, top: 30, bottom: 20 },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { width: 100, overflow: 'truncate' } },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('kpi.open'), type: 'bar', data: rows.map((r) => ({ value: r.open, code: r.code })), itemStyle: { color: '#3b82f6' } },
      { name: t('kpi.overdue'), type: 'bar', data: rows.map((r) => ({ value: r.overdue, code: r.code })), itemStyle: { color: '#d93025' } },
    ],
  };
}

export default function Dashboard() {
  const { t, pick } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? me.regionCode;
  const [days, setDays] = useState(14);
  const overview = useApi<Overview>(`/api/v1/stats/overview?region=${region}&days=${days}`);
  const ancestors = useApi<{ items: Region[] }>(`/api/v1/regions/${region}/ancestors`);
  const current = useApi<Region>(`/api/v1/regions/${region}`);
  const layer = useGridLayer(region, 'overdue');
  const isGrid = current.data?.level === 'grid';
  const gridCases = useApi<CaseList>(isGrid ? `/api/v1/cases?region=${region}&open=true&pageSize=20&count=true` : null);
  useLiveEvents(() => { overview.reload(); layer.stats.reload(); gridCases.reload(); }, 1500);
  const o = overview.data?.region.code === region ? overview.data : null; // never another region's figures while drilling
  const kpis = kpiItems(o, t);
  const period = t('dash.lastDays', { n: days });
  const drill = (code: string) => { setParams(code === me.regionCode ? {} : { region: code }); window.scrollTo({ top: 0 }); };

  const crumbs = useMemo(() => {
    const path = [...(ancestors.data?.items ?? []), ...(current.data ? [current.data] : [])]
      .filter((r) => r.code.startsWith(me.regionCode) || r.code === me.regionCode);
    return path.map((r, i) => ({
      key: r.code,
      title: i === path.length - 1 ? <span aria-current="page">{r.shortName || r.name}</span> : <a href={`?region=${r.code}`} onClick={(e) => { e.preventDefault(); drill(r.code); }}>{r.shortName || r.name}</a>,
    }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ancestors.data, current.data, me.regionCode]);

  return (
    <div data-testid="dashboard">
      <AlertBanner />
      <PageTitle extra={
        <Space wrap>
          <label htmlFor="dash-days" className="gz-visually-hidden">{t('dash.period')}</label>
          <Select id="dash-days" value={days} onChange={setDays} style={{ width: 120 }} aria-label={t('dash.period')}
            options={[7, 14, 30, 90].map((d) => ({ value: d, label: t('dash.lastDays', { n: d }) }))} />
          <Button icon={<FundProjectionScreenOutlined />} onClick={() => nav(`/bigscreen${region !== me.regionCode ? `?region=${region}` : ''}`)}>{t('nav.bigScreen')}</Button>
        </Space>
      }>{t('nav.dashboard')}</PageTitle>
      <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} aria-label={t('dash.drillPath')} />
      <ErrorNote error={overview.error} />
      <Row gutter={[12, 12]} className="gz-dash-kpis" data-testid="kpis">
        {(['kpi.todayIntake', 'kpi.todayClosed', 'kpi.open'] as const).map((key) => (
          <Col xs={12} md={8} xl={4} key={key}><KpiCard item={kpis[key]} /></Col>
        ))}
        <Col xs={24} xl={12}>
          {/* 按时办结率 beside the open overdue count and its trend: overdue cases count only once they close */}
          <Card size="small" className="gz-kpi" aria-label={t('kpi.timeliness')}>
            <div className="gz-timeliness">
              <KpiStat item={kpis['kpi.overdue']} />
              <KpiStat item={kpis['kpi.onTimeRate']} />
              <div className="gz-timeliness-trend"><Chart ariaLabel={t('kpi.overdueTrend')} option={overdueTrendOption(o, t)} height={104} /></div>
            </div>
          </Card>
        </Col>
        {(['kpi.responseRate', 'kpi.resolutionRate', 'kpi.satisfaction'] as const).map((key) => (
          <Col xs={24} md={8} key={key}><KpiCard item={kpis[key]} /></Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 4 }}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('dash.inPeriod', { what: t('dash.trend'), period })}><Chart ariaLabel={t('dash.trend')} option={trendOption(o, t)} /></Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('dash.inPeriod', { what: t('dash.byCategory'), period })}><Chart ariaLabel={t('dash.byCategory')} option={categoryOption(o, pick, false, t('dash.other'))} /></Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dash.map')}>
            <div style={{ position: 'relative' }}>
              <LazyMap ariaLabel={t('map.label')} grids={layer.coloured} colorStops={layer.stops} fit="grids" highlight={isGrid ? region : null}
                onGridClick={(code) => drill(code)} />
              {layer.noOutlines ? <NoGridOutlines /> : <Legend mode="overdue" maxOpen={layer.maxOpen} />}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          {isGrid ? (
            <Card size="small" title={t('map.gridCases', { n: gridCases.data?.total ?? 0 })}>
              <CaseTable compact items={gridCases.data?.items ?? []} loading={gridCases.loading} caption={t('map.gridCases', { n: gridCases.data?.total ?? 0 })} />
            </Card>
          ) : (
            <Card size="small" title={t('dash.byRegion')} extra={<span className="gz-hint">{t('dash.clickToDrill')}</span>}>
              <Chart ariaLabel={t('dash.byRegion')} option={regionOption(o, t)} height={300}
                onClick={(p) => { const code = p?.data?.code; if (code) drill(code); }} />
            </Card>
          )}
        </Col>
        {!isGrid && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('dash.regionTable')}>
              <Table size="small" rowKey="code" dataSource={o?.byRegion ?? []} pagination={{ pageSize: 8, simple: true }} aria-label={t('dash.regionTable')}
                columns={[
                  { title: t('dash.region'), dataIndex: 'name', render: (v, r) => <a href={`?region=${r.code}`} onClick={(e) => { e.preventDefault(); drill(r.code); }}>{v}</a> },
                  { title: t('kpi.open'), dataIndex: 'open', align: 'right', sorter: (a, b) => a.open - b.open, defaultSortOrder: 'descend' },
                  { title: t('kpi.overdue'), dataIndex: 'overdue', align: 'right', sorter: (a, b) => a.overdue - b.overdue },
                  { title: t('dash.totalInPeriod', { n: days }), dataIndex: 'total', align: 'right', sorter: (a, b) => a.total - b.total },
                ]} />
            </Card>
          </Col>
        )}
        <Col xs={24} xl={isGrid ? 24 : 12}>
          <Card size="small" title={t('dash.byUnit')} extra={<span className="gz-hint">{t('dash.byUnitNote', { n: days })}</span>}>
            <Table size="small" rowKey="unitId" dataSource={o?.byUnit ?? []} pagination={{ pageSize: 8, simple: true }} aria-label={t('dash.byUnit')} scroll={{ x: 480 }}
              columns={[
                { title: t('case.unit'), dataIndex: 'name', ellipsis: true, render: (v, r) => <Link to={`/cases?open=all&unit=${r.unitId}`}>{v}</Link> },
                { title: t('kpi.open'), dataIndex: 'open', align: 'right', width: 76, sorter: (a, b) => a.open - b.open, defaultSortOrder: 'descend' },
                { title: t('kpi.overdue'), dataIndex: 'overdue', align: 'right', width: 76, sorter: (a, b) => a.overdue - b.overdue },
                { title: t('dash.closed'), dataIndex: 'closed', align: 'right', width: 76, sorter: (a, b) => a.closed - b.closed },
                { title: <Tooltip title={t('kpi.formulaOnTime')}><span>{t('dash.onTimeOfClosed')}</span></Tooltip>, dataIndex: 'onTimeRate', align: 'right', width: 150, render: (v, r) => (r.closed ? `${formatPercent(v)} (${r.closedOnTime}/${r.closed})` : formatPercent(v)), sorter: (a, b) => (a.onTimeRate ?? 0) - (b.onTimeRate ?? 0) },
              ]} />
          </Card>
        </Col>
        {can(me, 'intelligence.hotspots') && (
          <Col xs={24}>
            <HotspotList region={region} days={days} />
          </Col>
        )}
        {can(me, 'intelligence.retrain') && <Col xs={24} md={12}><ModelCard /></Col>}
      </Row>
    </div>
  );
}
