// Meetings of the kinds I may read (联席会议 …): convene one with agenda and attendees, take attendance,
// write the minutes, record decisions (a decision can become a case), print the minutes.
import { useRef, useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, Checkbox, DatePicker, Drawer, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { api } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { CategoryPicker } from '../../components/Pickers.tsx';
import { useWorkflows } from '../../lib/workflows.ts';
import { freshKey } from '../participation/shared.ts';

export default function Meetings() {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const kinds = useApi<{ items: Array<{ kind: string; label: { zh: string; en: string }; mayHold: boolean }> }>('/api/v1/meeting-kinds');
  const list = useApi<{ items: any[] }>('/api/v1/meetings');
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<number | null>(null);
  const [form] = Form.useForm();
  const holdable = (kinds.data?.items ?? []).filter((k) => k.mayHold);
  // one Idempotency-Key per meeting: a click that gets past the busy button still convenes one meeting
  const key = useRef(freshKey());
  const create = useFormSubmit<any>(form, async (v) => {
    const agenda = String(v.agenda).split('\n').map((s) => s.trim()).filter(Boolean).map((title) => ({ title }));
    const attendees = String(v.attendees ?? '').split('\n').map((s) => s.trim()).filter(Boolean).map((line) => { const [name, ...org] = line.split(/\s+/); return { name, organisation: org.join(' ') || undefined }; });
    const m = await api<{ id: number }>('/api/v1/meetings', { headers: { 'idempotency-key': key.current }, body: { kind: v.kind, title: v.title, scheduledAt: v.when.toISOString(), regionCode: me.regionCode, place: v.place, agenda, attendees } });
    key.current = freshKey();
    setOpen(false); form.resetFields(); list.reload(); setCurrent(m.id);
  });
  return (
    <div data-testid="meetings">
      <PageTitle extra={holdable.length > 0 && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('mt.new')}</Button>}>{t('mt.meetings')}</PageTitle>
      <ErrorNote error={list.error} />
      <Card size="small">
        <Table size="small" rowKey="id" dataSource={list.data?.items ?? []} onRow={(r) => ({ onClick: () => setCurrent(r.id), style: { cursor: 'pointer' } })} columns={[
          { title: t('mt.title'), dataIndex: 'title' }, { title: t('mt.kind'), render: (_, r) => pick(r.kindLabel) },
          { title: t('mt.when'), render: (_, r) => formatDateTime(r.scheduledAt, locale) }, { title: t('mt.place'), dataIndex: 'place' },
          { title: '', render: (_, r) => <Tag>{t(`mt.status.${r.status}` as MessageKey)}</Tag> }, { title: t('mt.decisions'), dataIndex: 'decisions' },
        ]} />
      </Card>
      <Modal open={open} title={t('mt.new')} onCancel={() => setOpen(false)} onOk={create.save} confirmLoading={create.busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: holdable[0]?.kind, when: dayjs().add(1, 'day').hour(9).minute(0) }}>
          {create.error && <Alert type="error" showIcon title={create.error} />}
          <Form.Item name="kind" label={t('mt.kind')}><Select options={holdable.map((k) => ({ value: k.kind, label: pick(k.label) }))} /></Form.Item>
          <Form.Item name="title" label={t('mt.title')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="when" label={t('mt.when')} rules={[{ required: true }]}><DatePicker showTime /></Form.Item>
          <Form.Item name="place" label={t('mt.place')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="agenda" label={t('mt.agenda')} extra={t('mt.oneAgendaPerLine')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="attendees" label={t('mt.attendees')} extra={t('mt.oneAttendeePerLine')}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
      <Drawer open={current != null} size={640} onClose={() => { setCurrent(null); list.reload(); }} title={t('mt.meetings')} destroyOnHidden>
        {current != null && <MeetingDetail id={current} />}
      </Drawer>
    </div>
  );
}

/** A meeting: agenda, attendance, minutes, decisions. `caseTypes` narrows the types its decisions may become. */
export function MeetingDetail({ id, caseTypes }: { id: number; caseTypes?: string[] }) {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const workflows = useWorkflows();
  const reportable = (workflows?.reportable(me.role) ?? []).filter((d) => !caseTypes || caseTypes.includes(d.type));
  const { message } = App.useApp();
  const res = useApi<any>(`/api/v1/meetings/${id}`);
  const [present, setPresent] = useState<Record<number, boolean>>({});
  const [minutes, setMinutes] = useState<string | null>(null);
  const [form] = Form.useForm();
  const toCase = Form.useWatch('toCase', form);
  // the categories offered follow the chosen case type (a petition's 信访事项, a hazard's 隐患类型 …)
  const caseType = Form.useWatch('type', form) ?? reportable[0]?.type;
  const decide = useFormSubmit<any>(form, async (v) => {
    await api(`/api/v1/meetings/${id}/decisions`, { body: { text: v.text, ...(v.toCase ? { case: { type: v.type, categoryCode: v.categoryCode, title: v.caseTitle, description: v.text, urgency: v.urgency } } : {}) } });
    form.resetFields(); res.reload();
  });
  const m = res.data;
  if (!m) return <ErrorNote error={res.error} />;
  const call = async (path: string, body: unknown) => { try { await api(path, { method: 'PUT', body }); message.success(t('md.saved')); res.reload(); } catch (e) { message.error(errorText(e)); } };
  return (
    <div data-testid="meeting-detail">
      <Typography.Title level={4} data-testid="meeting-title">{m.title} <Tag>{t(`mt.status.${m.status}` as MessageKey)}</Tag></Typography.Title>
      <Typography.Paragraph type="secondary">{formatDateTime(m.scheduledAt, locale)} · {m.place ?? m.onlineLink} · <a href={`/api/v1/meetings/${id}/minutes.pdf`} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t('mt.printMinutes')}</a></Typography.Paragraph>
      <Card size="small" title={t('mt.agenda')}><List size="small" dataSource={m.agenda} renderItem={(a: any) => <List.Item>{a.seq}. {a.title}{a.note && <Typography.Text type="secondary">（{a.note}）</Typography.Text>}</List.Item>} /></Card>
      <Card size="small" title={t('mt.attendees')} style={{ marginTop: 12 }}>
        {m.attendees.map((a: any) => <div key={a.id}><Checkbox disabled={!m.mayHold} checked={present[a.id] ?? !!a.present} onChange={(e) => setPresent({ ...present, [a.id]: e.target.checked })}>{a.name} {a.organisation ?? ''}</Checkbox></div>)}
        {m.mayHold && m.attendees.length > 0 && <Button size="small" style={{ marginTop: 8 }} onClick={() => call(`/api/v1/meetings/${id}/attendance`, { marks: m.attendees.map((a: any) => ({ attendeeId: a.id, present: present[a.id] ?? !!a.present })) })}>{t('mt.saveAttendance')}</Button>}
      </Card>
      <Card size="small" title={t('mt.minutes')} style={{ marginTop: 12 }} data-testid="meeting-minutes">
        {/* minutes record a meeting that took place: not offered before its time */}
        {m.mayHold && !m.started && m.status === 'scheduled' && (
          <Alert type="info" showIcon style={{ marginBottom: 8 }} data-testid="minutes-not-yet" title={t('mt.notStarted', { when: formatDateTime(m.scheduledAt, locale) })} />
        )}
        <Input.TextArea aria-label={t('mt.minutes')} rows={4} disabled={!m.mayHold || !m.started || m.status === 'cancelled'} value={minutes ?? m.minutes ?? ''} onChange={(e) => setMinutes(e.target.value)} />
        {m.mayHold && m.started && m.status !== 'cancelled' && <Button size="small" style={{ marginTop: 8 }} disabled={!(minutes ?? m.minutes)?.trim()} onClick={() => call(`/api/v1/meetings/${id}/minutes`, { minutes: minutes ?? m.minutes })}>{t('mt.saveMinutes')}</Button>}
      </Card>
      <Card size="small" title={t('mt.decisions')} style={{ marginTop: 12 }}>
        <List size="small" dataSource={m.decisions} renderItem={(d: any) => <List.Item>{d.seq}. {d.text} {d.caseNo && <Tag color="blue">{d.caseNo}</Tag>}</List.Item>} />
        {m.mayHold && m.status === 'held' && (
          <Form form={form} layout="vertical" initialValues={{ type: reportable[0]?.type, urgency: 'normal' }}
            onValuesChange={(changed) => { if ('type' in changed) form.setFieldValue('categoryCode', undefined); }}>
            {decide.error && <Alert type="error" showIcon title={decide.error} />}
            <Form.Item name="text" label={t('mt.decision')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
            {/* a kind whose decisions do not become cases (caseTypes: []) offers no such choice */}
            {(!caseTypes || caseTypes.length > 0) && <Form.Item name="toCase" valuePropName="checked"><Checkbox>{t('mt.toCase')}</Checkbox></Form.Item>}
            {toCase && <Space wrap>
              <Form.Item name="type" label={t('mt.caseType')}><Select style={{ width: 160 }} options={reportable.map((d) => ({ value: d.type, label: pick(d.name) }))} /></Form.Item>
              <Form.Item name="categoryCode" label={t('mt.category')} rules={[{ required: true }]}><CategoryPicker key={caseType} caseType={caseType} /></Form.Item>
              <Form.Item name="caseTitle" label={t('mt.caseTitle')} rules={[{ required: true }]}><Input /></Form.Item>
              <Form.Item name="urgency" label={t('mt.urgency')}><Select style={{ width: 120 }} options={['normal', 'urgent', 'emergency'].map((u) => ({ value: u, label: t(`mt.urgency.${u}` as MessageKey) }))} /></Form.Item>
            </Space>}
            <Button onClick={decide.save} loading={decide.busy}>{t('mt.addDecision')}</Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
