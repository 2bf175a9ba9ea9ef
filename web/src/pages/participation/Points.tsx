// 积分超市 for staff: the shop's items (name, points, stock — put on the shelf, repriced, restocked, taken
// off), the redemptions, the appeals of point changes to decide (an upheld appeal reverses the entry), and
// the point rules (正向激励、负向惩戒) with their switch.
import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { ptError, useRun, useSubmit } from './shared.ts';
import { applyFieldErrors } from '../../lib/forms.ts';

interface Item { id: number; name: string; cost: number; stock: number; stocked: number; redeemed: number; active: boolean; regionName: string | null }
interface Redemption { id: number; item: string; name: string | null; cost: number; at: string }
interface HouseholdBrief { id: number; householdNo: string | null; address: string | null; members: number }
interface Appeal { id: number; name: string | null; regionName: string | null; household: HouseholdBrief | null; delta: number; entryReason: string; reason: string; status: 'open' | 'upheld' | 'rejected'; decisionNote: string | null; createdAt: string }
interface Rule { id: number; label: string; points: number; active: boolean }

function Items() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Item[] }>('/api/v1/participation/points/shop');
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const [restocking, setRestocking] = useState<Item | null>(null);
  const [add, setAdd] = useState<number | null>(10);
  const [form] = Form.useForm();
  const sub = useSubmit();
  const save = (v: { regionCode?: string; name: string; cost: number; stock?: number }) => sub.submit(async (headers) => {
    const ok = editing === 'new'
      ? await run(() => api('/api/v1/participation/points/shop', { headers, body: { regionCode: v.regionCode, name: v.name, cost: v.cost, stock: v.stock } }), 'pt.shop.added')
      : await run(() => api(`/api/v1/participation/points/shop/${(editing as Item).id}`, { method: 'PATCH', body: { name: v.name, cost: v.cost } }), 'pt.shop.saved');
    if (ok) { setEditing(null); list.reload(); }
    return ok;
  });
  const shelf = async (i: Item) => { if (await run(() => api(`/api/v1/participation/points/shop/${i.id}`, { method: 'PATCH', body: { active: !i.active } }), i.active ? 'pt.shop.offShelf' : 'pt.shop.onShelf')) list.reload(); };
  const restock = async () => {
    if (restocking && add && await run(() => api(`/api/v1/participation/points/shop/${restocking.id}/restock`, { body: { add } }), 'pt.shop.restocked')) { setRestocking(null); list.reload(); }
  };
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => { form.resetFields(); setEditing('new'); }}>{t('pt.shop.add')}</Button>
      <ErrorNote error={list.error} />
      <Table<Item> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="shop-items" pagination={false}
        locale={{ emptyText: t('pt.shop.empty') }} columns={[
          { title: t('pt.shop.name'), render: (_, i) => <Space wrap>{i.name}{!i.active && <Tag>{t('pt.shop.off')}</Tag>}</Space> },
          { title: t('pt.shop.region'), render: (_, i) => i.regionName ?? '—' },
          { title: t('pt.shop.cost'), dataIndex: 'cost', width: 90 },
          { title: t('pt.shop.stock'), width: 90, render: (_, i) => (i.stock ? i.stock : <Tag color="red">{t('pt.shop.soldOut')}</Tag>) },
          { title: t('pt.shop.redeemed'), dataIndex: 'redeemed', width: 90 },
          { title: '', width: 230, render: (_, i) => (
            <Space wrap size={4}>
              <Button size="small" onClick={() => { form.setFieldsValue({ name: i.name, cost: i.cost }); setEditing(i); }}>{t('pt.shop.edit')}</Button>
              <Button size="small" onClick={() => { setAdd(10); setRestocking(i); }}>{t('pt.shop.restock')}</Button>
              <Button size="small" onClick={() => shelf(i)}>{t(i.active ? 'pt.shop.takeOff' : 'pt.shop.putOn')}</Button>
            </Space>
          ) },
        ]} />
      <Modal open={editing != null} title={t(editing === 'new' ? 'pt.shop.add' : 'pt.shop.edit')} onOk={() => form.submit()} confirmLoading={sub.pending} onCancel={() => setEditing(null)} okText={t('common.save')} forceRender>
        <Form form={form} layout="vertical" name="shop-item" onFinish={save} initialValues={{ regionCode: me.regionCode, stock: 10 }}>
          {editing === 'new' && <Form.Item name="regionCode" label={t('pt.shop.region')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>}
          <Form.Item name="name" label={t('pt.shop.name')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
          <Space wrap>
            <Form.Item name="cost" label={t('pt.shop.cost')} rules={[{ required: true, message: t('form.required') }]}><InputNumber min={1} max={1000000} /></Form.Item>
            {editing === 'new' && <Form.Item name="stock" label={t('pt.shop.stock')} rules={[{ required: true, message: t('form.required') }]}><InputNumber min={0} max={1000000} /></Form.Item>}
          </Space>
          {editing !== 'new' && <Typography.Paragraph type="secondary">{t('pt.shop.priceNote')}</Typography.Paragraph>}
        </Form>
      </Modal>
      <Modal open={!!restocking} title={t('pt.shop.restockTitle', { name: restocking?.name ?? '' })} onOk={restock} onCancel={() => setRestocking(null)} okButtonProps={{ disabled: !add }} destroyOnHidden>
        <InputNumber aria-label={t('pt.shop.addStock')} min={1} max={1000000} value={add} onChange={(v) => setAdd(v)} />
      </Modal>
    </>
  );
}

function Redemptions() {
  const { t, locale } = useI18n();
  const list = useApi<{ items: Redemption[] }>('/api/v1/participation/points/redemptions?pageSize=100');
  return (
    <>
      <ErrorNote error={list.error} />
      <Table<Redemption> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="redemptions"
        locale={{ emptyText: t('pt.shop.noRedemptions') }} pagination={{ pageSize: 20, hideOnSinglePage: true }} columns={[
          { title: t('pt.shop.at'), width: 160, render: (_, r) => formatDateTime(r.at, locale) },
          { title: t('pt.shop.resident'), render: (_, r) => r.name ?? '—' },
          { title: t('pt.shop.name'), dataIndex: 'item' },
          { title: t('pt.shop.cost'), dataIndex: 'cost', width: 90 },
        ]} />
    </>
  );
}

function Appeals({ version, onChanged }: { version: number; onChanged(): void }) {
  const { t, locale } = useI18n();
  const run = useRun();
  const [status, setStatus] = useState<'open' | ''>('open');
  const list = useApi<{ items: Appeal[] }>(`/api/v1/participation/points/appeals${status ? `?status=${status}` : ''}`, [version]);
  const [deciding, setDeciding] = useState<{ appeal: Appeal; uphold: boolean } | null>(null);
  const [note, setNote] = useState('');
  // a double click decides once: the button spins and takes no second click (no "already decided" error after the success)
  const sub = useSubmit();
  const decide = () => sub.submit(async () => {
    if (!deciding) return false;
    const ok = await run(() => api(`/api/v1/participation/points/appeals/${deciding.appeal.id}/decide`, { body: { uphold: deciding.uphold, note } }), 'pt.appeal.decided');
    // an upheld appeal reverses the entry: the person card, the ledgers and the leaderboard show it at once
    if (ok) { setDeciding(null); setNote(''); list.reload(); onChanged(); }
    return ok;
  });
  return (
    <>
      <Radio.Group optionType="button" value={status} onChange={(e) => setStatus(e.target.value)} style={{ marginBottom: 12 }}
        options={[{ value: 'open', label: t('pt.appeal.open') }, { value: '', label: t('pt.appeal.all') }]} />
      <ErrorNote error={list.error} />
      <Table<Appeal> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="appeals"
        locale={{ emptyText: t('pt.appeal.empty') }} pagination={{ pageSize: 20, hideOnSinglePage: true }} columns={[
          { title: t('pt.shop.at'), width: 150, render: (_, a) => formatDateTime(a.createdAt, locale) },
          { title: t('pt.shop.resident'), width: 200, render: (_, a) => <>{a.name ?? '—'}<div><Typography.Text type="secondary">{householdText(t, a.regionName, a.household)}</Typography.Text></div></> },
          { title: t('pt.appeal.entry'), render: (_, a) => <><Typography.Text style={{ color: a.delta > 0 ? '#389e0d' : '#cf1322' }}>{a.delta > 0 ? `+${a.delta}` : a.delta}</Typography.Text> <span className="gz-typed">{a.entryReason}</span></> },
          { title: t('pt.appeal.reason'), render: (_, a) => <div className="gz-typed">{a.reason}</div> },
          { title: t('pt.appeal.decision'), width: 260, render: (_, a) => (a.status === 'open'
            ? <Space size={4}>
                <Button size="small" type="primary" onClick={() => setDeciding({ appeal: a, uphold: true })}>{t('pt.appeal.uphold')}</Button>
                <Button size="small" onClick={() => setDeciding({ appeal: a, uphold: false })}>{t('pt.appeal.reject')}</Button>
              </Space>
            : <><Tag color={a.status === 'upheld' ? 'green' : 'default'}>{t(`pt.points.appealStatus.${a.status}` as MessageKey)}</Tag>{a.decisionNote && <div className="gz-typed" data-testid="appeal-decision-note">{a.decisionNote}</div>}</>) },
        ]} />
      <Modal open={!!deciding} destroyOnHidden onOk={() => void decide()} onCancel={() => setDeciding(null)} okButtonProps={{ disabled: note.trim().length < 2 }} confirmLoading={sub.pending}
        title={t(deciding?.uphold ? 'pt.appeal.upholdTitle' : 'pt.appeal.rejectTitle')} okText={t(deciding?.uphold ? 'pt.appeal.uphold' : 'pt.appeal.reject')}>
        {deciding?.uphold && <Typography.Paragraph type="secondary">{t('pt.appeal.upholdHelp', { delta: -deciding.appeal.delta })}</Typography.Paragraph>}
        <Input.TextArea aria-label={t('pt.appeal.note')} placeholder={t('pt.appeal.note')} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </>
  );
}

/** Where a resident lives, as staff place them: community, household number and address. */
function householdText(t: ReturnType<typeof useI18n>['t'], regionName: string | null, h: HouseholdBrief | null): string {
  return [regionName, h ? t('pt.pts.household', { no: h.householdNo ?? '—', n: h.members }) : null, h?.address].filter(Boolean).join(' · ');
}

interface Person { personId: number; name: string; regionName: string | null; householdId: number | null; household: HouseholdBrief | null; address: string | null; balance: number }
interface Ledger { balance: number; entries: Array<{ id: number; delta: number; reason: string; at: string; recordedBy: string | null }> }

/** 居民积分: find a resident of the territory, apply a rule (award or deduct) with a note, read their and their household's ledger. */
function Residents({ version }: { version: number }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const sub = useSubmit();
  const [q, setQ] = useState('');
  const [term, setTerm] = useState('');
  // `version` moves when another tab changed points (an appeal decided) or rules (one added or switched): reload
  const found = useApi<{ items: Person[] }>(term ? `/api/v1/participation/points/people?q=${encodeURIComponent(term)}` : null, [version]);
  const rules = useApi<{ items: Rule[] }>('/api/v1/participation/points/rules', [version]);
  const [person, setPerson] = useState<Person | null>(null);
  const ledger = useApi<Ledger>(person ? `/api/v1/participation/points/ledger?personId=${person.personId}` : null, [version]);
  const hh = useApi<Ledger & { members: number | null; accounts: number }>(person?.householdId ? `/api/v1/participation/points/household-ledger?householdId=${person.householdId}` : null, [version]);
  const [form] = Form.useForm();
  const ruleId = Form.useWatch('ruleId', form) as number | undefined;
  // a deduction says what happened: the resident reads it and may appeal
  const deducting = (rules.data?.items ?? []).find((r) => r.id === ruleId)?.points ?? 0;
  // an award rule picked after a deduction: the note is no longer required, so its error goes
  useEffect(() => {
    if (deducting >= 0 && form.getFieldError('note').length) form.setFields([{ name: 'note', errors: [] }]);
  }, [deducting, form]);
  const apply = (v: { ruleId: number; note?: string }) => sub.submit(async (headers) => {
    try {
      await api('/api/v1/participation/points/awards', { headers, body: { personId: person!.personId, ruleId: v.ruleId, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } });
    } catch (e) {
      if (!(e instanceof ApiError && applyFieldErrors(form, e, ['ruleId', 'note']))) message.error(ptError(e, locale));
      return false;
    }
    message.success(t('pt.pts.applied'));
    form.resetFields(); ledger.reload(); hh.reload(); found.reload();
    return true;
  });
  const entries = (l: Ledger | null | undefined) => (
    <Table size="small" rowKey="id" dataSource={l?.entries ?? []} pagination={{ pageSize: 8, hideOnSinglePage: true }} columns={[
      { title: t('pt.shop.at'), width: 150, render: (_, e) => formatDateTime(e.at, locale) },
      { title: t('pt.rule.points'), width: 80, render: (_, e) => <Typography.Text style={{ color: e.delta > 0 ? '#389e0d' : '#cf1322' }}>{e.delta > 0 ? `+${e.delta}` : e.delta}</Typography.Text> },
      { title: t('pt.pts.reason'), render: (_, e) => <div className="gz-typed">{e.reason}</div> },
      { title: t('pt.pts.recordedBy'), width: 130, render: (_, e) => e.recordedBy ?? t('pt.pts.automatic') },
    ]} />
  );
  return (
    <>
      <Input.Search aria-label={t('pt.pts.search')} placeholder={t('pt.pts.search')} value={q} onChange={(e) => setQ(e.target.value)} onSearch={(v) => setTerm(v.trim())} enterButton style={{ maxWidth: 420, marginBottom: 12 }} data-testid="pts-search" />
      <ErrorNote error={found.error} />
      {term && <Table<Person> size="small" rowKey="personId" loading={found.loading} dataSource={found.data?.items ?? []} pagination={false} data-testid="pts-people"
        locale={{ emptyText: t('pt.pts.none') }} rowClassName={(r) => (r.personId === person?.personId ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({ onClick: () => setPerson(r), style: { cursor: 'pointer' } })} columns={[
          { title: t('pt.shop.resident'), width: 90, dataIndex: 'name' },
          { title: t('pt.pts.where'), render: (_, r) => householdText(t, r.regionName, r.household) || r.address || '—' },
          { title: t('pt.points.balanceShort'), width: 80, dataIndex: 'balance' },
        ]} />}
      {person && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="pts-person" title={`${person.name} · ${t('pt.points.balanceShort')} ${ledger.data?.balance ?? person.balance}`}>
          <Form form={form} layout="inline" onFinish={apply} style={{ marginBottom: 12 }}>
            <Form.Item name="ruleId" label={t('pt.pts.rule')} rules={[{ required: true, message: t('form.required') }]}>
              <Select style={{ minWidth: 220 }} data-testid="pts-rule" options={(rules.data?.items ?? []).filter((r) => r.active).map((r) => ({ value: r.id, label: `${r.label}（${r.points > 0 ? `+${r.points}` : r.points}）` }))} />
            </Form.Item>
            <Form.Item name="note" label={t('pt.pts.note')} rules={deducting < 0 ? [{ required: true, whitespace: true, message: t('pt.pts.noteRequired') }] : []}>
              <Input maxLength={200} style={{ width: 240 }} placeholder={deducting < 0 ? t('pt.pts.notePlaceholder') : undefined} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={sub.pending}>{t('pt.pts.apply')}</Button>
          </Form>
          <Typography.Title level={5}>{t('pt.pts.personLedger')}</Typography.Title>
          {entries(ledger.data)}
          {person.householdId && <>
            <Typography.Title level={5} data-testid="pts-household-title">{hh.data?.members != null
              ? t('pt.pts.householdLedger', { balance: hh.data.balance, n: hh.data.members, accounts: hh.data.accounts })
              : t('pt.pts.householdLedgerBare', { balance: hh.data?.balance ?? 0 })}</Typography.Title>
            {entries(hh.data)}
          </>}
        </Card>
      )}
    </>
  );
}

/** 积分排行: a community's residents (masked) or households, by balance. */
function Leaderboard({ version }: { version: number }) {
  const { t } = useI18n();
  const me = useMe();
  const [region, setRegion] = useState<string>(me.regionCode);
  const [by, setBy] = useState<'person' | 'household'>('person');
  const board = useApi<{ items: Array<{ rank: number; name?: string; balance: number; earned?: number; householdNo?: string | null; address?: string | null; members?: number }> }>(
    `/api/v1/participation/points/leaderboard?by=${by}&regionCode=${region}&limit=50`, [version]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <div style={{ minWidth: 260 }}><RegionTreeSelect rootCode={me.regionCode} value={region} onChange={(v: string) => setRegion(v ?? me.regionCode)} /></div>
        <Radio.Group optionType="button" value={by} onChange={(e) => setBy(e.target.value)}
          options={[{ value: 'person', label: t('pt.pts.byPerson') }, { value: 'household', label: t('pt.pts.byHousehold') }]} />
      </Space>
      <ErrorNote error={board.error} />
      <Table size="small" rowKey="rank" loading={board.loading} dataSource={board.data?.items ?? []} pagination={false} data-testid="pts-board" columns={[
        { title: t('pt.pts.rank'), dataIndex: 'rank', width: 70 },
        by === 'person'
          ? { title: t('pt.shop.resident'), render: (_, r) => r.name }
          : { title: t('pt.pts.householdCol'), render: (_, r) => [r.householdNo, r.address].filter(Boolean).join(' · ') || '—' },
        { title: t('pt.points.balanceShort'), dataIndex: 'balance', width: 100 },
      ]} />
    </>
  );
}

function Rules({ version, onChanged }: { version: number; onChanged(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Rule[] }>('/api/v1/participation/points/rules', [version]);
  const [form] = Form.useForm();
  // a rule's code names it for the automatic awards (vote_cast, wish_fulfilled); rules made here are awarded by hand
  const sub = useSubmit();
  const create = (v: { label: string; points: number }) => sub.submit(async (headers) => {
    const code = `rule_${Date.now().toString(36)}`;
    try {
      await api('/api/v1/participation/points/rules', { headers, body: { ...v, code, regionCode: me.regionCode } });
    } catch (e) {
      // a field's refusal (积分 of 0) beside the field, in the field's own words; anything else as a message
      if (!(e instanceof ApiError && applyFieldErrors(form, e, ['label', 'points']))) message.error(ptError(e, locale));
      return false;
    }
    message.success(t('pt.rule.added'));
    // the new rule is in the award picker of 居民积分 at once
    form.resetFields(); onChanged();
    return true;
  });
  const toggle = async (r: Rule) => { if (await run(() => api(`/api/v1/participation/points/rules/${r.id}`, { method: 'PATCH', body: { active: !r.active } }), 'pt.manage.done')) onChanged(); };
  return (
    <>
      <Card size="small" title={t('pt.rule.add')} style={{ marginBottom: 12 }}>
        <Form form={form} layout="inline" name="rule" onFinish={create}>
          <Form.Item name="label" label={t('pt.rule.label')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="points" label={t('pt.rule.points')} rules={[{ required: true, message: t('form.required') }]}><InputNumber min={-10000} max={10000} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={sub.pending}>{t('pt.rule.add')}</Button>
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <Table<Rule> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} columns={[
        { title: t('pt.rule.label'), dataIndex: 'label' },
        { title: t('pt.rule.points'), width: 100, render: (_, r) => <Typography.Text style={{ color: r.points > 0 ? '#389e0d' : '#cf1322' }}>{r.points > 0 ? `+${r.points}` : r.points}</Typography.Text> },
        { title: t('pt.rule.active'), width: 100, render: (_, r) => <Switch size="small" checked={r.active} onChange={() => toggle(r)} aria-label={t('pt.rule.active')} /> },
      ]} />
    </>
  );
}

export default function Points() {
  const { t } = useI18n();
  // what one tab changes, the others show without a reload of the page (an appeal upheld, a rule added)
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <div data-testid="pt-points">
      <PageTitle>{t('pt.shop.pageTitle')}</PageTitle>
      <Card size="small">
        <Tabs items={[
          { key: 'residents', label: t('pt.pts.residents'), children: <Residents version={version} /> },
          { key: 'board', label: t('pt.pts.leaderboard'), children: <Leaderboard version={version} /> },
          { key: 'items', label: t('pt.shop.items'), children: <Items /> },
          { key: 'redemptions', label: t('pt.shop.redemptions'), children: <Redemptions /> },
          { key: 'appeals', label: t('pt.appeal.title'), children: <Appeals version={version} onChanged={changed} /> },
          { key: 'rules', label: t('pt.rule.title'), children: <Rules version={version} onChanged={changed} /> },
        ]} />
      </Card>
    </div>
  );
}
