// 走访: a visit to a household of the registry — pick the household (today's plan links straight to
// one), tick the members met, answer the purpose's checklist, add photos and the phone's location, and
// save. Drafts stay on the phone; offline, the visit waits in the outbox and goes when the connection
// is back (lib/offline.ts), with its Idempotency-Key.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Checkbox, Empty, Form, Input, Radio, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { AimOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { errorText } from '../../lib/forms.ts';
import { fieldError } from './errors.ts';
import { dropDraft, enqueue, isNetworkError, loadDraft, newKey, saveDraft, useOnline } from '../../lib/offline.ts';
import { PhotoUpload, type Uploaded } from '../../components/PhotoUpload.tsx';
import { useDicts } from '../registry/shared.tsx';
import type { Household, Purpose, Visit as VisitT } from './types.ts';

const RESULTS = ['visited', 'not_home', 'refused', 'issue_found'] as const;

function HouseholdPicker() {
  const { t } = useI18n();
  const nav = useNavigate();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const list = useApi<{ items: Household[] }>(`/api/v1/fieldwork/households${query ? `?q=${encodeURIComponent(query)}` : ''}`);
  return (
    <div className="gz-mobile-form">
      <Space.Compact style={{ width: '100%', marginBottom: 10 }}>
        <Input size="large" value={q} onChange={(e) => setQ(e.target.value)} onPressEnter={() => setQuery(q.trim())} placeholder={t('fw.visit.findHousehold')} aria-label={t('fw.visit.findHousehold')} />
        <Button size="large" type="primary" icon={<SearchOutlined />} onClick={() => setQuery(q.trim())} aria-label={t('common.search')} />
      </Space.Compact>
      {list.loading && <Skeleton active />}
      {list.data && !list.data.items.length && <Empty description={t('fw.visit.noHouseholds')} />}
      {list.data?.items.map((h) => (
        <Link key={h.id} to={`/visit?household=${h.id}`} className="gz-today-item" data-testid="household-item">
          <span className="gz-today-main">
            <div className="gz-today-title">{h.address ?? t('fw.visit.household', { no: h.householdNo ?? h.id })}</div>
            <div className="gz-today-detail">{t('fw.visit.household', { no: h.householdNo ?? h.id })} · {h.members.map((m) => m.nameMasked).join('、')}</div>
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
  if (!id || !/^\d+$/.test(id)) return <HouseholdPicker />;
  return <VisitForm householdId={Number(id)} />;
}

function VisitForm({ householdId }: { householdId: number }) {
  const { t, pick } = useI18n();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const online = useOnline();
  const household = useApi<Household>(`/api/v1/fieldwork/households/${householdId}`);
  const purposes = useApi<{ items: Purpose[] }>('/api/v1/fieldwork/visit-purposes');
  const dictLabel = useDicts(['relationship']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);
  const [where, setWhere] = useState<{ lat: number; lng: number; accuracy?: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const key = useRef(newKey('visit'));
  const draftKey = `visit:${householdId}`;
  const purposeKey = Form.useWatch('purpose', form) as string | undefined;
  const purpose = useMemo(() => purposes.data?.items.find((p) => p.key === purposeKey), [purposes.data, purposeKey]);
  const h = household.data;
  const labelled = h?.members.some((m) => m.labels.length);

  useEffect(() => {
    void loadDraft(draftKey).then((v) => {
      if (v) { form.setFieldsValue(v); if (v.where) setWhere(v.where as any); }
    }).catch(() => undefined);
  }, [form, draftKey]);
  useEffect(() => {
    if (h && !form.getFieldValue('purpose')) form.setFieldsValue({ purpose: labelled ? 'key_person' : 'routine', personIds: h.members.filter((m) => m.labels.length).map((m) => m.id) });
  }, [h, labelled, form]);
  const keepDraft = () => {
    const v = form.getFieldsValue(['purpose', 'personIds', 'checklist', 'result', 'note']);
    void saveDraft(draftKey, { ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)), ...(where ? { where } : {}) }).catch(() => undefined);
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
      purpose: v.purpose, householdId, personIds: v.personIds ?? [], checklist, result: v.result,
      attachmentIds: photos.filter((p) => !p.file).map((p) => p.id),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}), ...(where ? { lat: where.lat, lng: where.lng, ...(where.accuracy != null ? { accuracy: Math.round(where.accuracy) } : {}) } : {}),
      visitedAt: new Date().toISOString(),
    };
    const pending = photos.filter((p) => p.file);
    const toOutbox = async () => {
      await enqueue({
        key: key.current, kind: 'visit', url: '/api/v1/fieldwork/visits', body, title: h?.address ?? t('fw.visit.household', { no: h?.householdNo ?? householdId }),
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
  if (!h || !purposes.data) return <Skeleton active />;
  return (
    <div className="gz-mobile-form" data-testid="visit-form">
      <Card size="small" style={{ marginBottom: 10 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="visit-household">{h.address ?? t('fw.visit.household', { no: h.householdNo ?? h.id })}</Typography.Title>
        <Typography.Text type="secondary">{t('fw.visit.household', { no: h.householdNo ?? h.id })} · {t('fw.visit.members', { n: h.members.length })}</Typography.Text>
      </Card>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" size="large" onFinish={submit} onValuesChange={keepDraft} initialValues={{ result: 'visited' }} name="visit">
        <Card size="small" style={{ marginBottom: 10 }}>
          <Form.Item name="purpose" label={t('fw.visit.purpose')} rules={[{ required: true, message: t('form.required') }]}>
            <Radio.Group optionType="button" options={purposes.data.items.map((p) => ({ value: p.key, label: pick(p) }))} />
          </Form.Item>
          <Form.Item name="personIds" label={t('fw.visit.met')}>
            <Checkbox.Group style={{ display: 'flex', flexDirection: 'column' }}>
              {h.members.map((m) => (
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
