// 议事协商 for staff: the topics residents propose, most supported first, moderated (answer, hide, merge a
// duplicate into the topic it repeats, put on a deliberation meeting's agenda); the deliberation meetings
// (议事协商会, the platform's shared meetings) with agenda, attendance, minutes and decisions; and the
// trail of every moderation step.
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { Button, Card, Col, DatePicker, Drawer, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { MeetingDetail } from '../meetings/Meetings.tsx';
import { useRun, useSubmit } from './shared.ts';
import { HideDialog } from './HideDialog.tsx';
import { ModerationTrail } from './Trail.tsx';

interface Topic {
  id: number; regionCode: string; regionName?: string; communityName?: string; title: string; body: string | null; supports: number; status: 'open' | 'scheduled';
  answer: string | null; meetingId: number | null; hidden?: boolean; mergedInto?: number; createdAt: string;
}
interface Meeting { id: number; title: string; scheduledAt: string; place: string | null; status: string; decisions: number }

const KIND = 'participation.deliberation';
type Acting = { topic: Topic; action: 'answer' | 'merge' | 'schedule' | 'hide' } | null;
export { HIDE_REASONS } from './HideDialog.tsx';

export default function Topics() {
  const { t, locale } = useI18n();
  const me = useMe();
  const run = useRun();
  // staff of a street or above: which community each topic is in, and one community's (from the overview)
  const street = me.regionCode.length < 12;
  const [params, setParams] = useSearchParams();
  const community = street ? params.get('community') : null;
  const communities = useApi<{ items: Array<{ code: string; name: string }> }>(street ? '/api/v1/participation/overview' : null);
  const topics = useApi<{ items: Topic[] }>(`/api/v1/participation/topics${community ? `?community=${community}` : ''}`);
  const meetings = useApi<{ items: Meeting[] }>(`/api/v1/meetings?kind=${KIND}&pageSize=50`);
  const [acting, setActing] = useState<Acting>(null);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState<number | null>(null);
  const [convening, setConvening] = useState(false);
  const [meetingId, setMeetingId] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [form] = Form.useForm();
  const moderator = can(me, 'participation.moderate');
  const all = topics.data?.items ?? [];
  const title = (id: number | null | undefined) => all.find((x) => x.id === id)?.title;
  const meetingTitle = (id: number | null) => meetings.data?.items.find((m) => m.id === id)?.title;
  const close = () => { setActing(null); setNote(''); setTarget(null); };
  // one moderation step at a time: the dialog's button (or the row's 恢复显示) spins and takes no second click
  const mod = useSubmit();
  const [busyTopic, setBusyTopic] = useState<number | null>(null);
  const moderate = (topic: Topic, body: Record<string, unknown>) => mod.submit(async () => {
    setBusyTopic(topic.id);
    const ok = await run(() => api(`/api/v1/participation/topics/${topic.id}/moderate`, { body }), 'pt.manage.done');
    setBusyTopic(null);
    if (ok) { close(); topics.reload(); setVersion((v) => v + 1); }
    return ok;
  });
  const submitActing = () => {
    if (!acting) return;
    if (acting.action === 'answer') void moderate(acting.topic, { action: 'answer', note });
    if (acting.action === 'merge' && target) void moderate(acting.topic, { action: 'merge', intoId: target });
    if (acting.action === 'schedule' && target) void moderate(acting.topic, { action: 'schedule', meetingId: target });
  };
  // 召开议事会: one meeting however often 保存 is clicked — the button spins and takes no second click, and the
  // request carries the form's Idempotency-Key, so a click that gets through still makes one meeting
  const conv = useSubmit();
  const convene = (v: { title: string; when: dayjs.Dayjs; place: string; regionCode: string; agenda: string; attendees?: string }) => conv.submit(async (headers) => {
    const lines = (s?: string) => String(s ?? '').split('\n').map((x) => x.trim()).filter(Boolean);
    let id = 0;
    const ok = await run(async () => {
      id = (await api<{ id: number }>('/api/v1/meetings', { headers, body: {
        kind: KIND, title: v.title, scheduledAt: v.when.toISOString(), regionCode: v.regionCode, place: v.place,
        agenda: lines(v.agenda).map((x) => ({ title: x })), attendees: lines(v.attendees).map((name) => ({ name })),
      } })).id;
    }, 'pt.topicm.convened');
    if (ok) { setConvening(false); form.resetFields(); meetings.reload(); setMeetingId(id); }
    return ok;
  });
  const sameCommunity = (a: Topic, b: Topic) => a.regionCode.slice(0, 12) === b.regionCode.slice(0, 12);
  return (
    <div data-testid="pt-topics">
      <PageTitle>{t('pt.topicm.pageTitle')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('pt.topicm.topics')} extra={street && (
            <Select aria-label={t('pt.list.community')} data-testid="community-filter" size="small" style={{ width: 180 }} value={community ?? ''}
              onChange={(v) => setParams((p) => { const n = new URLSearchParams(p); if (v) n.set('community', v); else n.delete('community'); return n; })}
              options={[{ value: '', label: t('pt.list.allCommunities') }, ...(communities.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))]} />
          )}>
            <ErrorNote error={topics.error} />
            <Table<Topic> size="small" rowKey="id" loading={topics.loading} dataSource={all} data-testid="topics"
              locale={{ emptyText: t('pt.topic.empty') }} pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('pt.topic.title'), render: (_, x) => <>
                  <Space wrap size={4}>{x.title}
                    {x.status === 'scheduled' && <Tag color="blue">{meetingTitle(x.meetingId) ? t('pt.topicm.onMeeting', { title: meetingTitle(x.meetingId)! }) : t('pt.topic.scheduled')}</Tag>}
                    {x.hidden && !x.mergedInto && <Tag color="red">{t('pt.manage.hidden')}</Tag>}
                    {x.mergedInto && <Tag color="orange">{title(x.mergedInto) ? t('pt.manage.mergedInto', { title: title(x.mergedInto)! }) : t('pt.manage.merged')}</Tag>}
                  </Space>
                  {x.body && <div className="gz-typed"><Typography.Text type="secondary">{x.body}</Typography.Text></div>}
                  {x.answer && <div className="gz-typed"><Typography.Text>{t('pt.wish.answer', { text: x.answer })}</Typography.Text></div>}
                </> },
                ...(street ? [{ title: t('pt.list.community'), width: 110, render: (_: unknown, x: Topic) => <span data-testid="community-name">{x.communityName ?? '—'}</span> }] : []),
                { title: t('pt.topicm.region'), width: 110, render: (_, x) => x.regionName ?? '—' },
                { title: t('pt.topicm.supports'), dataIndex: 'supports', width: 80, sorter: (a, b) => a.supports - b.supports },
                { title: t('pt.topicm.proposedAt'), width: 100, render: (_, x) => formatDateTime(x.createdAt, locale).slice(0, 10) },
                ...(moderator ? [{ title: '', width: 150, render: (_: unknown, x: Topic) => (
                  <Space wrap size={4}>
                    <Button size="small" onClick={() => { setActing({ topic: x, action: 'answer' }); setNote(x.answer ?? ''); }}>{t('pt.manage.answer')}</Button>
                    {!x.hidden && <Button size="small" onClick={() => setActing({ topic: x, action: 'schedule' })}>{t('pt.topicm.schedule')}</Button>}
                    {!x.hidden && <Button size="small" onClick={() => setActing({ topic: x, action: 'merge' })}>{t('pt.manage.merge')}</Button>}
                    {x.hidden
                      ? <Button size="small" loading={mod.pending && busyTopic === x.id} onClick={() => moderate(x, { action: 'unhide' })}>{t('pt.manage.unhide')}</Button>
                      : <Button size="small" onClick={() => setActing({ topic: x, action: 'hide' })}>{t('pt.manage.hide')}</Button>}
                  </Space>
                ) }] : []),
              ]} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t('pt.topicm.meetings')} extra={moderator && <Button size="small" icon={<PlusOutlined />} onClick={() => setConvening(true)}>{t('pt.topicm.convene')}</Button>}>
            <ErrorNote error={meetings.error} />
            <Table<Meeting> size="small" rowKey="id" loading={meetings.loading} dataSource={meetings.data?.items ?? []} data-testid="deliberation-meetings"
              locale={{ emptyText: t('pt.topicm.noMeetings') }} pagination={false} onRow={(m) => ({ onClick: () => setMeetingId(m.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('mt.title'), render: (_, m) => <>{m.title}<div><Typography.Text type="secondary">{formatDateTime(m.scheduledAt, locale)}{m.place ? ` · ${m.place}` : ''}</Typography.Text></div></> },
                { title: '', width: 70, render: (_, m) => <Tag>{t(`mt.status.${m.status}` as MessageKey)}</Tag> },
                { title: t('mt.decisions'), dataIndex: 'decisions', width: 90 },
              ]} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('pt.trail.title')} style={{ marginTop: 16 }}><ModerationTrail subject="topic" version={version} /></Card>

      <HideDialog open={acting?.action === 'hide'} busy={mod.pending} help="pt.hide.help" onCancel={close}
        title={acting?.action === 'hide' ? t('pt.topicm.hideTitle', { title: acting.topic.title }) : ''}
        onHide={(body) => { if (acting) void moderate(acting.topic, body); }} />
      <Modal open={!!acting && acting.action !== 'hide'} destroyOnHidden onCancel={close} onOk={submitActing} confirmLoading={mod.pending}
        title={acting ? t(`pt.topicm.${acting.action}Title` as MessageKey, { title: acting.topic.title }) : ''}
        okText={acting ? t(acting.action === 'answer' ? 'pt.manage.answer' : acting.action === 'merge' ? 'pt.manage.merge' : 'pt.topicm.schedule') : ''}
        okButtonProps={{ disabled: acting?.action === 'answer' ? !note.trim() : !target }}>
        {acting?.action === 'answer' && <Input.TextArea aria-label={t('pt.manage.answerText')} rows={3} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />}
        {acting?.action === 'merge' && <>
          <Typography.Paragraph type="secondary">{t('pt.topicm.mergeHelp')}</Typography.Paragraph>
          <Select aria-label={t('pt.manage.mergeInto')} placeholder={t('pt.manage.mergeInto')} style={{ width: '100%' }} value={target ?? undefined} onChange={setTarget} showSearch optionFilterProp="label"
            options={all.filter((x) => x.id !== acting.topic.id && !x.hidden && sameCommunity(x, acting.topic)).map((x) => ({ value: x.id, label: t('pt.topicm.option', { title: x.title, n: x.supports }) }))} />
        </>}
        {acting?.action === 'schedule' && (
          <Select aria-label={t('pt.topicm.meeting')} placeholder={t('pt.topicm.meeting')} style={{ width: '100%' }} value={target ?? undefined} onChange={setTarget}
            options={(meetings.data?.items ?? []).filter((m) => m.status === 'scheduled').map((m) => ({ value: m.id, label: `${m.title}（${formatDateTime(m.scheduledAt, locale)}）` }))}
            notFoundContent={t('pt.topicm.noOpenMeetings')} />
        )}
      </Modal>

      <Modal open={convening} title={t('pt.topicm.convene')} onOk={() => { if (!conv.pending) form.submit(); }} onCancel={() => setConvening(false)} okText={t('common.save')}
        confirmLoading={conv.pending} destroyOnHidden width={560}>
        <Form form={form} layout="vertical" name="deliberation" onFinish={convene}
          initialValues={{ regionCode: me.regionCode, when: dayjs().add(2, 'day').hour(19).minute(0), agenda: all.filter((x) => !x.hidden && x.status === 'open').slice(0, 3).map((x) => x.title).join('\n') }}>
          <Form.Item name="title" label={t('mt.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} placeholder={t('pt.topicm.titleHint')} /></Form.Item>
          <Form.Item name="regionCode" label={t('pt.topicm.level')} extra={t('pt.topicm.levelHelp')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
          <Space wrap>
            <Form.Item name="when" label={t('mt.when')} rules={[{ required: true, message: t('form.required') }]}><DatePicker showTime format="YYYY-MM-DD HH:mm" /></Form.Item>
            <Form.Item name="place" label={t('mt.place')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
          </Space>
          <Form.Item name="agenda" label={t('mt.agenda')} extra={t('mt.oneAgendaPerLine')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="attendees" label={t('mt.attendees')} extra={t('pt.topicm.attendeesHelp')}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>

      <Drawer open={meetingId != null} size={640} onClose={() => { setMeetingId(null); meetings.reload(); }} title={t('pt.topicm.meeting')} destroyOnHidden>
        {meetingId != null && <MeetingDetail id={meetingId} caseTypes={[]} />}
      </Drawer>
    </div>
  );
}
