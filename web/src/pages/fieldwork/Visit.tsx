// 走访: a visit to a household of the registry — pick the household (today's list links straight to
// one), or record the visit a plan names (?plan=…: its household or persons; saving completes the plan),
// tick the members met, answer the purpose's checklist, add photos and the phone's location, and save.
// Drafts stay on the phone; offline, the visit waits in the outbox and goes when the connection is back
// (lib/offline.ts), with its Idempotency-Key.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Checkbox, Empty, Form, Input, Radio, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { AimOutlined, CalendarOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { errorText } from '../../lib/forms.ts';
import { fieldError } from './errors.ts';
import { dropDraft, enqueue, isNetworkError, loadDraft, newKey, photosFromDraft, photosToDraft, saveDraft, useOnline } from '../../lib/offline.ts';
import { PhotoUpload, type Uploaded } from '../../components/PhotoUpload.tsx';
import { useDicts } from '../registry/shared.tsx';
import { useHouseholdSearch } from './household-search.tsx';
import type { Household, Member, Plan, Purpose, Visit as VisitT } from './types.ts';
import { planTarget } from './Plans.tsx';

const RESULTS = ['visited', 'not_home', 'refused', 'issue_found'] as const;

/** A household by its address, else its number, else its members (never by its row id). */
export function householdName(h: Pick<Household, 'address' | 'householdNo' | 'members'>, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  return h.address ?? (h.householdNo ? t('fw.visit.household', { no: h.householdNo }) : t('fw.visit.householdOf', { names: h.members.map((m) => m.nameMasked).join('、') || '—' }));
}

function HouseholdPicker() {
  const { t } = useI18n();
  const nav = useNavigate();
  const { box, households } = useHouseholdSearch();
  const plans = useApi<{ items: Plan[] }>('/api/v1/fieldwork/plans?mine=true');
  return (
    <div className="gz-mobile-form">
      <Link to="/visit/plans" className="gz-today-item" data-testid="my-plans">
        <span className="gz-today-kind"><CalendarOutlined style={{ fontSize: 22, color: '#1f4e8c' }} /></span>
        <span className="gz-today-main">
          <div className="gz-today-title">{t('fw.plan.title')}</div>
          <div className="gz-today-detail">{plans.data ? (plans.data.items.length ? plans.data.items.slice(0, 2).map((p) => `${p.plannedOn.slice(5)} ${planTarget(p, t)}`).join('；') : t('fw.plan.none')) : ''}</div>
        </span>
        <span className="gz-today-due">{plans.data?.items.length ? <Tag color="blue">{plans.data.items.length}</Tag> : null}</span>
      </Link>
      {box}
      {households.map((h) => (
        <Link key={h.id} to={`/visit?household=${h.id}`} className="gz-today-item" data-testid="household-item">
          <span className="gz-today-main">
            <div className="gz-today-title">{householdName(h, t)}</div>
            <div className="gz-today-detail">{[h.householdNo ? t('fw.visit.household', { no: h.householdNo }) : null, h.members.map((m) => m.nameMasked).join('、')].filter(Boolean).join(' · ')}</div>
          </span>
        </Link>
      ))}
      <Button block icon={<SearchOutlined />} style={{ marginTop: 8 }} onClick={() => nav('/residents')}>{t('fw.residents.title')}</Button>
    </div>
  );
}

export default function Visit() {
  const [params] = useSearchParams();
  const id = params.get('household');
  const plan = params.get('plan');
  if (plan && /^\d+$/.test(plan)) return <PlannedVisit planId={Number(plan)} />;
  if (!id || !/^\d+$/.test(id)) return <HouseholdPicker />;
  return <VisitForm householdId={Number(id)} />;
}

function PlanDoneButton({ to, label }: { to: string; label: string }) {
  const nav = useNavigate();
  return <Button type="primary" onClick={() => nav(to)}>{label}</Button>;
}

/** The visit a plan names: its household, or the persons planned (the plan is done once the visit is saved). */
function PlannedVisit({ planId }: { planId: number }) {
  const { t } = useI18n();
  const plan = useApi<Plan>(`/api/v1/fieldwork/plans/${planId}`);
  if (plan.error) return <Alert type="error" title={fieldError(plan.error, t)} />;
  const p = plan.data;
  if (!p) return <Skeleton active />;
  if (p.status !== 'open') {
    return <Result status="info" title={t(`fw.plan.status.${p.status}` as MessageKey)} subTitle={planTarget(p, t)}
      extra={<PlanDoneButton to={p.visitId ? `/visits/${p.visitId}` : '/visit/plans'} label={p.visitId ? t('fw.visit.open') : t('fw.plan.title')} />} />;
  }
  return <VisitForm householdId={p.household?.id ?? null} plan={p} />;
}

function VisitForm({ householdId, plan }: { householdId: number | null; plan?: Plan }) {
  const { t, pick } = useI18n();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const online = useOnline();
  const household = useApi<Household>(householdId != null ? `/api/v1/fieldwork/households/${householdId}` : null);
  const purposes = useApi<{ items: Purpose[] }>('/api/v1/fieldwork/visit-purposes');
  const dictLabel = useDicts(['relationship']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);
  const [where, setWhere] = useState<{ lat: number; lng: number; accuracy?: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const key = useRef(newKey('visit'));
  const draftKey = plan ? `visit:plan:${plan.id}` : `visit:${householdId}`;
  const purposeKey = Form.useWatch('purpose', form) as string | undefined;
  const purpose = useMemo(() => purposes.data?.items.find((p) => p.key === purposeKey), [purposes.data, purposeKey]);
  const h = household.data;
  // whom the visit may meet: the household's members, or the persons of the plan
  const members: Member[] | undefined = useMemo(() => h?.members ?? (plan && householdId == null
    ? plan.persons.map((x) => ({ id: x.id, nameMasked: x.nameMasked, relationToHead: null, head: false, labels: x.labels })) : undefined), [h, plan, householdId]);
  const labelled = members?.some((m) => m.labels.length);
  const title = h ? householdName(h, t) : plan ? planTarget(plan, t) : '';

  useEffect(() => {
    void loadDraft(draftKey).then((v) => {
      if (!v) return;
      const { photos, ...rest } = v;
      form.setFieldsValue({ ...rest, ...(Array.isArray(photos) && photos.length ? { photos: photosFromDraft(photos) } : {}) });
      if (v.where) setWhere(v.where as any);
    }).catch(() => undefined);
  }, [form, draftKey]);
  useEffect(() => {
    if (members && !form.getFieldValue('purpose')) {
      form.setFieldsValue({
        purpose: plan?.purpose ?? (labelled ? 'key_person' : 'routine'),
        personIds: plan && householdId == null ? members.map((m) => m.id) : members.filter((m) => m.labels.length).map((m) => m.id),
      });
    }
  }, [members, labelled, form, plan, householdId]);
  const keepDraft = () => {
    const v = form.getFieldsValue(['purpose', 'personIds', 'checklist', 'result', 'note']);
    const photos = photosToDraft(form.getFieldValue('photos') as Uploaded[] | undefined);
    void saveDraft(draftKey, { ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)), ...(where ? { where } : {}), ...(photos.length ? { photos } : {}) }).catch(() => undefined);
  };
  const locate = () => {
    if (!navigator.geolocation) return;
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => { setWhere({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }); setLocating(false); },
      () => { setLocating(false); setError(t('fw.visit.noLocation')); }, { enableHighAccuracy: true, timeout: 15_000 });
  };

  const submit = async (v: any) => {
    setBusy(true);
    setError(null);
    const photos = (v.photos ?? []) as Uploaded[];
    const checklist = Object.fromEntries(Object.entries(v.checklist ?? {}).filter(([k, a]) => a && purpose?.items.some((i) => i.key === k)));
    const body: Record<string, unknown> = {
      purpose: v.purpose, ...(householdId != null ? { householdId } : {}), personIds: v.personIds ?? [], checklist, result: v.result,
      ...(plan ? { planId: plan.id } : {}),
      attachmentIds: photos.filter((p) => !p.file).map((p) => p.id),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}), ...(where ? { lat: where.lat, lng: where.lng, ...(where.accuracy != null ? { accuracy: Math.round(where.accuracy) } : {}) } : {}),
      visitedAt: new Date().toISOString(),
    };
    const pending = photos.filter((p) => p.file);
    const toOutbox = async () => {
      await enqueue({
        key: key.current, kind: 'visit', url: '/api/v1/fieldwork/visits', body, title,
        photos: pending.map((p) => ({ name: p.name, type: p.file!.type, blob: p.file! })),
      });
      await dropDraft(draftKey);
      setQueued(true);
    };
    try {
      if (!navigator.onLine || pending.length) { await toOutbox(); return; }
      const out = await api<VisitT>('/api/v1/fieldwork/visits', { body, headers: { 'idempotency-key': key.current } });
      void dropDraft(draftKey);
      nav(`/visits/${out.id}`);
    } catch (e) {
      if (isNetworkError(e)) { try { await toOutbox(); } catch (e2) { setError(errorText(e2)); } } else setError(fieldError(e, t));
    } finally {
      setBusy(false);
    }
  };

  if (queued) {
    return <Result status="info" title={t('fw.visit.queuedTitle')} subTitle={online ? t('fw.outbox.online') : t('fw.outbox.offline')}
      extra={<Button type="primary" onClick={() => nav('/')}>{t('fw.tab.today')}</Button>} />;
  }
  if (household.error) return <Alert type="error" title={fieldError(household.error, t)} />;
  if (!members || !purposes.data) return <Skeleton active />;
  return (
    <div className="gz-mobile-form" data-testid="visit-form">
      <Card size="small" style={{ marginBottom: 10 }}>
        {plan && <Tag color={plan.overdue ? 'red' : 'blue'} data-testid="visit-plan">{t('fw.plan.from', { day: plan.plannedOn })}</Tag>}
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="visit-household">{title}</Typography.Title>
        <Typography.Text type="secondary">
          {h ? `${h.householdNo ? `${t('fw.visit.household', { no: h.householdNo })} · ` : ''}${t('fw.visit.members', { n: h.members.length })}` : t('fw.visit.members', { n: members.length })}
        </Typography.Text>
        {plan?.note && <div className="gz-today-detail" style={{ whiteSpace: 'pre-line' }}>{plan.note}</div>}
        {!plan && h && <div><Link to={`/visit/plans/new?household=${h.id}`} className="gz-row-link" data-testid="plan-later">{t('fw.plan.later')}</Link></div>}
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" size="large" onFinish={submit} onValuesChange={keepDraft} initialValues={{ result: 'visited' }} name="visit">
        <Card size="small" style={{ marginBottom: 10 }}>
          <Form.Item name="purpose" label={t('fw.visit.purpose')} rules={[{ required: true, message: t('form.required') }]}>
            <Radio.Group optionType="button" options={purposes.data.items.map((p) => ({ value: p.key, label: pick(p) }))} />
          </Form.Item>
          <Form.Item name="personIds" label={t('fw.visit.met')}>
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column' }}>
              {members.map((m) => (
                <Checkbox key={m.id} value={m.id} data-testid="member">
                  {m.nameMasked}{m.relationToHead ? `（${dictLabel('relationship', m.relationToHead)}）` : ''}{m.head && !m.relationToHead ? ` · ${t('fw.visit.head')}` : ''}
                  {m.labels.map((l) => <Tag key={l} color="volcano" style={{ marginInlineStart: 6 }}>{t(`rg.lt.${l}` as MessageKey)}</Tag>)}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
        </Card>
        {purpose && (
          <Card size="small" title={t('fw.visit.checklist')} style={{ marginBottom: 10 }} data-testid="checklist">
            {purpose.items.map((i) => (
              <div key={i.key} className="gz-check-row">
                <span>{pick(i)}</span>
                <Form.Item name={['checklist', i.key]} noStyle>
                  <Radio.Group optionType="button" buttonStyle="solid" aria-label={pick(i)} data-check={i.key}
                    options={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }, { value: 'na', label: t('fw.visit.na') }]} />
                </Form.Item>
              </div>
            ))}
          </Card>
        )}
        <Card size="small" style={{ marginBottom: 10 }}>
          <Form.Item name="photos" label={t('action.photos')}><PhotoUpload offlineOk /></Form.Item>
          <Form.Item label={t('case.location')}>
            <Space wrap>
              <Button icon={<AimOutlined />} onClick={locate} loading={locating} data-testid="visit-locate">{t('fw.visit.locate')}</Button>
              {where && <Typography.Text type="secondary" data-testid="visit-where">{where.lat.toFixed(5)}, {where.lng.toFixed(5)}{where.accuracy != null ? ` ±${Math.round(where.accuracy)} m` : ''}</Typography.Text>}
            </Space>
          </Form.Item>
          <Form.Item name="result" label={t('fw.visit.result')} rules={[{ required: true, message: t('form.required') }]}>
            <Radio.Group optionType="button" options={RESULTS.map((r) => ({ value: r, label: t(`pt.result.${r}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('fw.visit.note')}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Card>
        <div className="gz-phone-actions">
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="save-visit">{online ? t('fw.visit.save') : t('fw.report.saveOffline')}</Button>
        </div>
      </Form>
    </div>
  );
}
