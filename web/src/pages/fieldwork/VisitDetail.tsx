// One visit: its household, the members met, the checklist's answers; "发现问题" files a case from it
// (where the visit was, with its photos), and the visit then names the case.
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Form, Image, Input, Result, Skeleton, Tag } from 'antd';
import { ExclamationCircleOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { fieldError } from './errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { enqueue, isNetworkError, newKey, useOnline } from '../../lib/offline.ts';
import { useWorkflows } from '../../lib/workflows.ts';
import { useMe } from '../../lib/auth.tsx';
import { CategoryPicker } from '../../components/Pickers.tsx';
import type { Visit } from './types.ts';

/**
 * 走访对象: the household when the reader sees it; else as recorded at the visit (a grid split may have moved the
 * household out of the author's grid); a visit to persons with no household names them (masked).
 */
function visitedText(d: Pick<Visit, 'household' | 'persons' | 'visited'>, t: (k: 'fw.visit.household', v: { no: string }) => string): string {
  const then = d.visited;
  const address = d.household?.address ?? then?.address ?? null;
  const no = d.household ? d.household.householdNo : then?.householdNo ?? null;
  if (address || no) return [address, no ? t('fw.visit.household', { no }) : null].filter(Boolean).join(' · ');
  const names = d.persons.length ? d.persons.map((p) => p.nameMasked) : then?.names ?? [];
  return names.join('、') || '—';
}

export default function VisitDetail() {
  const { id } = useParams();
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const v = useApi<Visit>(`/api/v1/fieldwork/visits/${id}`);
  const workflows = useWorkflows();
  const caseType = workflows?.reportable(me.role)[0]?.type;
  const [filing, setFiling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [queued, setQueued] = useState(false);
  const online = useOnline();
  const [form] = Form.useForm();
  const key = useRef(newKey('visit-case'));
  if (v.error) return <Alert type="error" title={fieldError(v.error, t)} />;
  const d = v.data;
  if (!d) return <Skeleton active />;
  const failing = d.checklist.filter((i) => i.answer === 'no');
  const file = async (x: any) => {
    setBusy(true);
    setError(null);
    const url = `/api/v1/fieldwork/visits/${d.id}/case`;
    const body = { categoryCode: x.categoryCode, title: x.title.trim(), description: x.description.trim() };
    // offline: the case waits on the phone (the visit's place and photos go with it) and is filed on reconnect
    const toOutbox = async () => {
      await enqueue({ key: key.current, kind: 'report', url, body, title: body.title, photos: [] });
      setQueued(true);
    };
    try {
      if (!navigator.onLine) { await toOutbox(); return; }
      const out = await api<{ caseId: number; caseNo: string }>(url, { body, headers: { 'idempotency-key': key.current } });
      nav(`/cases/${out.caseId}`);
    } catch (e) {
      if (isNetworkError(e)) { try { await toOutbox(); } catch (e2) { setError(fieldError(e2, t)); } } else setError(fieldError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="gz-mobile-form" data-testid="visit-detail" data-visit-id={d.id}>
      {(d.warnings ?? []).map((w) => (
        <Alert key={w.code} type="warning" showIcon style={{ marginBottom: 10 }} data-testid="visit-warning" title={t(`fw.visit.warn.${w.code}` as MessageKey)} />
      ))}
      {queued && !d.case && (
        <Alert type="info" showIcon style={{ marginBottom: 10 }} data-testid="visit-case-queued"
          title={t('fw.report.queuedTitle')} description={online ? t('fw.outbox.online') : t('fw.outbox.offline')} />
      )}
      {!d.case && !filing && !queued && (
        <Button type="primary" danger size="large" block icon={<ExclamationCircleOutlined />} onClick={() => {
          setFiling(true);
          form.setFieldsValue({
            title: `${t('fw.visit.foundAt')}${d.household?.address ?? d.visited?.address ?? ''}`.slice(0, 200),
            description: [d.note, ...failing.map((i) => `${pick(i)}：${t('common.no')}`)].filter(Boolean).join('\n') || t('fw.visit.foundDefault'),
          });
        }} data-testid="found-problem" style={{ marginBottom: 10 }}>{t('fw.visit.foundProblem')}</Button>
      )}
      {d.case && (
        <Alert type="warning" showIcon style={{ marginBottom: 10 }} data-testid="visit-case"
          title={<>{t('fw.visit.caseFiled')} <Link to={`/cases/${d.case.id}`}>{d.case.caseNo}</Link></>} />
      )}
      {filing && !d.case && !queued && (
        <Card size="small" title={t('fw.visit.foundProblem')} style={{ marginBottom: 10 }} data-testid="found-form">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
          <Form form={form} layout="vertical" size="large" onFinish={file} name="visit-case">
            <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('form.required') }]}>
              <CategoryPicker caseType={caseType} />
            </Form.Item>
            <Form.Item name="title" label={t('case.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
              <Input.TextArea rows={3} maxLength={5000} />
            </Form.Item>
            <div className="gz-phone-actions">
              <Button type="primary" htmlType="submit" block loading={busy} data-testid="file-case">{t('fw.visit.fileCase')}</Button>
            </div>
          </Form>
        </Card>
      )}
      <Result status="success" style={{ padding: '12px 0' }} title={t('fw.visit.saved')} subTitle={formatDateTime(d.visitedAt, locale)} />
      <Card size="small" style={{ marginBottom: 10 }}>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('fw.visit.householdLabel')}><span data-testid="visit-visited">{visitedText(d, t)}</span></Descriptions.Item>
          <Descriptions.Item label={t('fw.visit.purpose')}>{pick(d.purposeName)}</Descriptions.Item>
          <Descriptions.Item label={t('fw.visit.met')}>{(d.persons.length ? d.persons.map((p) => p.nameMasked) : d.visited?.names ?? []).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('fw.visit.result')}>{t(`pt.result.${d.result}` as MessageKey)}</Descriptions.Item>
          {d.note && <Descriptions.Item label={t('fw.visit.note')}>{d.note}</Descriptions.Item>}
          {d.lat != null && <Descriptions.Item label={t('case.location')}>{d.lat.toFixed(5)}, {d.lng!.toFixed(5)}</Descriptions.Item>}
          <Descriptions.Item label={t('action.photos')}>
            {/* the photos themselves (tap to enlarge), not their count */}
            {d.attachmentIds.length ? (
              <Image.PreviewGroup>
                <div className="gz-photo-grid" data-testid="visit-photos">
                  {d.attachmentIds.map((id) => (
                    <Image key={id} src={`/api/v1/attachments/${id}`} width={88} height={88} style={{ objectFit: 'cover', borderRadius: 6 }} alt={t('case.photoAlt', { id })} />
                  ))}
                </div>
              </Image.PreviewGroup>
            ) : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('fw.visit.checklist')}>
        {d.checklist.map((i) => (
          <div key={i.key} className="gz-check-row"><span>{pick(i)}</span>
            <Tag color={i.answer === 'no' ? 'red' : i.answer === 'yes' ? 'green' : 'default'}>{i.answer ? t(i.answer === 'yes' ? 'common.yes' : i.answer === 'no' ? 'common.no' : 'fw.visit.na') : '—'}</Tag>
          </div>
        ))}
      </Card>
    </div>
  );
}
