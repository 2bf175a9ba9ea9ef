// Grid map: grids coloured by open cases or by overdue share; click a grid for its staff and cases;
// case points clustered. A sortable table of the grids is the keyboard/screen-reader path.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Card, Col, Drawer, Row, Segmented, Space, Switch, Table, Typography, List, Tag } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { formatPercent } from '../lib/format.ts';
import { LazyMap, NoGridOutlines } from '../components/map/index.tsx';
import { CaseTable } from '../components/CaseTable.tsx';
import { ErrorNote, PageTitle } from '../components/Page.tsx';
import type { CaseList, CasePoint, GridStat } from '../api/types.ts';

type Mode = 'open' | 'overdue';
const OPEN_STOPS: Array<[number, string]> = [[0, '#e8f1fb'], [0.25, '#9ec5ee'], [0.5, '#4a90d9'], [0.75, '#1f5fae'], [1, '#0b3270']];
const OVERDUE_STOPS: Array<[number, string]> = [[0, '#eaf6ec'], [0.2, '#fde9a6'], [0.4, '#f6b05c'], [0.7, '#e4572e'], [1, '#a1161a']];
const OVERDUE_STOPS_DARK: Array<[number, string]> = [[0, '#12304f'], [0.2, '#5c5a1d'], [0.4, '#9a5a1c'], [0.7, '#c2401f'], [1, '#ff4d4f']];
const OPEN_STOPS_DARK: Array<[number, string]> = [[0, '#12304f'], [0.25, '#1d4f86'], [0.5, '#2f74c0'], [0.75, '#58a0f0'], [1, '#a8d1ff']];

interface GridRow { code: string; name: string; community: string; open: number; overdue: number; overdueShare: number }

export function useGridLayer(regionCode: string, mode: Mode, dark = false) {
  const grids = useApi<GeoJSON.FeatureCollection>(`/api/v1/regions/${regionCode}/grids`);
  const stats = useApi<{ items: GridStat[] }>(`/api/v1/stats/grids?region=${regionCode}`);
  const byCode = useMemo(() => new Map((stats.data?.items ?? []).map((s) => [s.gridCode, s])), [stats.data]);
  const rows: GridRow[] = useMemo(() => (grids.data?.features ?? []).map((f: any) => {
    const s = byCode.get(f.properties.code);
    return { code: f.properties.code, name: f.properties.name, community: f.properties.community, open: s?.open ?? 0, overdue: s?.overdue ?? 0, overdueShare: s?.overdueShare ?? 0 };
  }), [grids.data, byCode]);
  const maxOpen = Math.max(1, ...rows.map((r) => r.open));
  const coloured = useMemo(() => (grids.data ? {
    ...grids.data,
    features: grids.data.features.map((f: any) => {
      const s = byCode.get(f.properties.code);
      const value = mode === 'open' ? (s?.open ?? 0) / maxOpen : s?.overdueShare ?? 0;
      return { ...f, properties: { ...f.properties, value, open: s?.open ?? 0, overdue: s?.overdue ?? 0 } };
    }),
  } : null), [grids.data, byCode, mode, maxOpen]);
  // no grid of the region has an outline (a new district's placeholder grids): the map says so instead of staying blank
  const noOutlines = !!grids.data && grids.data.features.length === 0;
  return { grids, stats, rows, coloured, maxOpen, noOutlines, stops: mode === 'open' ? (dark ? OPEN_STOPS_DARK : OPEN_STOPS) : (dark ? OVERDUE_STOPS_DARK : OVERDUE_STOPS) };
}

export function pointsToGeoJSON(items: CasePoint[] | undefined): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: (items ?? []).map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lng, p.lat] }, properties: { id: p.id, light: p.light ?? 'none', caseNo: p.caseNo } })),
  };
}

export function Legend({ mode, maxOpen }: { mode: Mode; maxOpen: number }) {
  const { t } = useI18n();
  const stops = mode === 'open' ? OPEN_STOPS : OVERDUE_STOPS;
  return (
    <div className="gz-map-legend" aria-hidden>
      <div>{mode === 'open' ? t('map.legendOpen') : t('map.legendOverdue')}</div>
      {stops.map(([v, c], i) => {
        const label = mode === 'open' ? String(Math.round(v * maxOpen)) : `${Math.round(v * 100)}%`;
        const prev = i > 0 ? (mode === 'open' ? String(Math.round(stops[i - 1][0] * maxOpen)) : '') : null;
        if (label === prev) return null;
        return <span key={v} style={{ marginRight: 6 }}><span className="gz-legend-swatch" style={{ background: c }} />{label}</span>;
      })}
    </div>
  );
}

function GridDrawer({ code, name, onClose }: { code: string | null; name: string; onClose(): void }) {
  const { t, tk } = useI18n();
  const cases = useApi<CaseList>(code ? `/api/v1/cases?region=${code}&open=true&pageSize=50&count=true` : null);
  const staff = useApi<{ staff: Array<{ id: number; role: string; name: string; phone: string | null }>; partyMembers: unknown[] }>(code ? `/api/v1/grids/${code}/staff` : null);
  return (
    <Drawer open={!!code} onClose={onClose} title={name} size={560} destroyOnHidden>
      <Typography.Title level={3} style={{ fontSize: 16 }}>{t('map.gridStaff')}</Typography.Title>
      {staff.error
        ? <Typography.Paragraph type="secondary">{t('map.staffUnavailable')}</Typography.Paragraph>
        : <List size="small" loading={staff.loading} dataSource={staff.data?.staff ?? []} locale={{ emptyText: t('map.noStaff') }}
            renderItem={(s) => <List.Item>{s.name} <Tag>{tk('staffRole.', s.role)}</Tag> {s.phone ?? ''}</List.Item>} />}
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('map.gridCases', { n: cases.data?.total ?? 0 })}</Typography.Title>
      <CaseTable compact items={cases.data?.items ?? []} loading={cases.loading} caption={t('map.gridCases', { n: cases.data?.total ?? 0 })} />
    </Drawer>
  );
}

export default function MapPage() {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const [mode, setMode] = useState<Mode>('open');
  const [showPoints, setShowPoints] = useState(true);
  const [selected, setSelected] = useState<{ code: string; name: string } | null>(null);
  const layer = useGridLayer(me.regionCode, mode);
  const points = useApi<{ items: CasePoint[] }>(showPoints ? `/api/v1/cases/points?region=${me.regionCode}&open=true` : null);
  useLiveEvents(() => { layer.stats.reload(); points.reload(); }, 2000);
  const pointFc = useMemo(() => pointsToGeoJSON(showPoints ? points.data?.items : []), [points.data, showPoints]);
  const top = useMemo(() => [...layer.rows].sort((a, b) => (mode === 'open' ? b.open - a.open : b.overdueShare - a.overdueShare || b.overdue - a.overdue)), [layer.rows, mode]);

  return (
    <div>
      <PageTitle extra={
        <Space wrap>
          <Segmented<Mode> aria-label={t('map.colourBy')} value={mode} onChange={setMode}
            options={[{ value: 'open', label: t('map.byOpen') }, { value: 'overdue', label: t('map.byOverdue') }]} />
          <Space><Switch id="show-points" checked={showPoints} onChange={setShowPoints} /><label htmlFor="show-points">{t('map.showPoints')}</label></Space>
        </Space>
      }>{t('nav.map')}</PageTitle>
      <ErrorNote error={layer.grids.error ?? layer.stats.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <div style={{ position: 'relative' }}>
            <LazyMap className="gz-map-tall" ariaLabel={t('map.label')} grids={layer.coloured} colorStops={layer.stops} fit="grids"
              points={pointFc} cluster highlight={selected?.code ?? null}
              outlinesUrl={`/api/v1/regions/${me.regionCode}/outlines`} placesUrl="/api/v1/addresses"
              onGridClick={(code, p) => setSelected({ code, name: p.name ?? code })} onPointClick={(id) => nav(`/cases/${id}`)} />
            {layer.noOutlines ? <NoGridOutlines /> : <Legend mode={mode} maxOpen={layer.maxOpen} />}
          </div>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('map.gridTable')}>
            <Table<GridRow> size="small" rowKey="code" dataSource={top} pagination={{ pageSize: 12, showSizeChanger: false, simple: true }}
              aria-label={t('map.gridTable')}
              columns={[
                { title: t('map.grid'), dataIndex: 'name', render: (v, r) => <a onClick={() => setSelected({ code: r.code, name: v })} href={`#grid-${r.code}`}>{v}</a> },
                { title: t('kpi.open'), dataIndex: 'open', width: 64, align: 'right' },
                { title: t('kpi.overdue'), dataIndex: 'overdue', width: 64, align: 'right' },
                { title: t('map.overdueShare'), dataIndex: 'overdueShare', width: 84, align: 'right', render: (v) => formatPercent(v) },
              ]} />
          </Card>
        </Col>
      </Row>
      <GridDrawer code={selected?.code ?? null} name={selected?.name ?? ''} onClose={() => setSelected(null)} />
    </div>
  );
}
