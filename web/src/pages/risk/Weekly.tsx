// 周研判: the week's signals under the user's region (alerts, hazards, daily checks, cases, key persons),
// the agenda they suggest, and the weekly review meetings. Convening one takes that agenda; in the
// meeting, the minutes' decisions become hazard cases of the register.
import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, Button, Card, Col, DatePicker, Drawer, Form, Input, List, Modal, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { LevelTag } from '../../components/Risk.tsx';
import { MeetingDetail } from '../meetings/Meetings.tsx';

const KIND = 'risk.weekly_review';

interface Signals {
  weekStart: string;
  alerts: { raised: number; pending: number };
  hazards: { registered: number; writtenOff: number; open: Record<string, number> };
  checks: { grids: number; filed: number; expected: number; findings: number };
  cases: { reported: number; overdueSteps: number; returned: number };
  keyPersons: { followupsOverdue: number };
  agenda: Array<{ ref: { kind: string; id?: number }; title: { zh: string; en: string }; level: string | null }>;
}

const monday = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');

export default function Weekly() {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const [week, setWeek] = useState(monday(dayjs()));
  const signals = useApi<Signals>(withQuery('/api/v1/risk/weekly-signals', { region: me.regionCode, week }));
  const kinds = useApi<{ items: Array<{ kind: string; mayHold: boolean }> }>('/api/v1/meeting-kinds');
  const list = useApi<{ items: any[] }>(withQuery('/api/v1/meetings', { kind: KIND }));
  const mayHold = !!kinds.data?.items.find((k) => k.kind === KIND)?.mayHold;
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<number | null>(null);
  const [form] = Form.useForm();
  const convene = useFormSubmit<any>(form, async (v) => {
    const attendees = String(v.attendees ?? '').split('\n').map((s) => s.trim()).filter(Boolean)
      .map((line) => { const [name, ...org] = line.split(/\s+/); return { name, organisation: org.join(' ') || undefined }; });
    const extraAgenda = String(v.extra ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
    const r = await api<{ meeting: { id: number } }>('/api/v1/risk/weekly-reviews', {
      body: { regionCode: me.regionCode, week, scheduledAt: v.when.toISOString(), place: v.place, attendees, extraAgenda },
    });
    setOpen(false); form.resetFields(); list.reload(); setCurrent(r.meeting.id);
  });
  const s = signals.data;
  return (
    <div data-testid="weekly-review">
      <PageTitle extra={
        <Space>
          <DatePicker picker="week" allowClear={false} value={dayjs(week)} onChange={(d) => d && setWeek(monday(d))} aria-label={t('rk.weekly.week')} />
          {mayHold && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="convene">{t('rk.weekly.convene')}</Button>}
        </Space>
      }>{t('rk.weekly.title')}</PageTitle>
      <ErrorNote error={signals.error} />
      {s && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.alerts')} value={s.alerts.raised} suffix={<Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('rk.weekly.pending', { n: s.alerts.pending })}</Typography.Text>} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.hazardsNew')} value={s.hazards.registered} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.writtenOff')} value={s.hazards.writtenOff} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.openRedOrange')} value={(s.hazards.open.red ?? 0) + (s.hazards.open.orange ?? 0)} valueStyle={{ color: '#cf1322' }} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.checks')} value={s.checks.filed} suffix={`/ ${s.checks.expected}`} /></Card></Col>
            <Col xs={12} md={4}><Card size="small"><Statistic title={t('rk.weekly.followups')} value={s.keyPersons.followupsOverdue} /></Card></Col>
          </Row>
          <Card size="small" title={t('rk.weekly.agenda')} style={{ marginTop: 12 }} data-testid="weekly-agenda">
            <List size="small" dataSource={s.agenda} locale={{ emptyText: t('rk.weekly.noSignals') }} renderItem={(a) => (
              <List.Item>{a.level && <LevelTag level={a.level} />} {pick(a.title)} <Tag>{t(`rk.weekly.ref.${a.ref.kind}` as MessageKey)}</Tag></List.Item>
            )} />
          </Card>
        </>
      )}
      <Card size="small" title={t('rk.weekly.meetings')} style={{ marginTop: 12 }}>
        <ErrorNote error={list.error} />
        <Table size="small" rowKey="id" dataSource={list.data?.items ?? []} data-testid="weekly-meetings" onRow={(r) => ({ onClick: () => setCurrent(r.id), style: { cursor: 'pointer' } })} columns={[
          { title: t('mt.title'), dataIndex: 'title' },
          { title: t('mt.when'), render: (_, r) => formatDateTime(r.scheduledAt, locale) },
          { title: t('mt.place'), dataIndex: 'place' },
          { title: '', render: (_, r) => <Tag>{t(`mt.status.${r.status}` as MessageKey)}</Tag> },
          { title: t('mt.decisions'), dataIndex: 'decisions' },
        ]} />
      </Card>
      <Modal open={open} title={t('rk.weekly.convene')} onCancel={() => setOpen(false)} onOk={convene.save} confirmLoading={convene.busy} okText={t('rk.weekly.conveneOk')} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ when: dayjs().add(1, 'day').hour(9).minute(0).second(0) }}>
          {convene.error && <Alert type="error" showIcon title={convene.error} />}
          <Typography.Paragraph type="secondary">{t('rk.weekly.agendaFrom', { n: (s?.agenda.length ?? 0) + 1, week })}</Typography.Paragraph>
          <Form.Item name="when" label={t('mt.when')} rules={[{ required: true }]}><DatePicker showTime /></Form.Item>
          <Form.Item name="place" label={t('mt.place')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="attendees" label={t('mt.attendees')} extra={t('mt.oneAttendeePerLine')}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="extra" label={t('rk.weekly.extra')} extra={t('mt.oneAgendaPerLine')}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </Modal>
      <Drawer open={current != null} size={680} onClose={() => { setCurrent(null); list.reload(); }} title={t('rk.weekly.title')} destroyOnHidden>
        {current != null && <MeetingDetail id={current} caseTypes={['hazard']} />}
      </Drawer>
    </div>
  );
}
