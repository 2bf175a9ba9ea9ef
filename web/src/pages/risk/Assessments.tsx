// 稳评: major decisions and their stability risk assessments. A decision is registered, its assessment
// started and filled in (risk points with importance and urgency, public consultations, expert reviews),
// then rated and concluded; the report prints as a Chinese PDF. Approval is the gate: it waits for a
// completed assessment that lets the decision go ahead, and the page says why while it waits.
import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { api } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { formatDate } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';

const STATUS_COLOURS: Record<string, string> = { draft: 'default', approved: 'green', turned_down: 'red', withdrawn: 'default' };
const RATING_COLOURS: Record<string, string> = { low: 'green', medium: 'orange', high: 'red' };
const PROCEEDING = ['proceed', 'proceed_with_measures'];
const date = (d: any) => (d ? dayjs(d).format('YYYY-MM-DD') : undefined);

export default function Assessments() {
  const { t } = useI18n();
  const me = useMe();
  const list = useApi<{ items: any[] }>('/api/v1/risk/decisions');
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<number | null>(null);
  const [form] = Form.useForm();
  const create = useFormSubmit<any>(form, async (v) => {
    const d = await api<{ id: number }>('/api/v1/risk/decisions', { body: { title: v.title, kind: v.kind, description: v.description } });
    setOpen(false); form.resetFields(); list.reload(); setCurrent(d.id);
  });
  const mayWrite = can(me, 'risk.assessment.write');
  return (
    <div data-testid="assessments">
      <PageTitle extra={mayWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('rk.wp.new')}</Button>}>{t('rk.wp.title')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('rk.wp.intro')}</Typography.Paragraph>
      <ErrorNote error={list.error} />
      <Card size="small">
        <Table size="small" rowKey="id" dataSource={list.data?.items ?? []} data-testid="decision-list" onRow={(r) => ({ onClick: () => setCurrent(r.id), style: { cursor: 'pointer' } })} columns={[
          { title: t('rk.wp.decision'), dataIndex: 'title' },
          { title: t('rk.wp.kind'), render: (_, r) => t(`rk.wp.kind.${r.kind}` as MessageKey) },
          { title: t('rk.wp.region'), dataIndex: 'regionName' },
          { title: t('rk.wp.assessment'), render: (_, r) => (r.assessmentStatus
            ? <Space><Tag color={r.assessmentStatus === 'completed' ? 'green' : 'blue'}>{t(`rk.wp.as.${r.assessmentStatus}` as MessageKey)}</Tag>{r.assessmentRating && <Tag color={RATING_COLOURS[r.assessmentRating]}>{t(`rk.wp.rating.${r.assessmentRating}` as MessageKey)}</Tag>}</Space>
            : <Tag>{t('rk.wp.as.none')}</Tag>) },
          { title: t('rk.wp.status'), render: (_, r) => <Tag color={STATUS_COLOURS[r.status]}>{t(`rk.wp.status.${r.status}` as MessageKey)}</Tag> },
        ]} />
      </Card>
      <Modal open={open} title={t('rk.wp.new')} onCancel={() => setOpen(false)} onOk={create.save} confirmLoading={create.busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: 'project' }}>
          {create.error && <Alert type="error" showIcon title={create.error} />}
          <Form.Item name="title" label={t('rk.wp.decision')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="kind" label={t('rk.wp.kind')}><Select options={['project', 'policy', 'reform', 'other'].map((k) => ({ value: k, label: t(`rk.wp.kind.${k}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="description" label={t('rk.wp.description')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
      <Drawer open={current != null} size={760} onClose={() => { setCurrent(null); list.reload(); }} title={t('rk.wp.title')} destroyOnHidden>
        {current != null && <DecisionDetail id={current} onChanged={list.reload} />}
      </Drawer>
    </div>
  );
}

/** What a decision still needs before it can be approved (the gate, as the user sees it). */
function gateReason(d: any, t: (k: MessageKey, v?: Record<string, string | number>) => string): string | null {
  const last = d.assessments.at(-1);
  if (!last) return t('rk.wp.gate.none');
  if (last.status !== 'completed') return t('rk.wp.gate.inProgress');
  if (!PROCEEDING.includes(last.conclusion)) return t('rk.wp.gate.against', { conclusion: t(`rk.wp.conclusion.${last.conclusion}` as MessageKey) });
  return null;
}

function DecisionDetail({ id, onChanged }: { id: number; onChanged(): void }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const res = useApi<any>(`/api/v1/risk/decisions/${id}`);
  const [approveError, setApproveError] = useState<string | null>(null);
  const d = res.data;
  if (!d) return <ErrorNote error={res.error} />;
  const mayWrite = can(me, 'risk.assessment.write');
  const mayApprove = can(me, 'risk.decision.approve');
  const a = d.assessments.at(-1);
  const underWay = a?.status === 'in_progress';
  const gate = gateReason(d, t);
  const post = async (path: string, body: unknown) => {
    try { await api(`/api/v1/risk/decisions/${id}${path}`, { body }); message.success(t('rk.wp.saved')); res.reload(); onChanged(); return true; } catch (e) { message.error(errorText(e)); return false; }
  };
  const approve = async (status: string) => {
    setApproveError(null);
    try { await api(`/api/v1/risk/decisions/${id}/decide`, { body: { status } }); res.reload(); onChanged(); } catch (e) { setApproveError(errorText(e)); }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="decision-detail">
      <Typography.Title level={4} style={{ margin: 0 }}>{d.title} <Tag color={STATUS_COLOURS[d.status]} data-testid="decision-status">{t(`rk.wp.status.${d.status}` as MessageKey)}</Tag></Typography.Title>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('rk.wp.kind')}>{t(`rk.wp.kind.${d.kind}` as MessageKey)}</Descriptions.Item>
        <Descriptions.Item label={t('rk.wp.region')}>{d.regionName ?? d.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('rk.wp.owner')}>{d.ownerUnitName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('rk.wp.description')}>{d.description}</Descriptions.Item>
      </Descriptions>

      {d.status === 'draft' && (
        <Card size="small" title={t('rk.wp.gate')} data-testid="approval-gate">
          {gate
            ? <Alert type="warning" showIcon title={t('rk.wp.gate.blocked')} description={gate} data-testid="gate-reason" />
            : <Alert type="success" showIcon title={t('rk.wp.gate.open')} />}
          {approveError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={approveError} data-testid="approve-error" />}
          <Space style={{ marginTop: 8 }}>
            {mayApprove && <Button type="primary" disabled={!!gate} onClick={() => approve('approved')} data-testid="approve">{t('rk.wp.approve')}</Button>}
            {mayWrite && <Button onClick={() => approve('withdrawn')}>{t('rk.wp.withdraw')}</Button>}
            {mayApprove && <Button danger onClick={() => approve('turned_down')}>{t('rk.wp.turnDown')}</Button>}
          </Space>
        </Card>
      )}

      {!a && mayWrite && d.status === 'draft' && <Button type="primary" onClick={() => post('/assessment', {})} data-testid="start-assessment">{t('rk.wp.start')}</Button>}
      {a && (
        <Card size="small" title={<Space>{t('rk.wp.assessment')}<Tag color={a.status === 'completed' ? 'green' : 'blue'}>{t(`rk.wp.as.${a.status}` as MessageKey)}</Tag>
          {a.rating && <Tag color={RATING_COLOURS[a.rating]}>{t(`rk.wp.rating.${a.rating}` as MessageKey)}</Tag>}</Space>}
          extra={a.status === 'completed' && <a href={`/api/v1/risk/decisions/${id}/report.pdf`} target="_blank" rel="noreferrer" data-testid="report-pdf"><FilePdfOutlined /> {t('rk.wp.report')}</a>}>
          <Typography.Text strong>{t('rk.wp.points')}</Typography.Text>
          <Table size="small" rowKey="id" pagination={false} dataSource={a.riskPoints} data-testid="risk-points" columns={[
            { title: t('rk.wp.point'), dataIndex: 'description' }, { title: t('rk.wp.category'), dataIndex: 'category', width: 90 },
            { title: t('rk.wp.importance'), dataIndex: 'importance', width: 70 }, { title: t('rk.wp.urgency'), dataIndex: 'urgency', width: 70 },
            { title: t('rk.wp.priority'), dataIndex: 'priority', width: 70 }, { title: t('rk.wp.measures'), dataIndex: 'measures' },
          ]} />
          <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>{t('rk.wp.consultations')}</Typography.Text>
          <Table size="small" rowKey="id" pagination={false} dataSource={a.consultations} columns={[
            { title: t('rk.wp.method'), render: (_: unknown, c: any) => t(`rk.wp.method.${c.method}` as MessageKey) }, { title: t('rk.wp.heldOn'), render: (_: unknown, c: any) => formatDate(c.heldOn, locale) },
            { title: t('rk.wp.participants'), dataIndex: 'participants' }, { title: t('rk.wp.support'), dataIndex: 'support' }, { title: t('rk.wp.oppose'), dataIndex: 'oppose' },
            { title: t('rk.wp.summary'), dataIndex: 'summary' },
          ]} />
          <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>{t('rk.wp.reviews')}</Typography.Text>
          <Table size="small" rowKey="id" pagination={false} dataSource={a.expertReviews} columns={[
            { title: t('rk.wp.expert'), dataIndex: 'expertName' }, { title: t('rk.wp.field'), dataIndex: 'field' },
            { title: t('rk.wp.recommendation'), render: (_: unknown, r: any) => t(`rk.wp.rec.${r.recommendation}` as MessageKey) }, { title: t('rk.wp.opinion'), dataIndex: 'opinion' },
          ]} />
          {a.status === 'completed' && (
            <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('rk.wp.conclusion')}>{t(`rk.wp.conclusion.${a.conclusion}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('rk.wp.conclusionText')}>{a.conclusionText}</Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      )}
      {underWay && mayWrite && <AssessmentForms post={post} missing={[!a.riskPoints.length && 'points', !a.consultations.length && 'consultations', !a.expertReviews.length && 'reviews'].filter(Boolean) as string[]} />}
    </Space>
  );
}

function AssessmentForms({ post, missing }: { post(path: string, body: unknown): Promise<boolean>; missing: string[] }) {
  const { t } = useI18n();
  const [point] = Form.useForm();
  const [consult] = Form.useForm();
  const [review] = Form.useForm();
  const [done] = Form.useForm();
  const submit = (f: ReturnType<typeof Form.useForm>[0], path: string, map: (v: any) => unknown) => async () => {
    let v: any;
    try { v = await f.validateFields(); } catch { return; }
    if (await post(path, map(v))) f.resetFields();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="assessment-forms">
      <Card size="small" title={t('rk.wp.addPoint')}>
        <Form form={point} layout="vertical" initialValues={{ importance: 3, urgency: 3 }} data-testid="point-form">
          <Form.Item name="description" label={t('rk.wp.point')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Space wrap>
            <Form.Item name="category" label={t('rk.wp.category')} rules={[{ required: true }]}><Input style={{ width: 140 }} /></Form.Item>
            <Form.Item name="importance" label={t('rk.wp.importance')}><InputNumber min={1} max={5} /></Form.Item>
            <Form.Item name="urgency" label={t('rk.wp.urgency')}><InputNumber min={1} max={5} /></Form.Item>
            <Form.Item name="owner" label={t('rk.wp.ownerOf')}><Input style={{ width: 160 }} /></Form.Item>
          </Space>
          <Form.Item name="measures" label={t('rk.wp.measures')}><Input.TextArea rows={2} /></Form.Item>
          <Button onClick={submit(point, '/assessment/risk-points', (v) => v)}>{t('rk.wp.add')}</Button>
        </Form>
      </Card>
      <Card size="small" title={t('rk.wp.addConsultation')}>
        <Form form={consult} layout="vertical" initialValues={{ method: 'hearing', participants: 0, support: 0, oppose: 0, heldOn: dayjs() }} data-testid="consultation-form">
          <Space wrap>
            <Form.Item name="method" label={t('rk.wp.method')}><Select style={{ width: 120 }} options={['hearing', 'survey', 'forum', 'publication', 'visit'].map((m) => ({ value: m, label: t(`rk.wp.method.${m}` as MessageKey) }))} /></Form.Item>
            <Form.Item name="heldOn" label={t('rk.wp.heldOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
            <Form.Item name="participants" label={t('rk.wp.participants')}><InputNumber min={0} /></Form.Item>
            <Form.Item name="support" label={t('rk.wp.support')}><InputNumber min={0} /></Form.Item>
            <Form.Item name="oppose" label={t('rk.wp.oppose')}><InputNumber min={0} /></Form.Item>
          </Space>
          <Form.Item name="summary" label={t('rk.wp.summary')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Button onClick={submit(consult, '/assessment/consultations', (v) => ({ ...v, heldOn: date(v.heldOn) }))}>{t('rk.wp.add')}</Button>
        </Form>
      </Card>
      <Card size="small" title={t('rk.wp.addReview')}>
        <Form form={review} layout="vertical" initialValues={{ recommendation: 'agree', reviewedOn: dayjs() }} data-testid="review-form">
          <Space wrap>
            <Form.Item name="expertName" label={t('rk.wp.expert')} rules={[{ required: true }]}><Input style={{ width: 120 }} /></Form.Item>
            <Form.Item name="field" label={t('rk.wp.field')} rules={[{ required: true }]}><Input style={{ width: 140 }} /></Form.Item>
            <Form.Item name="recommendation" label={t('rk.wp.recommendation')}><Select style={{ width: 130 }} options={['agree', 'agree_with_conditions', 'disagree'].map((m) => ({ value: m, label: t(`rk.wp.rec.${m}` as MessageKey) }))} /></Form.Item>
            <Form.Item name="reviewedOn" label={t('rk.wp.reviewedOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          </Space>
          <Form.Item name="opinion" label={t('rk.wp.opinion')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Button onClick={submit(review, '/assessment/expert-reviews', (v) => ({ ...v, reviewedOn: date(v.reviewedOn) }))}>{t('rk.wp.add')}</Button>
        </Form>
      </Card>
      <Card size="small" title={t('rk.wp.complete')}>
        {missing.length > 0 && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('rk.wp.missing', { what: missing.map((m) => t(`rk.wp.missing.${m}` as MessageKey)).join('、') })} />}
        <Form form={done} layout="vertical" initialValues={{ rating: 'low', conclusion: 'proceed' }} data-testid="complete-form">
          <Space wrap>
            <Form.Item name="rating" label={t('rk.wp.rating')}><Select style={{ width: 120 }} options={['low', 'medium', 'high'].map((m) => ({ value: m, label: t(`rk.wp.rating.${m}` as MessageKey) }))} /></Form.Item>
            <Form.Item name="conclusion" label={t('rk.wp.conclusion')}><Select style={{ width: 260 }} options={['proceed', 'proceed_with_measures', 'postpone', 'abandon'].map((m) => ({ value: m, label: t(`rk.wp.conclusion.${m}` as MessageKey) }))} /></Form.Item>
          </Space>
          <Form.Item name="conclusionText" label={t('rk.wp.conclusionText')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Button type="primary" disabled={missing.length > 0} onClick={submit(done, '/assessment/complete', (v) => v)} data-testid="complete">{t('rk.wp.completeOk')}</Button>
        </Form>
      </Card>
    </Space>
  );
}
