// 走访计划: plan a visit to a household or person of the registry on a day with a purpose (a grid worker
// for themselves, the 网格长 for the field staff of the grid too), see the plans by day, move or cancel
// one, and record the visit from it (/visit?plan=…), which completes the plan. /visit/plans lists them,
// /visit/plans/new?household=… or ?person=… plans one.
import { useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Empty, Form, Input, Radio, Segmented, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { fieldError } from './errors.ts';
import { useHouseholdSearch } from './household-search.tsx';
import type { Household, Plan, Purpose } from './types.ts';

const day = (offset: number) => dayjs().add(offset, 'day').format('YYYY-MM-DD');

/** What a plan is for, named: the household's address (or number), else the persons' masked names. */
export function planTarget(p: Pick<Plan, 'household' | 'persons'>, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (p.household) return p.household.address ?? (p.household.householdNo ? t('fw.visit.household', { no: p.household.householdNo }) : t('fw.visit.householdOf', { names: p.household.members.map((m) => m.nameMasked).join('、') || '—' }));
  return p.persons.map((x) => x.nameMasked).join('、');
}

export default function Plans() {
  const { pathname } = useLocation();
  return pathname.endsWith('/new') ? <PlanNew /> : <PlanList />;
}

/** Finds a household of the grid to plan a visit to (the form then opens for it). */
function HouseholdSearch() {
  const { t } = useI18n();
  const { box, households } = useHouseholdSearch();
  return (
    <div data-testid="plan-household-search">
      {box}
      {households.map((h) => (
        <Link key={h.id} to={`/visit/plans/new?household=${h.id}`} className="gz-today-item" data-testid="plan-household">
          <span className="gz-today-main">
            <div className="gz-today-title">{planTarget({ household: { ...h }, persons: [] }, t)}</div>
            <div className="gz-today-detail">{h.members.map((m) => m.nameMasked).join('、')}</div>
          </span>
        </Link>
      ))}
    </div>
  );
}

function PlanNew() {
  const { t, pick } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const householdId = /^\d+$/.test(params.get('household') ?? '') ? Number(params.get('household')) : null;
  const personId = /^\d+$/.test(params.get('person') ?? '') ? Number(params.get('person')) : null;
  const household = useApi<Household>(householdId ? `/api/v1/fieldwork/households/${householdId}` : null);
  const person = useApi<{ id: number; nameMasked: string; currentAddress: string | null; regionName: string | null }>(personId && !householdId ? `/api/v1/persons/${personId}` : null);
  const purposes = useApi<{ items: Purpose[] }>('/api/v1/fieldwork/visit-purposes');
  const mayAssign = can(me, 'fieldwork.plan.assign');
  const staff = useApi<{ items: Array<{ id: number; name: string; regionName: string | null }> }>(mayAssign ? '/api/v1/fieldwork/plan-assignees' : null);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = Form.useWatch('plannedOn', form) as string | undefined;

  if (!householdId && !personId) {
    return <div className="gz-mobile-form"><PageTitle>{t('fw.plan.new')}</PageTitle><HouseholdSearch /></div>;
  }
  const target = household.error ?? person.error;
  if (target) return <Alert type="error" title={fieldError(target, t)} />;
  const h = household.data;
  const p = person.data;
  if ((householdId && !h) || (personId && !householdId && !p) || !purposes.data) return <Skeleton active />;
  const labelled = h ? h.members.some((m) => m.labels.length) : true;

  const submit = async (v: any) => {
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/fieldwork/plans', {
        body: {
          ...(h ? { householdId: h.id } : { personIds: [personId] }), purpose: v.purpose, plannedOn: v.plannedOn,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}), ...(v.assigneeId && v.assigneeId !== me.id ? { assigneeId: v.assigneeId } : {}),
        },
      });
      message.success(t('fw.plan.saved'));
      nav('/visit/plans');
    } catch (e) {
      setError(fieldError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="gz-mobile-form" data-testid="plan-form">
      <Card size="small" style={{ marginBottom: 10 }}>
        <Typography.Text type="secondary">{t('fw.plan.new')}</Typography.Text>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="plan-target">
          {h ? planTarget({ household: h, persons: [] }, t) : p!.nameMasked}
        </Typography.Title>
        <Typography.Text type="secondary">
          {h ? `${h.householdNo ? `${t('fw.visit.household', { no: h.householdNo })} · ` : ''}${h.members.map((m) => m.nameMasked).join('、')}` : (p!.currentAddress ?? p!.regionName ?? '')}
        </Typography.Text>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" size="large" onFinish={submit} name="plan"
        initialValues={{ plannedOn: day(0), purpose: labelled ? 'key_person' : 'routine', assigneeId: me.id }}>
        <Card size="small" style={{ marginBottom: 10 }}>
          <Form.Item label={t('fw.plan.day')} required>
            <Radio.Group optionType="button" value={[day(0), day(1), day(2)].includes(chosen ?? '') ? chosen : undefined}
              onChange={(e) => form.setFieldsValue({ plannedOn: e.target.value })}
              options={[{ value: day(0), label: t('fw.plan.today') }, { value: day(1), label: t('fw.plan.tomorrow') }, { value: day(2), label: t('fw.plan.dayAfter') }]} />
            <Form.Item name="plannedOn" noStyle rules={[{ required: true, message: t('form.required') }]}>
              <Input type="date" min={day(0)} aria-label={t('fw.plan.day')} style={{ marginTop: 8 }} data-testid="plan-day" />
            </Form.Item>
          </Form.Item>
          <Form.Item name="purpose" label={t('fw.visit.purpose')} rules={[{ required: true, message: t('form.required') }]}>
            <Radio.Group optionType="button" options={purposes.data.items.map((x) => ({ value: x.key, label: pick(x) }))} />
          </Form.Item>
          {mayAssign && (
            <Form.Item name="assigneeId" label={t('fw.plan.assignee')}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={[
                { value: me.id, label: t('fw.plan.myself') },
                ...(staff.data?.items ?? []).filter((u) => u.id !== me.id).map((u) => ({ value: u.id, label: `${u.name}${u.regionName ? ` · ${u.regionName}` : ''}` })),
              ]} />
            </Form.Item>
          )}
          <Form.Item name="note" label={t('fw.plan.note')}>
            <Input.TextArea rows={2} maxLength={500} placeholder={t('fw.plan.notePlaceholder')} />
          </Form.Item>
        </Card>
        <div className="gz-phone-actions">
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="save-plan">{t('fw.plan.save')}</Button>
        </div>
      </Form>
    </div>
  );
}

function PlanCard({ plan, onChanged }: { plan: Plan; onChanged(): void }) {
  const { t, pick } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [moving, setMoving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [to, setTo] = useState(plan.plannedOn);
  const mine = plan.assignee.id === me.id;
  const mayChange = mine || plan.createdBy.id === me.id || can(me, 'fieldwork.plan.assign');
  const act = async (run: () => Promise<unknown>) => {
    try { await run(); message.success(t('common.saved')); onChanged(); } catch (e) { message.error(fieldError(e, t)); }
  };
  return (
    <Card size="small" style={{ marginBottom: 8 }} className={plan.overdue ? 'gz-overdue' : undefined} data-testid="plan-item" data-plan-id={plan.id} data-status={plan.status}>
      <Space wrap size={4} style={{ marginBottom: 4 }}>
        <Tag color={plan.overdue ? 'red' : plan.status === 'open' ? 'blue' : 'default'}>{plan.plannedOn}{plan.overdue ? ` · ${t('fw.overdue')}` : ''}</Tag>
        <Tag>{pick(plan.purposeName)}</Tag>
        {plan.status !== 'open' && <Tag color={plan.status === 'done' ? 'green' : 'default'}>{t(`fw.plan.status.${plan.status}` as MessageKey)}</Tag>}
        {!mine && <Tag color="purple">{plan.assignee.name}</Tag>}
      </Space>
      <div className="gz-today-title">{planTarget(plan, t)}</div>
      {plan.note && <div className="gz-today-detail" style={{ whiteSpace: 'pre-line' }}>{plan.note}</div>}
      {plan.createdBy.id !== plan.assignee.id && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('fw.plan.plannedBy', { name: plan.createdBy.name })}</Typography.Text>}
      {plan.status === 'open' && (
        <Space wrap style={{ marginTop: 8 }}>
          {mine && <Button type="primary" onClick={() => nav(`/visit?plan=${plan.id}`)} data-testid="plan-visit">{t('fw.plan.record')}</Button>}
          {mayChange && !moving && <Button onClick={() => setMoving(true)}>{t('fw.plan.move')}</Button>}
          {mayChange && moving && <>
            <Input type="date" min={day(0)} value={to} onChange={(e) => setTo(e.target.value)} aria-label={t('fw.plan.day')} style={{ width: 170 }} />
            <Button onClick={() => void act(() => api(`/api/v1/fieldwork/plans/${plan.id}`, { method: 'PATCH', body: { plannedOn: to } })).then(() => setMoving(false))}>{t('common.save')}</Button>
          </>}
          {mayChange && !cancelling && <Button danger onClick={() => setCancelling(true)}>{t('fw.plan.cancel')}</Button>}
          {mayChange && cancelling && <>
            <Input maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('fw.plan.cancelReason')} aria-label={t('fw.plan.cancelReason')} style={{ width: 200 }} />
            <Button danger onClick={() => void act(() => api(`/api/v1/fieldwork/plans/${plan.id}/cancel`, { body: reason.trim() ? { reason: reason.trim() } : {} }))}>{t('fw.plan.confirmCancel')}</Button>
          </>}
        </Space>
      )}
      {plan.status === 'done' && plan.visitId && <Link to={`/visits/${plan.visitId}`} className="gz-row-link">{t('fw.visit.open')}</Link>}
    </Card>
  );
}

function PlanList() {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const mayAssign = can(me, 'fieldwork.plan.assign');
  const [whose, setWhose] = useState<'mine' | 'all'>(mayAssign ? 'all' : 'mine');
  const [status, setStatus] = useState<'open' | 'done' | 'cancelled'>('open');
  const list = useApi<{ items: Plan[] }>(withQuery('/api/v1/fieldwork/plans', { mine: whose === 'mine' ? 'true' : undefined, status }));
  return (
    <div className="gz-mobile-form" data-testid="plan-list">
      <PageTitle>{t('fw.plan.title')}</PageTitle>
      <Space wrap style={{ marginBottom: 10 }}>
        {mayAssign && <Segmented value={whose} onChange={(v) => setWhose(v as 'mine' | 'all')} options={[{ value: 'mine', label: t('fw.plan.mine') }, { value: 'all', label: t('fw.plan.all') }]} />}
        <Segmented value={status} onChange={(v) => setStatus(v as typeof status)}
          options={(['open', 'done', 'cancelled'] as const).map((s) => ({ value: s, label: t(`fw.plan.status.${s}` as MessageKey) }))} />
      </Space>
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Skeleton active />}
      {list.data && !list.data.items.length && <Empty description={t('fw.plan.none')} />}
      {list.data?.items.map((p) => <PlanCard key={p.id} plan={p} onChanged={list.reload} />)}
      <div className="gz-phone-actions">
        <Button type="primary" block icon={<PlusOutlined />} onClick={() => nav('/visit/plans/new')} data-testid="new-plan">{t('fw.plan.new')}</Button>
      </div>
    </div>
  );
}
