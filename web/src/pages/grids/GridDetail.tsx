// One grid: its outline among its community's grids, households and area; staff (网格长, 专职/兼职网格员,
// 网格警, 法律顾问 …) and the party members who report in to it (phones masked); the professional grids it
// belongs to (多网合一); its versions and the split/merge facts that link it to other grids.
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Row, Select, Skeleton, Space, Table, Tag } from 'antd';
import { EditOutlined, PlusOutlined, ScissorOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { LazyMap, NoGridOutlines, type FC } from '../../components/map/index.tsx';
import { fmtTime, RecordError, RevealDialog } from '../registry/shared.tsx';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { SplitPanel, SplitResultNote, type SplitResult } from './Split.tsx';
import { can } from '../../lib/abilities.ts';
import { useHashTarget } from '../../lib/hash-target.ts';
import { HouseholdsByArea } from './households-label.tsx';

const STAFF_ROLES = ['grid_leader', 'full_time', 'part_time', 'instructor', 'police', 'legal_adviser', 'building_leader', 'other'];

interface Grid {
  code: string; name: string; kind: string; dedicatedType: string | null; communityCode: string; retiredAt: string | null;
  /** null once the grid is retired (split or merged away) */
  version: number | null; validFrom: string | null; areaM2: number | null; households: number | null; hostGrids: Array<{ code: string; name: string }> | string[];
  dedicatedGrids: Array<{ code: string; name: string }> | string[];
  /** the same grids by name */
  hostGridRefs?: GridRef[]; dedicatedGridRefs?: GridRef[];
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
}
interface Staff { id: number; role: string; name: string; phone: string | null; startedOn: string | null; endedAt: string | null; user: { username: string | null } | null }
interface Member { id: number; name: string; branch: string; workplace: string | null; phone: string | null; registeredOn: string | null; services?: { count: number; hours: number; patrols: number } }
interface History {
  versions: Array<{ version: number; validFrom: string; validTo: string | null; areaM2: number }>;
  changes: Array<{ id: number; kind: string; at: string; fromCodes: string[]; toCodes: string[]; fromGrids?: GridRef[]; toGrids?: GridRef[]; note: string | null }>;
  predecessors: string[]; successors: string[]; predecessorGrids?: GridRef[]; successorGrids?: GridRef[];
}
interface GridRef { code: string; name: string }
interface LayerLink { layerId: string; layerKind: string; layerName: string; unitId: string | null; cellCode: string; cellName: string; source: string }

/** The parts of a split shown on the map: the grid itself pale, the parts in two clearly different colours. */
const SPLIT_COLOURS: Array<[number, string]> = [[0, '#dce7f5'], [0.5, '#74c0fc'], [1, '#ffa94d']];
const refOf = (g: GridRef | string): GridRef => (typeof g === 'string' ? { code: g, name: g } : g);
/** Grids linked by name (a retired one keeps its name); the code is in the tooltip. */
const gridLinks = (list: GridRef[]) => <Space wrap>{list.map((g) => <Link key={g.code} to={`/grids/${g.code}`} title={g.code}>{g.name}</Link>)}</Space>;

function PersonForm({ open, kind, code, onClose, onSaved }: { open: boolean; kind: 'staff' | 'party'; code: string; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<Record<string, any>>(form, async (v) => {
    const body: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x == null || x === '') continue;
      body[k] = typeof x === 'string' ? x.trim() : typeof x?.format === 'function' ? x.format('YYYY-MM-DD') : x;
    }
    await api(`/api/v1/grids/${code}/${kind === 'staff' ? 'staff' : 'party-members'}`, { body });
    onSaved();
  }, { fixMessage: t('rg.fixErrors') });
  return (
    <Modal open={open} title={kind === 'staff' ? t('gm.addStaff') : t('gm.addParty')} onCancel={onClose} onOk={save} confirmLoading={busy}
      okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name={`grid-${kind}`} initialValues={kind === 'staff' ? { role: 'full_time', name: undefined, phone: undefined, startedOn: undefined } : { name: undefined, branch: undefined, workplace: undefined, phone: undefined, registeredOn: undefined }}>
        {kind === 'staff' && (
          <Form.Item name="role" label={t('gm.staffRole')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={STAFF_ROLES.map((r) => ({ value: r, label: t(`staffRole.${r}` as MessageKey) }))} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('gm.staffName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={50} /></Form.Item>
        {kind === 'party' && <Form.Item name="branch" label={t('gm.branch')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>}
        {kind === 'party' && <Form.Item name="workplace" label={t('gm.workplace')}><Input maxLength={100} /></Form.Item>}
        <Form.Item name="phone" label={t('gm.phone')}><Input maxLength={20} inputMode="tel" /></Form.Item>
        <Form.Item name={kind === 'staff' ? 'startedOn' : 'registeredOn'} label={kind === 'staff' ? t('gm.startedOn') : t('gm.registeredOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function GridDetail() {
  const { code = '' } = useParams();
  const { t, tk, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const grid = useApi<Grid>(`/api/v1/grids/${code}`);
  const staff = useApi<{ staff: Staff[]; partyMembers: Member[] }>(grid.data ? `/api/v1/grids/${code}/staff` : null);
  const layers = useApi<{ items: LayerLink[] }>(grid.data ? `/api/v1/grids/${code}/layers` : null);
  const history = useApi<History>(grid.data ? `/api/v1/grids/${code}/history` : null);
  const siblings = useApi<FC>(grid.data ? `/api/v1/regions/${grid.data.communityCode}/grids` : null);
  const community = useApi<{ name: string }>(grid.data ? `/api/v1/regions/${grid.data.communityCode}` : null);
  const [adding, setAdding] = useState<'staff' | 'party' | null>(null);
  const [revealing, setRevealing] = useState<Staff | null>(null);
  const [phones, setPhones] = useState<Record<number, string | null>>({});
  const canWrite = can(me, 'grid.staff.write') && code.startsWith(me.regionCode);
  // drawing a new outline: the vertices clicked so far, shown as points and (from three on) as the outlined polygon
  const [draft, setDraft] = useState<Array<[number, number]> | null>(null);
  const [saving, setSaving] = useState(false);
  // splitting: the cutting line clicked so far, the parts it makes (shown on the map), and the result
  const [cut, setCut] = useState<Array<[number, number]> | null>(null);
  const [parts, setParts] = useState<FC | null>(null);
  const [splitResult, setSplitResult] = useState<SplitResult | null>(null);
  const map = useMemo<FC | null>(() => {
    if (cut && grid.data?.geometry) {
      // only the grid being split, so that it fills the map, with the line and the parts
      const line: GeoJSON.Feature[] = cut.length === 2 ? [{ type: 'Feature', geometry: { type: 'LineString', coordinates: cut }, properties: { code: 'cut' } }] : [];
      return {
        type: 'FeatureCollection',
        // the grid being cut carries no label of its own: its parts' names go where its label would crowd them out
        features: [{ type: 'Feature', geometry: grid.data.geometry, properties: { code: grid.data.code, unlabelled: true } }, ...(parts?.features ?? []), ...line],
      };
    }
    if (!siblings.data || !draft || draft.length < 3) return siblings.data;
    const ring = [...draft, draft[0]];
    return { ...siblings.data, features: [...siblings.data.features, { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code: 'draft' } }] };
  }, [siblings.data, draft, cut, parts, grid.data]);
  const draftPoints = useMemo<FC | null>(() => (draft || cut ? {
    type: 'FeatureCollection', features: (draft ?? cut ?? []).map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} })),
  } : null), [draft, cut]);
  // another grid (a link from the split result or the history): start afresh
  useEffect(() => { setCut(null); setParts(null); setDraft(null); setSplitResult(null); }, [code]);
  const canDraw = can(me, 'grid.write') && code.startsWith(me.regionCode);
  // a split's warning about a new grid without staff links here (#grid-staff)
  useHashTarget('grid-staff', !!staff.data);
  // the review list links a party member placed here to this grid's party members
  useHashTarget('grid-party', !!staff.data);
  const g = grid.data;
  if (grid.error) return <div><PageTitle>{t('nav.grids')}</PageTitle><RecordError error={grid.error} /><Link to="/grids">{t('rg.back')}</Link></div>;
  if (!g) return <Skeleton active />;
  const saveOutline = async () => {
    if (!draft || draft.length < 3) return;
    setSaving(true);
    try {
      const out = await api<{ warnings?: Array<{ message: string }> }>(`/api/v1/grids/${code}/geometry`, {
        method: 'PUT', body: { geometry: { type: 'Polygon', coordinates: [[...draft, draft[0]]] }, expectedVersion: g.version },
      });
      message.success(t('common.saved'));
      for (const w of out?.warnings ?? []) message.warning(w.message);
      setDraft(null); grid.reload(); history.reload(); siblings.reload();
    } catch (e) { message.error(errorText(e)); } finally { setSaving(false); }
  };
  const endStaff = async (s: Staff) => {
    try { await api(`/api/v1/grids/${code}/staff/${s.id}/end`, { body: {} }); message.success(t('common.saved')); staff.reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <div data-testid="grid-detail">
      <PageTitle extra={<Space wrap>
        <Link to={`/patrols?region=${g.code}`}><Button>{t('gm.visitsOfGrid')}</Button></Link>
        <Link to="/grids"><Button>{t('rg.back')}</Button></Link>
      </Space>}>
        {g.name} {g.retiredAt && <Tag>{t('gm.retired')}</Tag>}
      </PageTitle>
      {splitResult && <SplitResultNote result={splitResult} onClose={() => setSplitResult(null)} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {canDraw && g.geometry && cut ? (
            <Card size="small" title={t('gm.split')}>
              <SplitPanel grid={{ ...g, geometry: g.geometry }} line={cut} onPreview={setParts} onCancel={() => { setCut(null); setParts(null); }}
                onDone={(out) => { setCut(null); setParts(null); setSplitResult(out); grid.reload(); history.reload(); siblings.reload(); layers.reload(); staff.reload(); }} />
            </Card>
          ) : (
          <Card size="small">
            <Descriptions size="small" column={1} bordered styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
              <Descriptions.Item label={t('rg.gridCode')}>{g.code}</Descriptions.Item>
              <Descriptions.Item label={t('gm.kind')}>{tk('gm.kind.', g.kind)}{g.dedicatedType ? ` · ${g.dedicatedType}` : ''}</Descriptions.Item>
              <Descriptions.Item label={t('gm.community')}>{community.data?.name ?? g.communityCode}</Descriptions.Item>
              <Descriptions.Item label={<HouseholdsByArea />}>{g.households ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('gm.area')}>{g.areaM2 == null ? '—' : `${(g.areaM2 / 10_000).toFixed(2)} ha`}</Descriptions.Item>
              <Descriptions.Item label={t('gm.version')}>
                {g.version == null ? `${t('gm.retired')} · ${fmtTime(g.retiredAt, locale)}` : `v${g.version} · ${fmtTime(g.validFrom, locale)}`}
              </Descriptions.Item>
              {g.hostGrids.length > 0 && <Descriptions.Item label={t('gm.hostGrids')}>{gridLinks(g.hostGridRefs ?? g.hostGrids.map(refOf))}</Descriptions.Item>}
              {g.dedicatedGrids.length > 0 && <Descriptions.Item label={t('gm.dedicatedIn')}>{gridLinks(g.dedicatedGridRefs ?? g.dedicatedGrids.map(refOf))}</Descriptions.Item>}
            </Descriptions>
          </Card>
          )}
        </Col>
        <Col xs={24} lg={12}>
          <div style={{ position: 'relative' }}>
            <LazyMap ariaLabel={g.name} grids={map} highlight={draft ? 'draft' : cut ? 'cut' : g.code} fit={draft || (cut && cut.length) ? undefined : 'grids'}
              colorStops={cut ? SPLIT_COLOURS : undefined}
              points={draftPoints}
              onPick={draft ? (ll) => setDraft((d) => [...(d ?? []), ll]) : cut ? (ll) => setCut((c) => (c && c.length < 2 ? [...c, ll] : [ll])) : undefined} />
            {/* a placeholder grid (init: one per community) until its outline is drawn or imported */}
            {!g.geometry && !g.retiredAt && !draft && <NoGridOutlines grid />}
          </div>
          {canDraw && !g.retiredAt && !cut && (
            <div className="gz-toolbar" style={{ marginTop: 8 }} data-testid="outline-tools">
              {!draft && <Button icon={<EditOutlined />} onClick={() => setDraft([])}>{t('gm.draw')}</Button>}
              {!draft && <Button icon={<ScissorOutlined />} onClick={() => { setCut([]); setSplitResult(null); }}>{t('gm.split')}</Button>}
              {draft && <>
                <span role="status" aria-live="polite">{t('gm.drawHint', { n: draft.length })}</span>
                <Button disabled={!draft.length} onClick={() => setDraft((d) => (d ?? []).slice(0, -1))}>{t('gm.undoPoint')}</Button>
                <Button onClick={() => setDraft(null)}>{t('common.cancel')}</Button>
                <Button type="primary" disabled={draft.length < 3} loading={saving} onClick={saveOutline}>{t('gm.saveOutline')}</Button>
              </>}
            </div>
          )}
          {/* a 网格长 reads who changes grid boundaries instead of a missing button */}
          {!canDraw && !g.retiredAt && (
            <p style={{ marginTop: 8, color: 'rgba(0,0,0,0.55)' }} data-testid="split-who">{t('gm.splitByStreet')}</p>
          )}
        </Col>
      </Row>
      <Card size="small" title={t('gm.staff')} style={{ marginTop: 16 }} id="grid-staff" tabIndex={-1}
        extra={canWrite && !g.retiredAt && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('staff')}>{t('gm.addStaff')}</Button>}>
        <ErrorNote error={staff.error} />
        <Table<Staff> rowKey="id" size="small" pagination={false} loading={staff.loading} dataSource={staff.data?.staff ?? []}
          locale={{ emptyText: t('gm.noStaff') }} aria-label={t('gm.staff')} data-testid="grid-staff"
          columns={[
            { title: t('gm.staffRole'), dataIndex: 'role', render: (r) => <Tag color="blue">{tk('staffRole.', r)}</Tag> },
            { title: t('gm.staffName'), dataIndex: 'name', render: (n, s) => <>{n}{s.user?.username && <span style={{ color: '#888' }}> ({s.user.username})</span>}</> },
            {
              title: t('gm.phone'), dataIndex: 'phone',
              render: (ph: string | null, st: Staff) => (st.id in phones ? <strong>{phones[st.id]}</strong> : (
                <Space>{ph}{ph && canWrite && <Button size="small" type="link" onClick={() => setRevealing(st)} aria-label={`${t('rg.reveal')} ${st.name}`}>{t('rg.reveal')}</Button>}</Space>
              )),
            },
            { title: t('gm.startedOn'), dataIndex: 'startedOn' },
            ...(canWrite ? [{
              title: t('common.actions'), key: 'a',
              render: (_: unknown, s: Staff) => (
                <Popconfirm title={t('gm.endStaff')} onConfirm={() => endStaff(s)} okText={t('common.yes')} cancelText={t('common.no')}>
                  <Button size="small">{t('gm.endStaff')}</Button>
                </Popconfirm>
              ),
            }] : []),
          ]} />
      </Card>
      <Card size="small" title={t('gm.party')} style={{ marginTop: 16 }} id="grid-party" tabIndex={-1}
        extra={canWrite && !g.retiredAt && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding('party')}>{t('gm.addParty')}</Button>}>
        <Table<Member> rowKey="id" size="small" pagination={false} loading={staff.loading} dataSource={staff.data?.partyMembers ?? []} aria-label={t('gm.party')}
          columns={[
            { title: t('gm.staffName'), dataIndex: 'name' },
            { title: t('gm.branch'), dataIndex: 'branch' },
            { title: t('gm.workplace'), dataIndex: 'workplace' },
            { title: t('gm.phone'), dataIndex: 'phone' },
            { title: t('gm.registeredOn'), dataIndex: 'registeredOn' },
            // the tasks that count for the member: services and patrols of this grid (党员巡逻), with their hours
            { title: t('gm.partyTasks'), render: (_, m) => (m.services ? t('gm.partyTaskCounts', { services: m.services.count - m.services.patrols, patrols: m.services.patrols, hours: m.services.hours }) : '—') },
          ]} />
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('gm.layers')}>
            <ErrorNote error={layers.error} />
            <Table<LayerLink> rowKey={(l) => `${l.layerId}:${l.cellCode}`} size="small" pagination={false} loading={layers.loading}
              dataSource={layers.data?.items ?? []} locale={{ emptyText: t('gm.noLayers') }} aria-label={t('gm.layers')}
              columns={[
                { title: t('gm.layer'), dataIndex: 'layerName' },
                { title: t('gm.layerGrid'), dataIndex: 'cellName', render: (v, l) => `${v} (${l.cellCode})` },
              ]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('gm.history')} data-testid="grid-history">
            <ErrorNote error={history.error} />
            <Table rowKey="version" size="small" pagination={false} dataSource={history.data?.versions ?? []} aria-label={t('gm.history')}
              columns={[
                { title: t('gm.version'), dataIndex: 'version', render: (v) => `v${v}` },
                { title: t('gm.validFrom'), dataIndex: 'validFrom', render: (v) => fmtTime(v, locale) },
                { title: t('gm.validTo'), dataIndex: 'validTo', render: (v) => fmtTime(v, locale) || '—' },
                { title: t('gm.area'), dataIndex: 'areaM2', render: (v: number) => `${(v / 10_000).toFixed(2)} ha` },
              ]} />
            {history.data && history.data.changes.length > 0 && (
              <ul style={{ marginTop: 12, paddingLeft: 18 }}>
                {history.data.changes.map((c) => (
                  <li key={c.id}>
                    {fmtTime(c.at, locale)} · <strong>{tk('gm.change.', c.kind)}</strong>
                    {c.fromCodes?.length > 0 && <> · {t('gm.predecessors')}: {gridLinks(c.fromGrids ?? c.fromCodes.map(refOf))}</>}
                    {c.toCodes?.length > 0 && <> · {t('gm.successors')}: {gridLinks(c.toGrids ?? c.toCodes.map(refOf))}</>}
                    {c.note && <> · {c.note}</>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
      {revealing && <RevealDialog path={`/api/v1/grids/${code}/staff/${revealing.id}/reveal`} open onClose={() => setRevealing(null)}
        onRevealed={(v) => { setPhones((x) => ({ ...x, [revealing.id]: v.phone ?? null })); setRevealing(null); }} />}
      {adding && <PersonForm open kind={adding} code={code} onClose={() => setAdding(null)} onSaved={() => { setAdding(null); message.success(t('common.saved')); staff.reload(); }} />}
    </div>
  );
}
