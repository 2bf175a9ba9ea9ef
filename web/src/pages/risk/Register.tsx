// 风险隐患台账: the register of hazards and factors of instability in the user's scope, red first, on a map
// coloured by level; each entry with its case's state (交办, 督办, 化解, 销号 happen on the case) and its
// history; registering a hazard; editing an entry's level, responsible person and measures.
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Drawer, Form, Input, Modal, Row, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useCategories } from '../../lib/lookups.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { CategoryPicker, RegionCascader } from '../../components/Pickers.tsx';
import { LazyMap } from '../../components/map/index.tsx';
import { LEVEL_COLOURS, LevelTag } from '../../components/Risk.tsx';

const LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
const SOURCES = ['daily_check', 'grid_report', 'alert', 'hotline', 'sensor', 'inspection', 'petition', 'weekly_review', 'other'];

interface Hazard {
  caseId: number; caseNo: string; title: string; regionCode: string; regionName: string | null; kind: string; source: string; hazardType: string; level: string;
  location: string | null; lat: number | null; lng: number | null; responsibleUnitId: string | null; responsibleUnitName: string | null; responsibleName: string | null;
  measures: string | null; rectifyBy: string | null; writtenOffAt: string | null; createdAt: string; state: string; stateLabel: { zh: string; en: string } | null;
  isOpen: boolean; leadUnitId: string | null; sla: { light: string | null } | null;
  history?: Array<{ id: number; actorName: string | null; at: string; what: string; changes: Record<string, unknown> }>;
}

function HazardDetail({ id, onChanged }: { id: number; onChanged(): void }) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const cats = useCategories();
  const h = useApi<Hazard>(`/api/v1/risk/hazards/${id}`);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    await api(`/api/v1/risk/hazards/${id}`, { method: 'PATCH', body: { ...v, rectifyBy: v.rectifyBy ? dayjs(v.rectifyBy).format('YYYY-MM-DD') : null } });
    message.success(t('common.saved'));
    setEditing(false); h.reload(); onChanged();
  });
  if (!h.data) return <ErrorNote error={h.error} />;
  const x = h.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}><LevelTag level={x.level} /> {x.title}</Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('rk.reg.case')}><Link to={`/cases/${x.caseId}`}>{x.caseNo}</Link></Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.state')}>{x.stateLabel ? pick(x.stateLabel) : x.state}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.kind')}>{t(`rk.reg.kind.${x.kind}` as MessageKey)} · {cats?.byCode.get(x.hazardType) ? pick(cats.byCode.get(x.hazardType)!.name) : x.hazardType}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.source')}>{t(`rk.reg.source.${x.source}` as MessageKey)}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.region')}>{x.regionName ?? x.regionCode}{x.location ? ` · ${x.location}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.responsibleUnit')}>{x.responsibleUnitName ?? x.leadUnitId ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.responsibleName')}>{x.responsibleName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.measures')}>{x.measures ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('rk.reg.rectifyBy')}>{x.rectifyBy ?? '—'}</Descriptions.Item>
      </Descriptions>
      {can(me, 'risk.register.write') && <Button onClick={() => { form.setFieldsValue({ level: x.level, measures: x.measures, responsibleName: x.responsibleName, rectifyBy: x.rectifyBy ? dayjs(x.rectifyBy) : null }); setEditing(true); }}>{t('rk.reg.edit')}</Button>}
      <Card size="small" title={t('rk.reg.history')}>
        <Timeline items={(x.history ?? []).map((c) => ({
          children: <div><Typography.Text strong>{t(`rk.reg.what.${c.what}` as MessageKey)}</Typography.Text>
            <Typography.Text type="secondary"> · {c.actorName ?? t('rk.alerts.system')} · {formatDateTime(c.at, locale)}</Typography.Text>
            {typeof c.changes.note === 'string' && <div>{c.changes.note}</div>}</div>,
        }))} />
      </Card>
      <Modal open={editing} title={t('rk.reg.edit')} onCancel={() => setEditing(false)} onOk={save} confirmLoading={busy}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Form.Item name="level" label={t('rk.level')}><Select options={LEVELS.map((l) => ({ value: l, label: t(`rk.level.${l}`) }))} /></Form.Item>
          <Form.Item name="responsibleName" label={t('rk.reg.responsibleName')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="measures" label={t('rk.reg.measures')}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
          <Form.Item name="rectifyBy" label={t('rk.reg.rectifyBy')}><DatePicker /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function RegisterDialog({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(id: number): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const r = await api<Hazard>('/api/v1/risk/hazards', { body: {
      categoryCode: v.categoryCode, title: v.title, description: v.description, level: v.level, source: v.source, regionCode: v.region[v.region.length - 1],
      ...(v.address ? { address: v.address } : {}), ...(v.responsibleName ? { responsibleName: v.responsibleName } : {}), ...(v.measures ? { measures: v.measures } : {}),
      ...(v.rectifyBy ? { rectifyBy: dayjs(v.rectifyBy).format('YYYY-MM-DD') } : {}),
    } });
    message.success(t('rk.reg.saved', { caseNo: r.caseNo }));
    form.resetFields();
    onDone(r.caseId);
  });
  return (
    <Modal open={open} title={t('rk.reg.add')} onCancel={onClose} onOk={save} confirmLoading={busy} width={640} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ level: 'yellow', source: 'inspection' }}>
        <Form.Item name="categoryCode" label={t('rk.reg.category')} rules={[{ required: true }]}><CategoryPicker id="hz-category" caseType="hazard" /></Form.Item>
        <Form.Item name="title" label={t('rk.reg.titleField')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('rk.reg.description')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        <Space wrap>
          <Form.Item name="level" label={t('rk.level')}><Select style={{ width: 120 }} options={LEVELS.map((l) => ({ value: l, label: t(`rk.level.${l}`) }))} /></Form.Item>
          <Form.Item name="source" label={t('rk.reg.source')}><Select style={{ width: 140 }} options={SOURCES.map((s) => ({ value: s, label: t(`rk.reg.source.${s}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="rectifyBy" label={t('rk.reg.rectifyBy')}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="region" label={t('rk.reg.region')} rules={[{ required: true }]}><RegionCascader id="hz-region" rootCode={me.regionCode} /></Form.Item>
        <Form.Item name="address" label={t('rk.reg.location')}><Input maxLength={300} /></Form.Item>
        <Form.Item name="responsibleName" label={t('rk.reg.responsibleName')}><Input maxLength={50} /></Form.Item>
        <Form.Item name="measures" label={t('rk.reg.measures')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}

export default function Register() {
  const { t, pick } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? undefined;
  const set = (k: string, v: string | undefined) => { const n = new URLSearchParams(params); if (v) n.set(k, v); else n.delete(k); setParams(n, { replace: true }); };
  const open = get('open') ?? 'true';
  const list = useApi<{ items: Hazard[]; total: number; byLevel: Record<string, number> }>(withQuery('/api/v1/risk/hazards', {
    open: open === 'true' ? 'true' : undefined, level: get('level'), kind: get('kind'), pageSize: 200,
  }));
  useLiveEvents(() => list.reload(), 800);
  const [adding, setAdding] = useState(false);
  const selected = get('id') ? Number(get('id')) : null;
  // the grids of the user's territory under the points, so a hazard is seen where it is
  const grids = useApi<GeoJSON.FeatureCollection>(`/api/v1/regions/${me.regionCode}/grids`);
  const points = useMemo<GeoJSON.FeatureCollection>(() => ({
    type: 'FeatureCollection',
    features: (list.data?.items ?? []).filter((h) => h.lat != null && h.lng != null).map((h) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [h.lng!, h.lat!] }, properties: { id: h.caseId, color: LEVEL_COLOURS[h.level] },
    })),
  }), [list.data]);
  return (
    <div>
      <PageTitle extra={can(me, 'risk.register.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('rk.reg.add')}</Button>}>
        {t('rk.reg.title')}
      </PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline">
          <Form.Item label={t('rk.reg.openOnly')}><Switch checked={open === 'true'} onChange={(v) => set('open', v ? 'true' : 'false')} /></Form.Item>
          <Form.Item label={t('rk.level')} htmlFor="hz-level">
            <Select id="hz-level" allowClear style={{ width: 120 }} value={get('level')} onChange={(v) => set('level', v)} options={LEVELS.map((l) => ({ value: l, label: t(`rk.level.${l}`) }))} />
          </Form.Item>
          <Form.Item label={t('rk.reg.kind')} htmlFor="hz-kind">
            <Select id="hz-kind" allowClear style={{ width: 150 }} value={get('kind')} onChange={(v) => set('kind', v)}
              options={['hazard', 'instability'].map((k) => ({ value: k, label: t(`rk.reg.kind.${k}` as MessageKey) }))} />
          </Form.Item>
          {list.data && <Form.Item><Typography.Text data-testid="by-level">{t('rk.reg.byLevel', list.data.byLevel)}</Typography.Text></Form.Item>}
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <Row gutter={12}>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('rk.reg.map')} style={{ marginBottom: 12 }}>
            <LazyMap ariaLabel={t('rk.reg.map')} grids={grids.data} points={points} fit={points.features.length ? 'points' : 'grids'} onPointClick={(id) => set('id', String(id))} />
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small">
            <Table<Hazard>
              rowKey="caseId" size="small" dataSource={list.data?.items ?? []} loading={list.loading && !list.data} pagination={{ pageSize: 20, showSizeChanger: false }}
              data-testid="hazard-list" onRow={(r) => ({ onClick: () => set('id', String(r.caseId)), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('rk.level'), dataIndex: 'level', width: 70, render: (l) => <LevelTag level={l} /> },
                { title: t('rk.reg.titleField'), dataIndex: 'title', render: (v, r) => <div><div>{v}</div><Typography.Text type="secondary">{r.caseNo} · {t(`rk.reg.kind.${r.kind}` as MessageKey)}</Typography.Text></div> },
                { title: t('rk.reg.region'), key: 'region', width: 130, render: (_, r) => r.regionName ?? r.regionCode },
                { title: t('rk.reg.state'), key: 'state', width: 130, render: (_, r) => <Tag color={r.isOpen ? (r.sla?.light === 'red' ? 'red' : 'blue') : 'green'}>{r.stateLabel ? pick(r.stateLabel) : r.state}</Tag> },
                { title: t('rk.reg.rectifyBy'), dataIndex: 'rectifyBy', width: 100, render: (v) => v ?? '—' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Drawer open={selected != null} onClose={() => set('id', undefined)} size={560} title={t('rk.reg.title')} destroyOnHidden>
        {selected != null && <HazardDetail id={selected} onChanged={() => list.reload()} />}
      </Drawer>
      <RegisterDialog open={adding} onClose={() => setAdding(false)} onDone={(id) => { setAdding(false); list.reload(); set('id', String(id)); }} />
    </div>
  );
}
