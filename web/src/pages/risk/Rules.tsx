// 预警规则: rules as data. Each kind's parameters come from the server's schema (GET /risk/rule-kinds), so
// the form follows the kinds the platform has; each save is the rule's next version; a back-test says what
// the saved rule, an earlier version or the edit in progress would have raised in a past period.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, List, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { useDictionary, useUnits } from '../../lib/lookups.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { CategoryPicker } from '../../components/Pickers.tsx';
import { LevelTag, useAlertSentence } from '../../components/Risk.tsx';

interface JsonSchema { type?: string; enum?: string[]; items?: JsonSchema; properties?: Record<string, JsonSchema>; required?: string[]; default?: unknown; minimum?: number; maximum?: number }
interface Kind { kind: string; watches: string; params: JsonSchema }
interface Template { key: string; name: { zh: string; en: string }; kind: string; level: string; params: Record<string, unknown> }
interface Rule {
  id: number; version: number; name: string; kind: string; level: string; regionCode: string; regionName: string | null; params: Record<string, any>;
  unitId: string | null; unitName: string | null; enabled: boolean; editable: boolean; updatedAt: string;
  versions?: Array<{ version: number; name: string; level: string; params: Record<string, any>; note: string | null; actorName: string | null; at: string; enabled: boolean }>;
}
interface BacktestHit {
  subject: string; at: string; regionCode: string; facts: Record<string, any>; caseIds: number[];
  /** where: the grid (or the area the rule counts in) with its path from the district down */
  region: { code: string; name: string; level: string | null; path: Array<{ code: string; name: string }> };
  /** which categories, by name */
  categories: Array<{ code: string; name: { zh: string; en: string } }>;
}
interface Backtest { count: number; truncated: boolean; note: string | null; alerts: BacktestHit[] }

const LEVELS = ['red', 'orange', 'yellow', 'blue'];

/** One parameter's control, from its schema. */
function ParamField({ name, schema, required }: { name: string; schema: JsonSchema; required: boolean }) {
  const { t, tk } = useI18n();
  const label = t(`rk.rules.p.${name}` as MessageKey);
  const path = ['params', name];
  if (name === 'autoCase') {
    return <Form.Item name={[...path, 'categoryCode']} label={label}><CategoryPicker caseType="hazard" /></Form.Item>;
  }
  // a metric and a sensor type by their names in the registry's code tables (监测指标, 传感器类型), not their codes
  if (name === 'metric' || name === 'sensorType') {
    return (
      <Form.Item name={path} label={label} rules={[{ required }]}>
        <DictSelect dictionary={name === 'metric' ? 'sensor_metric' : 'sensor_type'} allowClear={!required} />
      </Form.Item>
    );
  }
  if (schema.type === 'array') {
    const options = schema.items?.enum?.map((v) => ({ value: v, label: tk('rk.rules.v.', v) }));
    return (
      <Form.Item name={path} label={label} rules={[{ required }]}>
        <Select mode={options ? 'multiple' : 'tags'} options={options} tokenSeparators={[',', '，', ' ']} />
      </Form.Item>
    );
  }
  if (schema.enum) {
    return <Form.Item name={path} label={label} rules={[{ required }]}><Select options={schema.enum.map((v) => ({ value: v, label: tk('rk.rules.v.', v) }))} /></Form.Item>;
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return <Form.Item name={path} label={label} rules={[{ required }]}><InputNumber min={schema.minimum} max={schema.maximum} style={{ width: 160 }} /></Form.Item>;
  }
  if (schema.type === 'boolean') return <Form.Item name={path} label={label} valuePropName="checked"><Switch /></Form.Item>;
  return <Form.Item name={path} label={label} rules={[{ required }]}><Input style={{ width: 200 }} /></Form.Item>;
}

function DictSelect({ dictionary, ...rest }: { dictionary: string; id?: string; value?: string; onChange?(v: string): void; allowClear?: boolean }) {
  const { locale } = useI18n();
  const dict = useDictionary(dictionary);
  return (
    <Select {...rest} showSearch={{ optionFilterProp: 'label' }} style={{ width: 240 }}
      options={(dict?.options ?? []).map((o) => ({ value: o.code, label: locale === 'en' ? (o.en ?? o.zh) : o.zh }))} />
  );
}

function ParamFields({ kind }: { kind?: Kind }) {
  if (!kind) return null;
  const props = kind.params.properties ?? {};
  const required = new Set(kind.params.required ?? []);
  return <>{Object.entries(props).map(([n, s]) => <ParamField key={n} name={n} schema={s} required={required.has(n) && s.default === undefined} />)}</>;
}

/** Form values → the parameters the API takes (an empty auto-case is none). */
function paramsOf(v: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v ?? {})) {
    if (x == null || x === '' || (Array.isArray(x) && !x.length)) continue;
    if (k === 'autoCase') { if (x.categoryCode) out.autoCase = { categoryCode: x.categoryCode }; continue; }
    out[k] = x;
  }
  return out;
}

function BacktestPanel({ rule, draft }: { rule: Rule; draft: () => Promise<{ kind: string; params: Record<string, unknown>; level: string } | null> }) {
  const { t, pick, locale } = useI18n();
  const say = useAlertSentence();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day'), dayjs()]);
  const [useDraft, setUseDraft] = useState(true);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [result, setResult] = useState<Backtest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true); setError(null);
    try {
      const period = { from: range[0].startOf('day').toISOString(), to: range[1].endOf('day').toISOString() };
      const d = useDraft && rule.editable ? await draft() : null;
      setResult(d
        ? await api<Backtest>('/api/v1/risk/rules/backtest', { body: { ...period, kind: d.kind, params: d.params, level: d.level, regionCode: rule.regionCode } })
        : await api<Backtest>(`/api/v1/risk/rules/${rule.id}/backtest`, { body: { ...period, ...(version ? { version } : {}) } }));
    } catch (e: any) { setError(e?.message ?? String(e)); } finally { setBusy(false); }
  };
  return (
    <Card size="small" title={t('rk.rules.backtest')} data-testid="backtest">
      <Space wrap style={{ marginBottom: 8 }}>
        <label htmlFor="backtest-period-from">{t('rk.rules.backtestPeriod')}</label>
        <label htmlFor="backtest-period-to" className="gz-visually-hidden">{`${t('rk.rules.backtestPeriod')} · ${t('rk.rules.backtestTo')}`}</label>
        <DatePicker.RangePicker id={{ start: 'backtest-period-from', end: 'backtest-period-to' }} value={range} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
          allowClear={false} aria-label={t('rk.rules.backtestPeriod')}
          placeholder={[t('rk.rules.backtestFrom'), t('rk.rules.backtestTo')]} />
        {rule.editable && <Checkbox checked={useDraft} onChange={(e) => setUseDraft(e.target.checked)}>{t('rk.rules.backtestDraft')}</Checkbox>}
        {(!useDraft || !rule.editable) && (
          <>
            <label htmlFor="backtest-version">{t('rk.rules.backtestVersion')}</label>
            <Select id="backtest-version" style={{ width: 110 }} allowClear placeholder={`v${rule.version}`} value={version} onChange={setVersion}
              options={(rule.versions ?? []).map((v) => ({ value: v.version, label: `v${v.version}` }))} />
          </>
        )}
        <Button type="primary" onClick={run} loading={busy} data-testid="run-backtest">{t('rk.rules.backtestRun')}</Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {result && (
        <>
          <Typography.Paragraph strong data-testid="backtest-count" data-count={result.count}>
            {result.note ? t('rk.rules.backtestNote') : t('rk.rules.backtestResult', { count: result.count })}
          </Typography.Paragraph>
          <List size="small" dataSource={result.alerts.slice(0, 50)} data-testid="backtest-hits" renderItem={(a) => (
            <List.Item data-hit={a.subject}>
              <div style={{ width: '100%' }}>
                <Space wrap size={[8, 2]}>
                  <Typography.Text type="secondary">{formatDateTime(a.at, locale)}</Typography.Text>
                  <span data-testid="hit-region" title={a.region.code}>
                    <EnvironmentOutlined /> <Typography.Text strong>{a.region.name}</Typography.Text>
                    {a.region.path.length > 1 && <Typography.Text type="secondary">（{a.region.path.slice(0, -1).map((x) => x.name).join(' › ')}）</Typography.Text>}
                  </span>
                  {a.categories.length > 0 && (
                    <span data-testid="hit-category">{t('rk.rules.hitCategory')}{a.categories.map((c) => <Tag key={c.code} color="blue" style={{ marginInlineStart: 4 }} title={c.code}>{pick(c.name)}</Tag>)}</span>
                  )}
                </Space>
                <div>{say(rule.kind, a.facts)}</div>
              </div>
            </List.Item>
          )} />
        </>
      )}
    </Card>
  );
}

function RuleEditor({ id, kinds, onSaved }: { id: number; kinds: Kind[]; onSaved(): void }) {
  const { t, pick, locale } = useI18n();
  const { message } = App.useApp();
  const units = useUnits();
  const r = useApi<Rule>(`/api/v1/risk/rules/${id}`);
  const [form] = Form.useForm();
  useEffect(() => {
    if (r.data) form.setFieldsValue({ name: r.data.name, level: r.data.level, enabled: r.data.enabled, unitId: r.data.unitId ?? undefined, params: r.data.params, note: '' });
  }, [r.data, form]);
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const saved = await api<Rule>(`/api/v1/risk/rules/${id}`, {
      method: 'PATCH', body: { name: v.name, level: v.level, enabled: v.enabled, unitId: v.unitId ?? null, params: paramsOf(v.params), version: r.data!.version, ...(v.note ? { note: v.note } : {}) },
    });
    message.success(t('rk.rules.saved', { version: saved.version }));
    r.reload();
    onSaved();
  });
  if (!r.data) return <ErrorNote error={r.error} />;
  const rule = r.data;
  const kind = kinds.find((k) => k.kind === rule.kind);
  const draft = async () => {
    const v = form.getFieldsValue(true);
    return { kind: rule.kind, params: paramsOf(v.params), level: v.level ?? rule.level };
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Text type="secondary">{t(`rk.kind.${rule.kind}` as MessageKey)} · {rule.regionName ?? rule.regionCode} · v{rule.version}</Typography.Text>
      {!rule.editable && <Alert type="info" showIcon title={t('rk.rules.readOnly')} />}
      {error && <Alert type="error" showIcon title={error} />}
      <Form form={form} name="rule" layout="vertical" disabled={!rule.editable} data-testid="rule-form">
        <Form.Item name="name" label={t('rk.rules.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} /></Form.Item>
        <Space wrap>
          <Form.Item name="level" label={t('rk.level')}><Select style={{ width: 120 }} options={LEVELS.map((l) => ({ value: l, label: t(`rk.level.${l}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="enabled" label={t('rk.rules.enabled')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
        <Card size="small" title={t('rk.rules.params')} style={{ marginBottom: 12 }}><ParamFields kind={kind} /></Card>
        <Form.Item name="unitId" label={t('rk.rules.unit')} extra={t('rk.rules.unitHint')}>
          <Select allowClear showSearch optionFilterProp="label" options={[...(units?.values() ?? [])].map((u) => ({ value: u.id, label: pick({ zh: u.name, en: u.nameEn ?? u.name }) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('rk.rules.note')}><Input maxLength={500} /></Form.Item>
        {rule.editable && <Button type="primary" onClick={save} loading={busy} data-testid="save-rule">{t('rk.rules.save')}</Button>}
      </Form>
      <BacktestPanel rule={rule} draft={draft} />
      <Card size="small" title={t('rk.rules.versions')}>
        <List size="small" dataSource={rule.versions ?? []} renderItem={(v) => (
          <List.Item>
            <Space wrap><Tag>v{v.version}</Tag><LevelTag level={v.level} />{v.name}
              <Typography.Text type="secondary">{v.actorName} · {formatDateTime(v.at, locale)}{v.note ? ` · ${v.note}` : ''}</Typography.Text></Space>
          </List.Item>
        )} />
      </Card>
    </Space>
  );
}

function NewRule({ open, kinds, onClose, onSaved }: { open: boolean; kinds: Kind[]; onClose(): void; onSaved(id: number): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const kindName = Form.useWatch('kind', form) as string | undefined;
  const kind = kinds.find((k) => k.kind === kindName);
  useEffect(() => {
    if (!kind) return;
    const defaults = Object.fromEntries(Object.entries(kind.params.properties ?? {}).filter(([, s]) => s.default !== undefined).map(([n, s]) => [n, s.default]));
    form.setFieldsValue({ params: defaults });
  }, [kind, form]);
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const r = await api<Rule>('/api/v1/risk/rules', { body: { name: v.name, kind: v.kind, level: v.level, params: paramsOf(v.params), enabled: true } });
    form.resetFields();
    onSaved(r.id);
  });
  return (
    <Modal open={open} title={t('rk.rules.add')} onCancel={onClose} onOk={save} confirmLoading={busy} width={640} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name="newRule" layout="vertical" initialValues={{ level: 'yellow' }} data-testid="new-rule-form">
        <Form.Item name="name" label={t('rk.rules.name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} /></Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={t('rk.kind')} rules={[{ required: true }]}>
            <Select style={{ width: 220 }} options={kinds.map((k) => ({ value: k.kind, label: t(`rk.kind.${k.kind}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="level" label={t('rk.level')}><Select style={{ width: 120 }} options={LEVELS.map((l) => ({ value: l, label: t(`rk.level.${l}` as MessageKey) }))} /></Form.Item>
        </Space>
        <ParamFields kind={kind} />
      </Form>
    </Modal>
  );
}

export default function Rules() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const list = useApi<{ items: Rule[] }>('/api/v1/risk/rules');
  const kinds = useApi<{ items: Kind[]; templates: Template[] }>('/api/v1/risk/rule-kinds');
  const [adding, setAdding] = useState(false);
  const [templates, setTemplates] = useState<string[]>([]);
  const [picking, setPicking] = useState(false);
  const open = params.get('id') ? Number(params.get('id')) : null;
  const setOpen = (id: number | null) => { const n = new URLSearchParams(params); if (id) n.set('id', String(id)); else n.delete('id'); setParams(n, { replace: true }); };
  const writer = can(me, 'risk.rule.write');
  const kindList = useMemo(() => kinds.data?.items ?? [], [kinds.data]);
  const addTemplates = async () => {
    const r = await api<{ items: Rule[] }>('/api/v1/risk/rules/from-templates', { body: { keys: templates } });
    message.success(t('rk.rules.added', { n: r.items.length }));
    setPicking(false); setTemplates([]); list.reload();
  };
  return (
    <div>
      <PageTitle extra={writer && (
        <Space>
          <Button onClick={() => setPicking(true)}>{t('rk.rules.fromTemplate')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('rk.rules.add')}</Button>
        </Space>
      )}>{t('rk.rules.title')}</PageTitle>
      <ErrorNote error={list.error} />
      <Card size="small">
        <Table<Rule>
          rowKey="id" size="small" pagination={false} dataSource={list.data?.items ?? []} loading={list.loading && !list.data} data-testid="rule-list"
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('rk.rules.name'), dataIndex: 'name' },
            { title: t('rk.kind'), dataIndex: 'kind', render: (k) => t(`rk.kind.${k}` as MessageKey) },
            { title: t('rk.level'), dataIndex: 'level', width: 80, render: (l) => <LevelTag level={l} /> },
            { title: t('rk.rules.region'), key: 'region', render: (_, r) => r.regionName ?? r.regionCode },
            { title: t('rk.rules.version'), dataIndex: 'version', width: 70, render: (v) => `v${v}` },
            { title: t('rk.rules.enabled'), dataIndex: 'enabled', width: 70, render: (v) => (v ? <Tag color="green">✓</Tag> : <Tag>—</Tag>) },
          ]}
        />
      </Card>
      <Drawer open={open != null} onClose={() => setOpen(null)} size={640} title={t('rk.rules.edit')} destroyOnHidden>
        {open != null && <RuleEditor id={open} kinds={kindList} onSaved={() => list.reload()} />}
      </Drawer>
      <NewRule open={adding} kinds={kindList} onClose={() => setAdding(false)} onSaved={(id) => { setAdding(false); list.reload(); setOpen(id); }} />
      <Modal open={picking} title={t('rk.rules.fromTemplate')} onCancel={() => setPicking(false)} onOk={addTemplates} okButtonProps={{ disabled: !templates.length }}>
        <Checkbox.Group value={templates} onChange={(v) => setTemplates(v as string[])} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
          options={(kinds.data?.templates ?? []).map((tp) => ({ value: tp.key, label: <span><LevelTag level={tp.level} />{pick(tp.name)}</span> }))} />
      </Modal>
    </div>
  );
}
