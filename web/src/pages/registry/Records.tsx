// Houses, buildings, organisations and facilities: one page per kind, driven by the small field lists
// below — list with grid filter and paging, detail, create/edit with the API's validation errors placed
// next to their fields, reveal of the owner / legal representative for those that have them.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Switch, Table, Tabs } from 'antd';
import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { applyFieldErrors, fmtTime, GridSelect, RecordError, RevealDialog, REVEAL_ROLES, useQueryState, type Paged } from './shared.tsx';

type FieldType = 'text' | 'int' | 'number' | 'bool' | { options: string[]; prefix: string };
interface Field { name: string; type: FieldType; required?: boolean; max?: number; list?: boolean; create?: boolean }
interface KindConf { nav: MessageKey; fields: Field[]; masked: string[]; reveal: boolean; importKind?: string }

export const KINDS: Record<string, KindConf> = {
  houses: {
    nav: 'rg.kind.houses', reveal: true, importKind: 'houses',
    fields: [
      { name: 'address', type: 'text', required: true, max: 200, list: true },
      { name: 'unitNo', type: 'text', max: 20 }, { name: 'floor', type: 'int' }, { name: 'doorNo', type: 'text', max: 20 },
      { name: 'area', type: 'number', list: true }, { name: 'rented', type: 'bool', list: true }, { name: 'tenantCount', type: 'int' },
      { name: 'ownerName', type: 'text', max: 50, create: true }, { name: 'ownerIdNumber', type: 'text', max: 30, create: true },
      { name: 'ownerPhone', type: 'text', max: 20, create: true }, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: ['ownerNameMasked', 'ownerIdNumberMasked', 'ownerPhoneMasked'],
  },
  buildings: {
    nav: 'rg.kind.buildings', reveal: false,
    fields: [
      { name: 'name', type: 'text', required: true, max: 100, list: true }, { name: 'code', type: 'text', max: 30, list: true },
      { name: 'address', type: 'text', max: 200, list: true }, { name: 'floors', type: 'int', list: true }, { name: 'units', type: 'int' },
      { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
  organisations: {
    nav: 'nav.organisations', reveal: true, importKind: 'organisations',
    fields: [
      { name: 'name', type: 'text', required: true, max: 200, list: true },
      { name: 'kind', type: { options: ['enterprise', 'social', 'party'], prefix: 'rg.orgKind.' }, required: true, list: true },
      { name: 'creditCode', type: 'text', max: 18, list: true }, { name: 'address', type: 'text', max: 200, list: true },
      { name: 'employees', type: 'int' }, { name: 'members', type: 'int' },
      { name: 'legalRepName', type: 'text', max: 50, create: true }, { name: 'legalRepPhone', type: 'text', max: 20, create: true },
      { name: 'note', type: 'text', max: 1000 },
    ],
    masked: ['legalRepNameMasked', 'legalRepPhoneMasked'],
  },
  facilities: {
    nav: 'nav.facilities', reveal: false, importKind: 'facilities',
    fields: [
      { name: 'name', type: 'text', required: true, max: 100, list: true },
      { name: 'major', type: 'text', required: true, max: 2, list: true }, { name: 'minor', type: 'text', required: true, max: 2, list: true },
      { name: 'code', type: 'text', max: 16, list: true },
      { name: 'state', type: { options: ['intact', 'damaged', 'lost', 'scrapped'], prefix: 'rg.facState.' }, list: true },
      { name: 'address', type: 'text', max: 200 }, { name: 'competentUnit', type: 'text', max: 100 }, { name: 'ownerUnit', type: 'text', max: 100 },
      { name: 'maintainerUnit', type: 'text', max: 100 }, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
};

function useDisplay() {
  const { t, tk } = useI18n();
  return (f: Field, v: unknown) => {
    if (v == null || v === '') return '';
    if (f.type === 'bool') return v ? t('rg.yes') : t('rg.no');
    if (typeof f.type === 'object') return tk(f.type.prefix, String(v));
    return String(v);
  };
}

function control(f: Field, t: (k: MessageKey) => string) {
  if (f.type === 'bool') return <Switch />;
  if (f.type === 'int' || f.type === 'number') return <InputNumber style={{ width: '100%' }} precision={f.type === 'int' ? 0 : undefined} />;
  if (typeof f.type === 'object') {
    const { options, prefix } = f.type;
    return <Select options={options.map((o) => ({ value: o, label: t(`${prefix}${o}` as MessageKey) }))} />;
  }
  return <Input maxLength={f.max} />;
}

/** Create (record null) or edit a record; field errors from the API land next to their fields. */
function RecordForm({ kind, record, open, onClose, onSaved }: {
  kind: string; record: Record<string, any> | null; open: boolean; onClose(): void; onSaved(id: number): void;
}) {
  const { t } = useI18n();
  const conf = KINDS[kind];
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fields = conf.fields.filter((f) => !record || !f.create);
  const save = async () => {
    let v: Record<string, any>;
    try { v = await form.validateFields(); } catch { return; }
    setBusy(true); setError(null);
    const body: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const val = typeof x === 'string' ? x.trim() : x;
      if (val === '' || val === undefined) { if (record && record[k] != null) body[k] = null; continue; }
      body[k] = val;
    }
    try {
      const out = record
        ? await api<{ id: number }>(`/api/v1/${kind}/${record.id}`, { method: 'PATCH', body })
        : await api<{ id: number }>(`/api/v1/${kind}`, { body });
      onSaved(out.id);
    } catch (e) {
      if (e instanceof ApiError && applyFieldErrors(form, e, ['regionCode', ...fields.map((f) => f.name)])) { setError(t('rg.fixErrors')); return; }
      setError(e instanceof ApiError ? e.message : String(e));
    } finally { setBusy(false); }
  };
  const initial = record ? Object.fromEntries(fields.map((f) => [f.name, record[f.name] ?? undefined])) : { regionCode: undefined };
  return (
    <Modal open={open} title={record ? t('rg.editRecord') : `${t('rg.newRecord')} · ${t(conf.nav)}`} onCancel={onClose} onOk={save}
      confirmLoading={busy} okText={t('rg.save')} cancelText={t('common.cancel')} destroyOnHidden width={760}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name={`record-${kind}`} initialValues={initial} onFinish={save}>
        <Row gutter={16}>
          {!record && (
            <Col xs={24} md={12}>
              <Form.Item name="regionCode" label={t('rg.gridCode')} rules={[{ required: true, message: t('form.required') }]}>
                <GridSelect allowClear={false} style={{ width: '100%' }} placeholder={t('rg.chooseGrid')} />
              </Form.Item>
            </Col>
          )}
          {fields.map((f) => (
            <Col xs={24} md={12} key={f.name}>
              <Form.Item name={f.name} label={t(`rg.f.${f.name}` as MessageKey)} valuePropName={f.type === 'bool' ? 'checked' : 'value'}
                rules={f.required ? [{ required: true, whitespace: true, message: t('form.required') }] : []}>
                {control(f, t)}
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
    </Modal>
  );
}

const TABS = [['houses', 'rg.kind.houses'], ['buildings', 'rg.kind.buildings']] as const;

export function RecordList() {
  const { kind = 'houses' } = useParams();
  const { t } = useI18n();
  const nav = useNavigate();
  const { get, set, page } = useQueryState();
  const conf = KINDS[kind];
  const display = useDisplay();
  const [creating, setCreating] = useState(false);
  const grid = get('grid');
  const q = get('q');
  const list = useApi<Paged<Record<string, any>>>(conf ? withQuery(`/api/v1/${kind}`, { regionCode: grid, q, page, pageSize: 20, count: 'true' }) : null);
  if (!conf) return <ErrorNote error={new ApiError(404, 'not_found', kind)} />;
  const cols = conf.fields.filter((f) => f.list);
  const title = kind === 'houses' || kind === 'buildings' ? t('nav.houses') : t(conf.nav);
  return (
    <div>
      <PageTitle extra={<Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('rg.newRecord')}</Button>
        {conf.importKind && <Link to={`/registry/imports?kind=${conf.importKind}`}><Button>{t('nav.imports')}</Button></Link>}
      </Space>}>{title}</PageTitle>
      {(kind === 'houses' || kind === 'buildings') && (
        <Tabs activeKey={kind} onChange={(k) => nav(`/registry/${k}`)} items={TABS.map(([k, l]) => ({ key: k, label: t(l) }))} />
      )}
      <div className="gz-toolbar">
        <label htmlFor="r-grid">{t('rg.region')}</label>
        <GridSelect id="r-grid" value={grid} onChange={(v) => set('grid', v)} />
        <label htmlFor="r-q">{t('common.search')}</label>
        <Input.Search id="r-q" allowClear defaultValue={q} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: 240 }} />
      </div>
      <ErrorNote error={list.error} />
      <Table<Record<string, any>> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={title}
        scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: 20, showSizeChanger: false, total: list.data?.total ?? 0, showTotal: (n) => t('rg.total', { n }), onChange: (p) => set('page', p > 1 ? String(p) : undefined) }}
        columns={[
          ...cols.map((f, i) => ({
            title: t(`rg.f.${f.name}` as MessageKey), dataIndex: f.name, key: f.name,
            render: (v: unknown, r: Record<string, any>) => (i === 0 ? <Link to={`/registry/${kind}/${r.id}`}>{display(f, v) || `#${r.id}`}</Link> : display(f, v)),
          })),
          ...conf.masked.slice(0, 2).map((m) => ({ title: t(`rg.f.${m}` as MessageKey), dataIndex: m, key: m })),
          { title: t('rg.region'), dataIndex: 'regionName', key: 'region', render: (v: string | null, r: Record<string, any>) => v ?? r.regionCode },
        ]} />
      <RecordForm kind={kind} record={null} open={creating} onClose={() => setCreating(false)}
        onSaved={(id) => { setCreating(false); nav(`/registry/${kind}/${id}`); }} />
    </div>
  );
}

export function RecordDetail() {
  const { kind = 'houses', id } = useParams();
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const conf = KINDS[kind];
  const display = useDisplay();
  const rec = useApi<Record<string, any>>(conf ? `/api/v1/${kind}/${id}` : null);
  const [editing, setEditing] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<Record<string, any> | null>(null);
  const back = <Link to={`/registry/${kind}`}><Button>{t('rg.back')}</Button></Link>;
  if (!conf) return <ErrorNote error={new ApiError(404, 'not_found', kind)} />;
  if (rec.error) return <div><PageTitle extra={back}>{t(conf.nav)}</PageTitle><RecordError error={rec.error} /></div>;
  const r = rec.data;
  if (!r) return <Skeleton active />;
  return (
    <div data-testid="record-detail">
      <PageTitle extra={<Space wrap>
        {back}
        <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
        {conf.reveal && REVEAL_ROLES.includes(me.role) && !revealed && <Button icon={<EyeOutlined />} onClick={() => setRevealing(true)}>{t('rg.reveal')}</Button>}
      </Space>}>{r.name ?? r.address ?? `#${r.id}`}</PageTitle>
      {revealed && <Alert type="warning" showIcon title={t('rg.revealed')} style={{ marginBottom: 12 }} role="status" />}
      <Card size="small">
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
          <Descriptions.Item label={t('rg.region')}>{r.regionName ?? r.regionCode}</Descriptions.Item>
          {conf.fields.filter((f) => !f.create).map((f) => <Descriptions.Item key={f.name} label={t(`rg.f.${f.name}` as MessageKey)}>{display(f, r[f.name])}</Descriptions.Item>)}
          {conf.masked.map((m) => {
            const clearKey = m.replace(/Masked$/, '');
            return <Descriptions.Item key={m} label={t(`rg.f.${m}` as MessageKey)}>{revealed && clearKey in revealed ? <strong>{revealed[clearKey] ?? ''}</strong> : r[m]}</Descriptions.Item>;
          })}
          <Descriptions.Item label={t('rg.createdAt')}>{fmtTime(r.createdAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={t('rg.updatedAt')}>{fmtTime(r.updatedAt, locale)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <RecordForm kind={kind} record={r} open={editing} onClose={() => setEditing(false)}
        onSaved={() => { setEditing(false); message.success(t('common.saved')); rec.reload(); }} />
      {conf.reveal && <RevealDialog path={`/api/v1/${kind}/${r.id}/reveal`} open={revealing} onClose={() => setRevealing(false)}
        onRevealed={(v) => { setRevealed(v); setRevealing(false); }} />}
    </div>
  );
}
