// The registries other than persons — buildings, houses, rooms (with rental details), households, places,
// 部件 facilities, things (cameras and sensors) and organisations: one page per kind, driven by the small
// field lists below — list with grid filter and paging, detail with the records under it (a house's rooms
// and households …), create/edit with the API's validation errors placed next to their fields, reveal
// of the personal fields (owner, legal representative …) for those that have them. Tenants are registry
// persons linked by a tenancy (Links.tsx), never typed in; a tenant written as text by an older import is
// shown (masked) only where one exists.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Switch, Table, Tabs } from 'antd';
import { DownloadOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { useFormSubmit } from '../../lib/forms.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { can } from '../../lib/abilities.ts';
import {
  fmtTime, GridSelect, RecordError, RevealDialog, useDictOptions, useDicts, usePagedList, useQueryState, type Paged,
} from './shared.tsx';
import { HouseholdMembers, HouseholdTenancies, HouseLinks, Tenants } from './Links.tsx';

type FieldType = 'text' | 'int' | 'number' | 'bool' | 'date' | { options: string[]; prefix: string } | { dict: string };
/** only: shown when another field has one of these values (a sensor's type only for sensors) */
interface Field {
  name: string; type: FieldType; required?: boolean; max?: number; list?: boolean; create?: boolean; only?: [string, string[]];
  /** shown, never entered (a household's head and member count come from its members) */
  view?: boolean;
  /** a code shown with its label from a dictionary, the code to look up made from the record (部件 小类: 大类 + 小类) */
  labelled?: { dict: string; code?: (r: Record<string, any>) => string };
  /** a label other than rg.f.<name> */
  label?: MessageKey;
}
const labelOf = (f: Field) => f.label ?? (`rg.f.${f.name}` as MessageKey);
/** parent: the record this one hangs under (a room under its house); it then takes the parent's grid */
interface KindConf {
  nav: MessageKey; fields: Field[]; masked: string[]; reveal: boolean; importKind?: string;
  /** the masked fields a list shows (the first two when absent) */
  listMasked?: string[];
  parent?: { name: string; kind: string; required?: boolean };
}

const RENTAL: Field[] = [
  { name: 'rented', type: 'bool', list: true }, { name: 'rentalUse', type: { dict: 'rental_use' }, list: true },
  // the current tenants: registry persons (tenancies), added on the record's page with a person picker
  { name: 'tenantsMasked', type: 'text', list: true, view: true, label: 'rw.tenants' },
  { name: 'tenantCount', type: 'int' }, { name: 'leaseStart', type: 'date' }, { name: 'leaseEnd', type: 'date' },
];
/** Tenants written as text by older imports: shown (masked, revealable) only where a record has them. */
const TENANT_MASKED = ['tenantNameMasked', 'tenantIdNumberMasked', 'tenantPhoneMasked'];
const LEGACY_MASKED = new Set(TENANT_MASKED);

export const KINDS: Record<string, KindConf> = {
  houses: {
    nav: 'rg.kind.houses', reveal: true, importKind: 'houses', parent: { name: 'buildingId', kind: 'buildings' },
    fields: [
      { name: 'address', type: 'text', required: true, max: 200, list: true },
      { name: 'unitNo', type: 'text', max: 20 }, { name: 'floor', type: 'int' }, { name: 'doorNo', type: 'text', max: 20 },
      { name: 'area', type: 'number', list: true }, { name: 'useType', type: { dict: 'house_use' } },
      ...RENTAL,
      { name: 'ownerName', type: 'text', max: 50, create: true }, { name: 'ownerIdNumber', type: 'text', max: 30, create: true },
      { name: 'ownerPhone', type: 'text', max: 20, create: true }, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: ['ownerNameMasked', 'ownerIdNumberMasked', 'ownerPhoneMasked', ...TENANT_MASKED],
    listMasked: ['ownerNameMasked'],
  },
  buildings: {
    nav: 'rg.kind.buildings', reveal: false,
    fields: [
      { name: 'name', type: 'text', required: true, max: 100, list: true }, { name: 'code', type: 'text', max: 30, list: true },
      { name: 'address', type: 'text', max: 200, list: true }, { name: 'useType', type: { dict: 'building_use' } },
      { name: 'floors', type: 'int', list: true }, { name: 'units', type: 'int' },
      { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
  rooms: {
    nav: 'rg.kind.rooms', reveal: true, parent: { name: 'houseId', kind: 'houses', required: true },
    fields: [
      { name: 'name', type: 'text', required: true, max: 50, list: true, label: 'rg.f.roomName' }, { name: 'area', type: 'number', list: true, label: 'rg.f.roomArea' },
      ...RENTAL, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: TENANT_MASKED,
    listMasked: [],
  },
  households: {
    nav: 'rg.kind.households', reveal: false, parent: { name: 'houseId', kind: 'houses' },
    fields: [
      { name: 'householdNo', type: 'text', max: 30, list: true },
      { name: 'kind', type: { options: ['family', 'collective'], prefix: 'rg.hhKind.' }, list: true, label: 'rg.f.householdKind' },
      { name: 'address', type: 'text', max: 200, list: true },
      { name: 'headNameMasked', type: 'text', list: true, view: true, label: 'rw.head' },
      { name: 'memberCount', type: 'int', list: true, view: true, label: 'rw.memberCount' },
      { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
  places: {
    nav: 'rg.kind.places', reveal: true, parent: { name: 'buildingId', kind: 'buildings' },
    fields: [
      { name: 'name', type: 'text', required: true, max: 100, list: true },
      { name: 'kind', type: { dict: 'place_type' }, required: true, list: true, label: 'rg.f.placeKind' },
      { name: 'address', type: 'text', max: 200, list: true }, { name: 'attentionLevel', type: { dict: 'attention_level' }, list: true },
      { name: 'managerName', type: 'text', max: 50, create: true }, { name: 'managerPhone', type: 'text', max: 20, create: true },
      { name: 'note', type: 'text', max: 1000 },
    ],
    masked: ['managerNameMasked', 'managerPhoneMasked'],
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
      { name: 'major', type: 'text', required: true, max: 2, list: true, labelled: { dict: 'facility_class' } },
      { name: 'minor', type: 'text', required: true, max: 2, list: true, labelled: { dict: 'facility_class', code: (r) => `${r.major}${r.minor}` } },
      { name: 'code', type: 'text', max: 16, list: true },
      { name: 'state', type: { options: ['intact', 'damaged', 'lost', 'scrapped'], prefix: 'rg.facState.' }, list: true },
      { name: 'address', type: 'text', max: 200 }, { name: 'competentUnit', type: 'text', max: 100 }, { name: 'ownerUnit', type: 'text', max: 100 },
      { name: 'maintainerUnit', type: 'text', max: 100 }, { name: 'installedOn', type: 'date' },
      { name: 'lat', type: 'number' }, { name: 'lng', type: 'number' }, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
  things: {
    nav: 'rg.kind.things', reveal: false, parent: { name: 'facilityId', kind: 'facilities' },
    fields: [
      { name: 'name', type: 'text', required: true, max: 100, list: true },
      { name: 'kind', type: { options: ['camera', 'sensor'], prefix: 'rg.thingKind.' }, required: true, list: true, label: 'rg.f.thingKind' },
      { name: 'sensorType', type: { dict: 'sensor_type' }, list: true, only: ['kind', ['sensor']] },
      { name: 'deviceCode', type: 'text', required: true, max: 40, list: true },
      { name: 'status', type: { options: ['online', 'offline', 'fault', 'retired'], prefix: 'rg.thingStatus.' }, list: true },
      { name: 'vendor', type: 'text', max: 100 }, { name: 'model', type: 'text', max: 100 }, { name: 'address', type: 'text', max: 200 },
      { name: 'installedOn', type: 'date' }, { name: 'lat', type: 'number' }, { name: 'lng', type: 'number' }, { name: 'note', type: 'text', max: 1000 },
    ],
    masked: [],
  },
};

/** Kinds shown together under one menu entry, as tabs. */
const GROUPS: string[][] = [['houses', 'buildings', 'rooms', 'households']];
const groupOf = (kind: string) => GROUPS.find((g) => g.includes(kind));
/** The kinds whose records hang under a record of `kind` (a house's rooms and households). */
const childrenOf = (kind: string) => Object.entries(KINDS).filter(([, c]) => c.parent?.kind === kind).map(([k]) => k);
const dictsOf = (conf: KindConf) => conf.fields.flatMap((f) => (typeof f.type === 'object' && 'dict' in f.type ? [f.type.dict] : f.labelled ? [f.labelled.dict] : []));
/**
 * How a record is named in links and pickers: its name, address or number, a household by its head
 * (罗**户), else `fallback` (the kind's name) — never its row id.
 */
export const titleOf = (r: Record<string, any>, fallback: string) =>
  r.name ?? r.address ?? r.householdNo ?? (r.headNameMasked ? `${r.headNameMasked}户` : null) ?? r.deviceCode ?? fallback;

function useDisplay(conf: KindConf | undefined) {
  const { t, tk } = useI18n();
  const dict = useDicts(conf ? dictsOf(conf) : []);
  return (f: Field, v: unknown, r?: Record<string, any>) => {
    if (v == null || v === '') return '';
    if (f.labelled) {
      const code = f.labelled.code && r ? f.labelled.code(r) : String(v);
      const label = dict(f.labelled.dict, code);
      return label && label !== code ? `${v} ${label}` : String(v);
    }
    if (f.type === 'bool') return v ? t('rg.yes') : t('rg.no');
    if (typeof f.type === 'object' && 'dict' in f.type) return dict(f.type.dict, v);
    if (typeof f.type === 'object') return tk(f.type.prefix, String(v));
    return String(v);
  };
}

function DictSelect({ dict, ...rest }: { dict: string; id?: string; value?: string; onChange?(v: string | undefined): void }) {
  const options = useDictOptions(dict);
  return <Select {...rest} allowClear showSearch={{ optionFilterProp: 'label' }} options={options} />;
}

/** Picks a record of another kind (the house of a room …) by searching the user's region. */
export function RecordSelect({ kind, id, value, onChange }: { kind: string; id?: string; value?: number; onChange?(v: number | undefined): void }) {
  const { t } = useI18n();
  const kindName = KINDS[kind] ? t(KINDS[kind].nav) : '';
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Array<{ value: number; label: string }>>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api<Paged<Record<string, any>>>(withQuery(`/api/v1/${kind}`, { q: q.trim() || undefined, pageSize: 20 }))
        .then(async (list) => {
          const opts = list.items.map((r) => ({ value: Number(r.id), label: `${titleOf(r, kindName)} · ${r.regionName ?? r.regionCode}` }));
          if (value != null && !opts.some((o) => o.value === value)) {
            const r = await api<Record<string, any>>(`/api/v1/${kind}/${value}`).catch(() => null);
            opts.unshift({ value, label: r ? titleOf(r, kindName) : t('rg.unavailable') });
          }
          if (live) setOptions(opts);
        })
        .catch(() => undefined);
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [kind, q, value, kindName, t]);
  return (
    <Select id={id} value={value} onChange={onChange} allowClear showSearch={{ filterOption: false, onSearch: setQ }}
      options={options} placeholder={t('rg.searchRecord')} />
  );
}

function control(f: Field, t: (k: MessageKey) => string) {
  if (f.type === 'bool') return <Switch />;
  if (f.type === 'date') return <DatePicker style={{ width: '100%' }} />;
  if (f.type === 'int' || f.type === 'number') return <InputNumber style={{ width: '100%' }} precision={f.type === 'int' ? 0 : undefined} />;
  if (typeof f.type === 'object' && 'dict' in f.type) return <DictSelect dict={f.type.dict} />;
  if (typeof f.type === 'object') {
    const { options, prefix } = f.type;
    return <Select options={options.map((o) => ({ value: o, label: t(`${prefix}${o}` as MessageKey) }))} />;
  }
  return <Input maxLength={f.max} />;
}

/** Create (record null) or edit a record; field errors from the API land next to their fields. */
function RecordForm({ kind, record, open, onClose, onSaved, preset }: {
  kind: string; record: Record<string, any> | null; open: boolean; onClose(): void; onSaved(id: number): void;
  /** values a new record starts with (the house a new room belongs to) */
  preset?: Record<string, unknown>;
}) {
  const { t } = useI18n();
  const conf = KINDS[kind];
  const [form] = Form.useForm();
  const parent = conf.parent;
  const parentValue = Form.useWatch(parent?.name ?? '__none', form);
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined;
  const fields = conf.fields.filter((f) => !f.view && (!record || !f.create) && (!f.only || f.only[1].includes(String(values?.[f.only[0]] ?? record?.[f.only[0]]))));
  // a record under a parent takes the parent's grid; without one, the grid is chosen
  const needsGrid = !record && !parent?.required && parentValue == null;
  const { busy, error, save } = useFormSubmit<Record<string, any>>(form, async (v) => {
    const body: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const val = typeof x === 'string' ? x.trim() : dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : x;
      if (val === '' || val === undefined || val === null) { if (record && record[k] != null) body[k] = null; continue; }
      body[k] = val;
    }
    if (body[parent?.name ?? '__none'] != null) delete body.regionCode;
    const out = record
      ? await api<{ id: number }>(`/api/v1/${kind}/${record.id}`, { method: 'PATCH', body })
      : await api<{ id: number }>(`/api/v1/${kind}`, { body });
    onSaved(out.id);
  }, { fields: ['regionCode', ...(parent ? [parent.name] : []), ...fields.map((f) => f.name)], fixMessage: t('rg.fixErrors') });
  const initial = record
    ? Object.fromEntries([...(parent ? [parent.name] : []), ...conf.fields.filter((f) => !f.create && !f.view).map((f) => f.name)].map((n) => {
      const v = record[n];
      const date = conf.fields.find((f) => f.name === n)?.type === 'date';
      return [n, v == null ? undefined : date ? dayjs(v) : v];
    }))
    : { regionCode: undefined, ...preset };
  return (
    <Modal open={open} title={record ? t('rg.editRecord') : `${t('rg.newRecord')} · ${t(conf.nav)}`} onCancel={onClose} onOk={save}
      confirmLoading={busy} okText={t('rg.save')} cancelText={t('common.cancel')} destroyOnHidden width={760}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name={`record-${kind}`} initialValues={initial} onFinish={save}>
        <Row gutter={16}>
          {parent && (
            <Col xs={24} md={12}>
              <Form.Item name={parent.name} label={t(`rg.f.${parent.name}` as MessageKey)}
                rules={parent.required ? [{ required: true, message: t('form.required') }] : []}
                extra={!record && !parent.required ? t('rg.parentOrGrid') : undefined}>
                <RecordSelect kind={parent.kind} />
              </Form.Item>
            </Col>
          )}
          {needsGrid && (
            <Col xs={24} md={12}>
              <Form.Item name="regionCode" label={t('rg.gridCode')} rules={[{ required: true, message: t('form.required') }]}>
                <GridSelect allowClear={false} style={{ width: '100%' }} placeholder={t('rg.chooseGrid')} />
              </Form.Item>
            </Col>
          )}
          {fields.map((f) => (
            <Col xs={24} md={12} key={f.name}>
              <Form.Item name={f.name} label={t(labelOf(f))} valuePropName={f.type === 'bool' ? 'checked' : 'value'}
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

/** The parent's name the API sends beside its id (buildingId → buildingTitle). */
const parentTitle = (r: Record<string, any>, parentField: string): string | null => r[`${parentField.replace(/Id$/, '')}Title`] ?? null;

/** The column that links a record to its parent (a room to its house). */
function parentColumn(conf: KindConf, t: (k: MessageKey) => string) {
  const p = conf.parent;
  if (!p) return [];
  return [{
    title: t(`rg.f.${p.name}` as MessageKey), dataIndex: p.name, key: p.name,
    render: (v: number | null, r: Record<string, any>) => (v == null ? '' : <Link to={`/registry/${p.kind}/${v}`}>{parentTitle(r, p.name) ?? t(KINDS[p.kind].nav)}</Link>),
  }];
}

export function RecordList() {
  const { kind = 'houses' } = useParams();
  const { t } = useI18n();
  const nav = useNavigate();
  const { get, set, page } = useQueryState();
  const conf = KINDS[kind];
  const display = useDisplay(conf);
  const [creating, setCreating] = useState(false);
  const grid = get('grid');
  const q = get('q');
  const { list, pagination } = usePagedList<Record<string, any>>(conf ? `/api/v1/${kind}` : null, { regionCode: grid, q }, page, (p) => set('page', p > 1 ? String(p) : undefined));
  if (!conf) return <ErrorNote error={new ApiError(404, 'not_found', kind)} />;
  const cols = conf.fields.filter((f) => f.list);
  const group = groupOf(kind);
  const title = group ? t('nav.houses') : t(conf.nav);
  return (
    <div>
      <PageTitle extra={<Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('rg.newRecord')}</Button>
        {conf.importKind && <Link to={`/registry/imports?kind=${conf.importKind}`}><Button>{t('nav.imports')}</Button></Link>}
        <Button href={`/api/v1/registry/exports/${kind}.xlsx`} download icon={<DownloadOutlined />}>{t('rw.exportXlsx')}</Button>
        <Button href={`/api/v1/registry/exports/${kind}.csv`} download icon={<DownloadOutlined />}>{t('rw.exportCsv')}</Button>
      </Space>}>{title}</PageTitle>
      {group && <Tabs activeKey={kind} onChange={(k) => nav(`/registry/${k}`)} items={group.map((k) => ({ key: k, label: t(KINDS[k].nav) }))} />}
      <div className="gz-toolbar">
        <label htmlFor="r-grid">{t('rg.region')}</label>
        <GridSelect id="r-grid" value={grid} onChange={(v) => set('grid', v)} />
        <label htmlFor="r-q">{t('common.search')}</label>
        <Input.Search id="r-q" allowClear defaultValue={q} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: 240 }} />
      </div>
      <ErrorNote error={list.error} />
      <Table<Record<string, any>> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={title}
        scroll={{ x: 900 }} data-testid="record-list"
        pagination={pagination}
        columns={[
          ...cols.map((f, i) => ({
            title: t(labelOf(f)), dataIndex: f.name, key: f.name,
            render: (v: unknown, r: Record<string, any>) => (i === 0 ? <Link to={`/registry/${kind}/${r.id}`}>{display(f, v, r) || titleOf(r, t(conf.nav))}</Link> : display(f, v, r)),
          })),
          ...parentColumn(conf, t),
          ...(conf.listMasked ?? conf.masked.slice(0, 2)).map((m) => ({ title: t(`rg.f.${m}` as MessageKey), dataIndex: m, key: m })),
          { title: t('rg.region'), dataIndex: 'regionName', key: 'region', render: (v: string | null, r: Record<string, any>) => v ?? r.regionCode },
        ]} />
      <RecordForm kind={kind} record={null} open={creating} onClose={() => setCreating(false)}
        onSaved={(id) => { setCreating(false); nav(`/registry/${kind}/${id}`); }} />
    </div>
  );
}

/** The records under one record (a house's rooms), with a button to add one there. */
function Children({ kind, parentName, parentId }: { kind: string; parentName: string; parentId: number }) {
  const { t } = useI18n();
  const nav = useNavigate();
  const conf = KINDS[kind];
  const display = useDisplay(conf);
  const [creating, setCreating] = useState(false);
  const list = useApi<Paged<Record<string, any>>>(withQuery(`/api/v1/${kind}`, { [parentName]: String(parentId), pageSize: 100 }));
  const cols = conf.fields.filter((f) => f.list).slice(0, 5);
  return (
    <Card size="small" title={t(conf.nav)} style={{ marginTop: 16 }} data-testid={`children-${kind}`}
      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('rg.addChild', { kind: t(conf.nav) })}</Button>}>
      <ErrorNote error={list.error} />
      <Table<Record<string, any>> rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data?.items ?? []}
        aria-label={t(conf.nav)} locale={{ emptyText: t('rg.noChildren') }}
        columns={[
          ...cols.map((f, i) => ({
            title: t(labelOf(f)), dataIndex: f.name, key: f.name,
            render: (v: unknown, r: Record<string, any>) => (i === 0 ? <Link to={`/registry/${kind}/${r.id}`}>{display(f, v, r) || titleOf(r, t(conf.nav))}</Link> : display(f, v, r)),
          })),
          ...(conf.listMasked ?? conf.masked).slice(0, 1).map((m) => ({ title: t(`rg.f.${m}` as MessageKey), dataIndex: m, key: m })),
        ]} />
      <RecordForm kind={kind} record={null} open={creating} preset={{ [parentName]: parentId }} onClose={() => setCreating(false)}
        onSaved={(id) => { setCreating(false); nav(`/registry/${kind}/${id}`); }} />
    </Card>
  );
}

/** A link to the record this one hangs under, named by its name or address. */
function ParentLink({ kind, id, title }: { kind: string; id: number; title: string | null }) {
  const { t } = useI18n();
  return <Link to={`/registry/${kind}/${id}`}>{title ? `${t(KINDS[kind].nav)} · ${title}` : t(KINDS[kind].nav)}</Link>;
}

export function RecordDetail() {
  const { kind = 'houses', id } = useParams();
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const conf = KINDS[kind];
  const display = useDisplay(conf);
  const rec = useApi<Record<string, any>>(conf ? `/api/v1/${kind}/${id}` : null);
  const [editing, setEditing] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<Record<string, any> | null>(null);
  useEffect(() => { setRevealed(null); }, [kind, id]);
  const back = <Link to={`/registry/${kind}`}><Button>{t('rg.back')}</Button></Link>;
  if (!conf) return <ErrorNote error={new ApiError(404, 'not_found', kind)} />;
  if (rec.error) return <div><PageTitle extra={back}>{t(conf.nav)}</PageTitle><RecordError error={rec.error} /></div>;
  const r = rec.data;
  if (!r || String(r.id) !== id) return <Skeleton active />;
  const shown = conf.fields.filter((f) => !f.create && (!f.only || f.only[1].includes(String(r[f.only[0]]))));
  const p = conf.parent;
  return (
    <div data-testid="record-detail">
      <PageTitle extra={<Space wrap>
        {back}
        <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
        {kind === 'households' && can(me, 'fieldwork.plan') && <Link to={`/visit/plans/new?household=${r.id}`}><Button data-testid="plan-household-visit">{t('fw.plan.new')}</Button></Link>}
        {conf.reveal && can(me, 'registry.reveal') && !revealed && <Button icon={<EyeOutlined />} onClick={() => setRevealing(true)}>{t('rg.reveal')}</Button>}
      </Space>}>{t(conf.nav)} · {titleOf(r, t('rg.unnamed'))}</PageTitle>
      {revealed && <Alert type="warning" showIcon title={t('rg.revealed')} style={{ marginBottom: 12 }} role="status" />}
      <Card size="small">
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
          <Descriptions.Item label={t('rg.region')}>{r.regionName ?? r.regionCode}</Descriptions.Item>
          {p && <Descriptions.Item label={t(`rg.f.${p.name}` as MessageKey)}>
            {r[p.name] != null ? <ParentLink kind={p.kind} id={r[p.name]} title={parentTitle(r, p.name)} /> : '—'}
          </Descriptions.Item>}
          {shown.map((f) => <Descriptions.Item key={f.name} label={t(labelOf(f))}>{display(f, r[f.name], r)}</Descriptions.Item>)}
          {conf.masked.filter((m) => !LEGACY_MASKED.has(m) || r[m] != null).map((m) => {
            const clearKey = m.replace(/Masked$/, '');
            return <Descriptions.Item key={m} label={t(`rg.f.${m}` as MessageKey)}>{revealed && clearKey in revealed ? <strong>{revealed[clearKey] ?? ''}</strong> : r[m]}</Descriptions.Item>;
          })}
          <Descriptions.Item label={t('rg.createdAt')}>{fmtTime(r.createdAt, locale)}</Descriptions.Item>
          <Descriptions.Item label={t('rg.updatedAt')}>{fmtTime(r.updatedAt, locale)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {kind === 'households' && <HouseholdMembers household={r} onChanged={rec.reload} />}
      {childrenOf(kind).map((c) => <Children key={c} kind={c} parentName={KINDS[c].parent!.name} parentId={r.id} />)}
      {kind === 'houses' && <HouseLinks house={r} onChanged={rec.reload} />}
      {kind === 'rooms' && r.houseId != null && <Tenants houseId={r.houseId} room={{ id: r.id, title: r.name }} onChanged={rec.reload} />}
      {kind === 'households' && <HouseholdTenancies householdId={r.id} />}
      <RecordForm kind={kind} record={r} open={editing} onClose={() => setEditing(false)}
        onSaved={() => { setEditing(false); message.success(t('common.saved')); rec.reload(); }} />
      {conf.reveal && <RevealDialog path={`/api/v1/${kind}/${r.id}/reveal`} open={revealing} onClose={() => setRevealing(false)}
        fields={conf.masked.filter((m) => r[m] != null).map((m) => m.replace(/Masked$/, ''))}
        onRevealed={(v) => { setRevealed(v); setRevealing(false); }} />}
    </div>
  );
}
