// 参与管理 for staff: set up votes and publish their results; moderate the wish wall (hide, merge a duplicate,
// answer) with its trail; run a 四议两公开 procedure step by step to its public notice; surveys (start one with
// its title and closing date, enter phone interviews, end it early, results by grid name); the whole
// moderation trail (审核记录) of wishes and topics.
import { useState } from 'react';
import { Alert, App, Button, Card, Collapse, DatePicker, Form, Input, InputNumber, List, Modal, Progress, Radio, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { SurveyQuestions, type SurveyQ } from './SurveyQuestions.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { ptError, useRun, useSubmit, type Wish } from './shared.ts';
import { useHashTarget } from '../../lib/hash-target.ts';
import { ModerationTrail } from './Trail.tsx';
import { HideDialog } from './HideDialog.tsx';

/** A street or above: its staff see the overview by community and which community each item is in. */
export const aboveCommunity = (regionCode: string) => regionCode.length < 12;
const withCommunity = (path: string, community: string | null) => (community ? `${path}${path.includes('?') ? '&' : '?'}community=${community}` : path);

interface CommunityRow {
  code: string; name: string; wishesOpen: number; wishesFulfilled: number; topics: number; votesOpen: number; meetingsHeld: number; proceduresInProgress: number;
  volunteers: number; volunteerHours: number; pointsAwarded: number; announcements: number; readRate: number | null;
}

/** 各社区参与概况: one row per community of the street (or district), each number opening its list for that community. */
function Overview({ rows, loading }: { rows: CommunityRow[]; loading: boolean }) {
  const { t } = useI18n();
  // the lists sit below this table: the link lands on them (#manage-lists), not at the top of the page
  const to = (tab: string, code: string, more = '') => `/participation/manage?tab=${tab}&community=${code}${more}#manage-lists`;
  return (
    <Card size="small" title={t('pt.ov.title')} style={{ marginBottom: 12 }} data-testid="participation-overview">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('pt.ov.hint')}</Typography.Paragraph>
      <Table<CommunityRow> size="small" rowKey="code" loading={loading} dataSource={rows} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('pt.ov.empty') }} onRow={(r) => ({ 'data-community': r.code } as any)}
        columns={[
          { title: t('pt.ov.community'), fixed: 'left', render: (_, r) => <Link to={`/participation/manage?community=${r.code}#manage-lists`}>{r.name}</Link> },
          // the number counts the wishes still to fulfil; its link lists exactly those (not every wish of the community)
          { title: <Tooltip title={t('pt.ov.wishesHelp')}><span>{t('pt.ov.wishes')}</span></Tooltip>,
            render: (_, r) => <><Link to={to('wishes', r.code, '&wishes=unfulfilled')}>{r.wishesOpen}</Link> / {r.wishesFulfilled}</> },
          { title: t('pt.ov.topics'), render: (_, r) => <Link to={`/participation/topics?community=${r.code}`}>{r.topics}</Link> },
          { title: t('pt.ov.votesOpen'), render: (_, r) => <Link to={to('votes', r.code)}>{r.votesOpen}</Link> },
          { title: t('pt.ov.meetings'), dataIndex: 'meetingsHeld' },
          { title: t('pt.ov.procedures'), render: (_, r) => <Link to={to('procedures', r.code)}>{r.proceduresInProgress}</Link> },
          { title: t('pt.ov.volunteers'), render: (_, r) => t('pt.ov.volunteersCell', { n: r.volunteers, h: r.volunteerHours }) },
          { title: t('pt.ov.points'), dataIndex: 'pointsAwarded' },
          { title: t('pt.ov.announcements'), render: (_, r) => t('pt.ov.annCell', { n: r.announcements, rate: r.readRate == null ? '—' : `${r.readRate}%` }) },
        ]} />
    </Card>
  );
}

/** The community an item is in, for staff above community level. */
function CommunityTag({ name }: { name?: string | null }) {
  const me = useMe();
  if (!aboveCommunity(me.regionCode) || !name) return null;
  return <Tag color="geekblue" data-testid="community-name">{name}</Tag>;
}

function Votes({ community }: { community: string | null }) {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Array<{ id: number; title: string; status: string; ballots: number; quorum: number; quorumMet: boolean; regionCode: string; communityName: string | null }> }>(
    withCommunity('/api/v1/participation/votes?pageSize=50', community));
  const [form] = Form.useForm();
  const sub = useSubmit();
  const create = (v: any) => sub.submit(async (headers) => {
    const now = Date.now();
    const ok = await run(() => api('/api/v1/participation/votes', { headers, body: {
      regionCode: v.regionCode, title: v.title, choice: v.choice, voterUnit: v.voterUnit, anonymous: v.anonymous,
      quorum: { percent: v.quorum ?? 0 }, opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + (v.days ?? 7) * 86_400_000).toISOString(),
      options: String(v.options ?? '').split('\n').map((x: string) => x.trim()).filter(Boolean),
    } }), 'pt.manage.created');
    if (ok) { form.resetFields(); list.reload(); }
    return ok;
  });
  return (
    <>
      {can(me, 'participation.vote.manage') && (
        <Collapse style={{ marginBottom: 12 }} items={[{ key: 'new', label: t('pt.manage.newVote'), children: (
          <Form form={form} layout="vertical" onFinish={create} initialValues={{ regionCode: me.regionCode, choice: 'single', voterUnit: 'household', anonymous: false, quorum: 50, days: 7, options: '同意\n不同意\n弃权' }}>
            <Form.Item name="title" label={t('pt.proc.title')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="regionCode" label={t('pt.manage.region')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
            <Form.Item name="options" label={t('pt.manage.options')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
            <Form.Item name="choice" label={t('pt.manage.choice')}><Radio.Group options={[{ value: 'single', label: t('pt.manage.single') }, { value: 'multiple', label: t('pt.manage.multiple') }]} /></Form.Item>
            <Form.Item name="voterUnit" label={t('pt.manage.voterUnit')}><Radio.Group options={[{ value: 'household', label: t('pt.vote.byHousehold') }, { value: 'person', label: t('pt.vote.byPerson') }]} /></Form.Item>
            <Form.Item name="anonymous" label={t('pt.manage.anonymous')} valuePropName="checked"><Switch /></Form.Item>
            <Space wrap>
              <Form.Item name="quorum" label={t('pt.manage.quorum')}><InputNumber min={0} max={100} /></Form.Item>
              <Form.Item name="days" label={t('pt.manage.days')}><InputNumber min={1} max={60} /></Form.Item>
            </Space>
            <Button type="primary" htmlType="submit" loading={sub.pending}>{t('pt.manage.newVote')}</Button>
          </Form>
        ) }]} />
      )}
      <ErrorNote error={list.error} />
      <List bordered dataSource={list.data?.items ?? []} renderItem={(v) => (
        <List.Item data-testid="manage-vote" actions={can(me, 'participation.vote.manage') ? [
          v.status === 'open' && <Button key="c" size="small" onClick={async () => { if (await run(() => api(`/api/v1/participation/votes/${v.id}/close`, { body: {} }), 'pt.manage.done')) list.reload(); }}>{t('pt.manage.close')}</Button>,
          v.status === 'closed' && <Button key="p" size="small" type="primary" onClick={async () => { if (await run(() => api(`/api/v1/participation/votes/${v.id}/publish`, { body: {} }), 'pt.manage.published')) list.reload(); }}>{t('pt.manage.publish')}</Button>,
        ].filter(Boolean) : []}>
          <List.Item.Meta title={<Space wrap>{v.title}<Tag>{t(`pt.vote.status.${v.status}` as MessageKey)}</Tag><CommunityTag name={v.communityName} /></Space>}
            description={<Space wrap data-testid="vote-count">
              <span>{v.quorum > 0 ? t('pt.manage.ballotsQuorum', { ballots: v.ballots, quorum: v.quorum }) : t('pt.manage.ballotsOnly', { ballots: v.ballots })}</span>
              {v.quorum > 0 && <Tag color={v.quorumMet ? 'green' : 'orange'} data-testid="quorum">{t(v.quorumMet ? 'pt.manage.quorumMet' : 'pt.manage.quorumNotMet')}</Tag>}
            </Space>} />
        </List.Item>
      )} />
    </>
  );
}

function Wishes({ community, unfulfilled, onUnfulfilled }: { community: string | null; unfulfilled: boolean; onUnfulfilled(v: boolean): void }) {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Array<Wish & { communityName?: string | null }> }>(
    withCommunity(`/api/v1/participation/wishes?pageSize=100${unfulfilled ? '&unfulfilled=true' : ''}`, community));
  const [answering, setAnswering] = useState<number | null>(null);
  const [answer, setAnswer] = useState('');
  const [merging, setMerging] = useState<Wish | null>(null);
  const [into, setInto] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  // hiding asks the reason (the wisher is told), as for topics
  const [hiding, setHiding] = useState<Wish | null>(null);
  // one moderation step at a time: the button spins and takes no second click (one trail entry, no error toast)
  const mod = useSubmit();
  const [busyWish, setBusyWish] = useState<number | null>(null);
  const moderate = (id: number, body: unknown) => mod.submit(async () => {
    setBusyWish(id);
    const ok = await run(() => api(`/api/v1/participation/wishes/${id}/moderate`, { body }), 'pt.manage.done');
    setBusyWish(null);
    if (ok) { setAnswering(null); setMerging(null); setInto(null); setHiding(null); list.reload(); setVersion((v) => v + 1); }
    return ok;
  });
  const wishes = list.data?.items ?? [];
  const title = (id: number | undefined) => wishes.find((w) => w.id === id)?.title ?? '';
  return (
    <>
      {/* all of them, or those still to fulfil (what the overview's number counts) */}
      <Radio.Group optionType="button" size="small" style={{ marginBottom: 12 }} aria-label={t('pt.manage.wishFilter')} data-testid="wish-filter"
        value={unfulfilled ? 'unfulfilled' : 'all'} onChange={(e) => onUnfulfilled(e.target.value === 'unfulfilled')}
        options={[{ value: 'all', label: t('pt.manage.wishFilterAll') }, { value: 'unfulfilled', label: t('pt.manage.wishFilterUnfulfilled') }]} />
      <ErrorNote error={list.error} />
      <List bordered dataSource={wishes} renderItem={(w) => (
        <List.Item data-testid="manage-wish" actions={can(me, 'participation.moderate') ? [
          w.hidden
            ? <Button key="h" size="small" loading={mod.pending && busyWish === w.id} onClick={() => moderate(w.id, { action: 'unhide' })}>{t('pt.manage.unhide')}</Button>
            : <Button key="h" size="small" onClick={() => setHiding(w)}>{t('pt.manage.hide')}</Button>,
          !w.hidden && <Button key="m" size="small" onClick={() => setMerging(w)}>{t('pt.manage.merge')}</Button>,
          <Button key="a" size="small" onClick={() => { setAnswering(w.id); setAnswer(w.answer ?? ''); }}>{t('pt.manage.answer')}</Button>,
        ].filter(Boolean) : []}>
          <List.Item.Meta title={<Space wrap>{w.title}<Tag>{t(`pt.wish.state.${w.state}` as MessageKey)}</Tag><CommunityTag name={w.communityName} />{w.hidden && <Tag color="red">{t('pt.manage.hidden')}</Tag>}
            {w.mergedInto && <Tag color="orange">{title(w.mergedInto) ? t('pt.manage.mergedInto', { title: title(w.mergedInto) }) : t('pt.manage.merged')}</Tag>}</Space>}
            description={<>{t('pt.wish.wisher', { name: w.wisher })}{w.answer && <div className="gz-typed">{t('pt.wish.answer', { text: w.answer })}</div>}
              {answering === w.id && <Space.Compact style={{ width: '100%', marginTop: 6 }}>
                <Input aria-label={t('pt.manage.answerText')} value={answer} onChange={(e) => setAnswer(e.target.value)} />
                <Button type="primary" loading={mod.pending && busyWish === w.id} disabled={!answer.trim()} onClick={() => moderate(w.id, { action: 'answer', note: answer })}>{t('pt.manage.answer')}</Button>
              </Space.Compact>}</>} />
        </List.Item>
      )} />
      <HideDialog open={!!hiding} busy={mod.pending} help="pt.hide.helpWish" onCancel={() => setHiding(null)}
        title={t('pt.manage.hideWishTitle', { title: hiding?.title ?? '' })} onHide={(body) => { if (hiding) void moderate(hiding.id, body); }} />
      <Modal open={!!merging} title={t('pt.manage.mergeTitle', { title: merging?.title ?? '' })} okText={t('pt.manage.merge')} okButtonProps={{ disabled: !into }} confirmLoading={mod.pending}
        onOk={() => merging && into && moderate(merging.id, { action: 'merge', intoId: into })} onCancel={() => { setMerging(null); setInto(null); }} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('pt.manage.mergeHelp')}</Typography.Paragraph>
        <Select aria-label={t('pt.manage.mergeInto')} placeholder={t('pt.manage.mergeInto')} style={{ width: '100%' }} value={into ?? undefined} onChange={setInto} showSearch optionFilterProp="label"
          options={wishes.filter((x) => merging && x.id !== merging.id && !x.hidden && x.communityCode === merging.communityCode).map((x) => ({ value: x.id, label: x.title }))} />
      </Modal>
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('pt.trail.title')}</Typography.Title>
      <ModerationTrail subject="wish" version={version} />
    </>
  );
}

interface Step {
  seq: number; kind: string; label: { zh: string; en: string }; done: boolean; passed?: boolean; outcome?: 'passed' | 'failed' | 'published';
  expected?: number; present?: number; votesFor?: number; votesAgainst?: number; abstentions?: number; record?: string; heldAt?: string; attendees?: string[];
}
interface Procedure { id: number; title: string; status: string; voided: { at: string; reason: string } | null; nextStep: { seq: number; zh: string; en: string } | null; steps: Step[] }

const outcomeColor = { passed: 'green', failed: 'red', published: 'blue' } as const;
/** China's calendar day of an instant, as the date picker shows it. */
const chinaDay = (iso: string) => dayjs(new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10));

function ProcedureDetail({ id, onChange }: { id: number; onChange(): void }) {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const run = useRun();
  const { modal, message } = App.useApp();
  const d = useApi<Procedure>(`/api/v1/participation/procedures/${id}`);
  const [form] = Form.useForm();
  const sub = useSubmit();
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  if (!d.data) return <ErrorNote error={d.error} />;
  const p = d.data;
  const next = p.nextStep;
  const prevDay = next && next.seq > 1 ? p.steps[next.seq - 2]?.heldAt : undefined;
  const send = (body: Record<string, unknown>) => sub.submit(async (headers) => {
    try {
      await api(`/api/v1/participation/procedures/${id}/steps/${next!.seq}`, { body, headers });
    } catch (e) {
      // a step that would fail ends the matter: say so and record it only when the secretary confirms
      if (e instanceof ApiError && e.code === 'step_would_fail' && !body.confirmFailure) {
        modal.confirm({
          title: t(e.extra.reason === 'majority' ? 'pt.proc.wouldFailMajority' : 'pt.proc.wouldFailQuorum'),
          content: t('pt.proc.wouldFailHint'), okText: t('pt.proc.recordAnyway'), okButtonProps: { danger: true }, cancelText: t('pt.proc.backToForm'),
          onOk: () => send({ ...body, confirmFailure: true }),
        });
        return false;
      }
      message.error(ptError(e, locale));
      return false;
    }
    message.success(t('pt.proc.saved')); form.resetFields(); d.reload(); onChange();
    return true;
  });
  const record = (v: any) => {
    const heldAt = `${(v.heldOn as dayjs.Dayjs).format('YYYY-MM-DD')}T00:00:00+08:00`;
    const attendees = (v.attendees ?? []).map((x: string) => x.trim()).filter(Boolean);
    return send(next!.seq <= 4
      ? { heldAt, record: v.record, expected: v.expected, present: v.present, votesFor: v.votesFor, votesAgainst: v.votesAgainst ?? 0, abstentions: v.abstentions ?? 0,
        ...(attendees.length ? { attendees } : {}), ...(next!.seq === 4 ? { assembly: v.assembly } : {}) }
      : { heldAt, record: v.record });
  };
  const doVoid = async () => {
    if (await run(() => api(`/api/v1/participation/procedures/${id}/void`, { body: { reason } }), 'pt.proc.voidedDone')) { setVoiding(false); d.reload(); onChange(); }
  };
  const mayRun = can(me, 'participation.procedure.run');
  return (
    <div data-testid="procedure">
      {p.voided && <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="procedure-voided"
        message={<span className="gz-typed">{t('pt.proc.voidedNote', { reason: p.voided.reason, at: new Date(p.voided.at).toLocaleDateString(locale === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) })}</span>} />}
      <List size="small" dataSource={p.steps} renderItem={(s) => (
        <List.Item data-testid="procedure-step" data-done={s.done}>
          <List.Item.Meta title={<Space wrap>{`${s.seq}. ${pick(s.label)}`}{s.done && s.outcome && <Tag color={outcomeColor[s.outcome]}>{t(`pt.proc.outcome.${s.outcome}` as MessageKey)}</Tag>}
            {s.heldAt && <Typography.Text type="secondary">{chinaDay(s.heldAt).format('YYYY-MM-DD')}</Typography.Text>}</Space>}
            description={s.done ? <>{s.expected != null && <div>{t('pt.proc.quorum', { present: s.present, expected: s.expected })} · {t('pt.proc.votes', { for: s.votesFor, against: s.votesAgainst, abstain: s.abstentions })}</div>}
              {!!s.attendees?.length && <div>{t('pt.proc.attendeesList', { names: s.attendees.join('、') })}</div>}<div className="gz-typed" data-testid="procedure-record">{s.record}</div></> : null} />
        </List.Item>
      )} />
      {next && mayRun && (
        <Card size="small" title={t('pt.proc.next', { step: pick(next) })} data-testid="next-step">
          <Form form={form} layout="vertical" onFinish={record} initialValues={{ assembly: 'representatives', heldOn: dayjs() }}>
            <Form.Item name="heldOn" label={t('pt.proc.heldOn')} rules={[{ required: true }]}>
              <DatePicker data-testid="held-on" allowClear={false}
                disabledDate={(day) => day.isAfter(dayjs(), 'day') || (!!prevDay && day.isBefore(chinaDay(prevDay), 'day'))} />
            </Form.Item>
            {next.seq <= 4 && (
              <Space wrap>
                <Form.Item name="expected" label={t('pt.proc.expected')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="present" label={t('pt.proc.present')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="votesFor" label={t('pt.proc.for')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="votesAgainst" label={t('pt.proc.against')}><InputNumber min={0} /></Form.Item>
                <Form.Item name="abstentions" label={t('pt.proc.abstain')}><InputNumber min={0} /></Form.Item>
              </Space>
            )}
            {next.seq <= 4 && (
              <Form.Item name="attendees" label={t('pt.proc.attendees')} extra={t('pt.proc.attendeesHint')}>
                <Select mode="tags" open={false} tokenSeparators={[',', '，', '、', ' ']} data-testid="attendees" />
              </Form.Item>
            )}
            {next.seq === 4 && (
              <Form.Item name="assembly" label={t('pt.proc.assembly')}>
                <Select options={[{ value: 'representatives', label: t('pt.proc.representatives') }, { value: 'villagers', label: t('pt.proc.villagers') }]} />
              </Form.Item>
            )}
            <Form.Item name="record" label={t(next.seq <= 4 ? 'pt.proc.record' : 'pt.proc.notice')} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={sub.pending}>{t(next.seq <= 4 ? 'pt.proc.save' : 'pt.proc.publish')}</Button>
          </Form>
        </Card>
      )}
      {mayRun && !p.voided && !p.steps[4]?.done && (
        <div style={{ marginTop: 8 }}>
          {voiding ? (
            <Space.Compact style={{ width: '100%' }}>
              <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('pt.proc.voidReason')} data-testid="void-reason" />
              <Button danger disabled={reason.trim().length < 2} onClick={doVoid}>{t('pt.proc.voidConfirm')}</Button>
              <Button onClick={() => setVoiding(false)}>{t('pt.proc.backToForm')}</Button>
            </Space.Compact>
          ) : <Button size="small" danger onClick={() => { setReason(''); setVoiding(true); }}>{t('pt.proc.void')}</Button>}
        </div>
      )}
      {p.steps[4]?.done && !p.voided && <Typography.Link href={`/notice/${id}`} target="_blank" data-testid="notice-link">{t('pt.proc.openNotice')}</Typography.Link>}
    </div>
  );
}

function Procedures({ community }: { community: string | null }) {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const sub = useSubmit();
  const list = useApi<{ items: Array<{ id: number; regionCode: string; title: string; status: string; stepsPassed: number; voidReason: string | null }> }>('/api/v1/participation/procedures');
  const [form] = Form.useForm();
  const start = (v: any) => sub.submit(async (headers) => {
    const ok = await run(() => api('/api/v1/participation/procedures', { body: { regionCode: me.regionCode, title: v.title, description: v.description }, headers }), 'pt.proc.started');
    if (ok) { form.resetFields(); list.reload(); }
    return ok;
  });
  return (
    <>
      {can(me, 'participation.procedure.run') && me.regionCode.length >= 12 && (
        <Card size="small" title={t('pt.proc.new')} style={{ marginBottom: 12 }}>
          <Form form={form} layout="vertical" onFinish={start}>
            <Form.Item name="title" label={t('pt.proc.title')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="description" label={t('pt.proc.description')}><Input.TextArea rows={2} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={sub.pending} data-testid="start-procedure">{t('pt.proc.new')}</Button>
          </Form>
        </Card>
      )}
      <ErrorNote error={list.error} />
      <Collapse items={(list.data?.items ?? []).filter((p) => !community || p.regionCode.startsWith(community)).map((p) => ({
        key: String(p.id), label: <Space wrap>{p.title}<Tag color={p.status === 'voided' ? 'default' : undefined}>{t(`pt.proc.status.${p.status}` as MessageKey)}</Tag><Typography.Text type="secondary">{p.stepsPassed}/6</Typography.Text></Space>,
        children: <ProcedureDetail id={p.id} onChange={list.reload} />,
      }))} />
    </>
  );
}

interface Results {
  responses: number; channels: Record<string, number>; index: Record<string, number>;
  sampling: Array<{ gridCode: string; gridName: string | null; responses: number; quota: number }>;
  questions: Array<{ id: number; seq: number; kind: string; text: string; options: string[]; answered: number; counts?: number[]; shares?: number[]; distribution?: number[]; mean?: number | null; texts?: string[] }>;
}

/** A bar that always shows its number (a full bar showed a ✓ in place of the count). */
const Bar = ({ percent, text }: { percent: number; text: string }) => <Progress percent={percent} status="normal" format={() => text} size="small" />;

function SurveyResults({ id }: { id: number }) {
  const { t } = useI18n();
  const r = useApi<Results>(`/api/v1/participation/surveys/${id}/results`);
  if (!r.data) return <ErrorNote error={r.error} />;
  const d = r.data;
  const pct = (n: number, of: number) => (of ? Math.round((100 * n) / of) : 0);
  return (
    <div data-testid="survey-results">
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag>{t('pt.survey.responses', { n: d.responses, web: d.channels.web ?? 0, phone: d.channels.phone ?? 0 })}</Tag>
        {d.index.safety != null && <Tag color="blue" data-testid="index-safety">{t('pt.survey.safetyIndex', { v: d.index.safety })}</Tag>}
        {d.index.satisfaction != null && <Tag color="green">{t('pt.survey.satisfactionIndex', { v: d.index.satisfaction })}</Tag>}
      </Space>
      {d.sampling.length > 0 && <div style={{ marginBottom: 8 }} data-testid="survey-sampling">{d.sampling.map((g) => (
        <div key={g.gridCode} data-testid="survey-grid">
          <Space wrap size={8}><Typography.Text>{g.gridName ?? g.gridCode}</Typography.Text>
            <Typography.Text type="secondary">{g.quota ? t('pt.survey.gridQuota', { quota: g.quota, n: g.responses }) : t('pt.survey.gridNoQuota', { n: g.responses })}</Typography.Text></Space>
          {g.quota > 0 && <Bar percent={Math.min(100, pct(g.responses, g.quota))} text={`${g.responses}/${g.quota}`} />}
        </div>
      ))}</div>}
      {d.questions.map((q) => (
        <Card key={q.id} size="small" style={{ marginBottom: 6 }} title={`${q.seq}. ${q.text}`}>
          {q.counts && q.options.map((o, i) => <div key={o}><Typography.Text>{o}（{q.counts![i]}）</Typography.Text><Bar percent={q.shares![i]} text={`${q.shares![i]}%`} /></div>)}
          {q.distribution && <>{q.distribution.map((n, i) => <div key={i}><Typography.Text>{i + 1}（{n}）</Typography.Text><Bar percent={pct(n, q.answered)} text={`${pct(n, q.answered)}%`} /></div>)}
            <Typography.Text type="secondary">{t('pt.survey.mean', { v: q.mean ?? '–' })}</Typography.Text></>}
          {/* each answer as the respondent gave it, line breaks kept */}
          {q.texts && q.texts.map((x, i) => <Typography.Paragraph key={i} className="gz-typed" style={{ marginBottom: 2 }} data-testid="survey-text">· {x}</Typography.Paragraph>)}
        </Card>
      ))}
    </div>
  );
}

interface SurveyFull { id: number; regionCode: string; title: string; status: string; sampleGrids: string[]; questions: SurveyQ[] }

/**
 * 电话录入: a worker enters an interview taken by phone — the respondent's grid (a sampled grid, or a grid of
 * the worker's territory) and the answers to the questions, as the resident would have given them.
 */
function PhoneEntry({ id, onDone }: { id: number; onDone(): void }) {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const [form] = Form.useForm();
  const sub = useSubmit();
  const s = useApi<SurveyFull>(`/api/v1/participation/surveys/${id}`);
  const res = useApi<Results>(`/api/v1/participation/surveys/${id}/results`);
  if (!s.data) return <ErrorNote error={s.error} />;
  const survey = s.data;
  const mine = (g: string) => g.startsWith(me.regionCode);
  // the grids the worker may enter for: the sampled ones of their territory, or their own grid, or any grid below them
  const sampled = (res.data?.sampling ?? []).filter((g) => survey.sampleGrids.includes(g.gridCode) && mine(g.gridCode));
  const gridField = survey.sampleGrids.length
    ? <Select aria-label={t('pt.survey.phoneGrid')} options={sampled.map((g) => ({ value: g.gridCode, label: g.gridName ?? g.gridCode }))} />
    : <RegionTreeSelect rootCode={me.regionCode} />;
  const submit = (v: Record<string, unknown>) => sub.submit(async (headers) => {
    const answers = survey.questions.filter((q) => v[`q${q.id}`] !== undefined && v[`q${q.id}`] !== '' && !(Array.isArray(v[`q${q.id}`]) && !(v[`q${q.id}`] as unknown[]).length)).map((q) => {
      const x = v[`q${q.id}`];
      return q.kind === 'single' ? { questionId: q.id, choices: [x] } : q.kind === 'multiple' ? { questionId: q.id, choices: x } : q.kind === 'scale' ? { questionId: q.id, value: x } : { questionId: q.id, text: x };
    });
    const ok = await run(() => api(`/api/v1/participation/surveys/${id}/responses`, { headers, body: { gridCode: v.gridCode, answers } }), 'pt.survey.phoneSaved');
    if (ok) { form.resetFields(); onDone(); }
    return ok;
  });
  const defaultGrid = survey.sampleGrids.length ? (sampled.length === 1 ? sampled[0].gridCode : undefined) : me.regionCode.length === 14 ? me.regionCode : undefined;
  return (
    <Form form={form} layout="vertical" name="survey-phone" onFinish={submit} initialValues={{ gridCode: defaultGrid }} key={defaultGrid ?? 'none'} data-testid="survey-phone-form">
      <Form.Item name="gridCode" label={t('pt.survey.phoneGrid')} extra={t('pt.survey.phoneGridHint')}
        rules={[{ required: true, message: t('pt.survey.phoneGridRequired') }, { pattern: /^\d{14}$/, message: t('pt.survey.phoneGridRequired') }]}>
        {gridField}
      </Form.Item>
      <SurveyQuestions questions={survey.questions} />
      <Button type="primary" htmlType="submit" loading={sub.pending}>{t('pt.survey.phoneSubmit')}</Button>
    </Form>
  );
}

/** One survey: its results, 电话录入 while it is open (workers) and 结束调查 (organisers). */
function SurveyPanel({ item, onChange }: { item: { id: number; title: string; status: string }; onChange(): void }) {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const { modal } = App.useApp();
  const [phone, setPhone] = useState(false);
  const [version, setVersion] = useState(0);
  const live = item.status === 'open' || item.status === 'upcoming';
  const close = () => modal.confirm({
    title: t('pt.survey.closeTitle', { title: item.title }), content: t('pt.survey.closeBody'), okText: t('pt.survey.close'), okButtonProps: { danger: true },
    onOk: async () => { if (await run(() => api(`/api/v1/participation/surveys/${item.id}/close`, { body: {} }), 'pt.survey.closed')) onChange(); },
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        {item.status === 'open' && can(me, 'participation.survey.enter') && <Button onClick={() => setPhone(true)} data-testid="survey-phone">{t('pt.survey.phone')}</Button>}
        {live && can(me, 'participation.survey.manage') && <Button danger onClick={close} data-testid="survey-close">{t('pt.survey.close')}</Button>}
      </Space>
      <SurveyResults key={version} id={item.id} />
      <Modal open={phone} title={t('pt.survey.phoneTitle', { title: item.title })} footer={null} width={720} onCancel={() => setPhone(false)} destroyOnHidden>
        <PhoneEntry id={item.id} onDone={() => { setPhone(false); setVersion((v) => v + 1); onChange(); }} />
      </Modal>
    </>
  );
}

/**
 * 发起平安建设民意调查: the title (prefilled with the month: the quarter's title was the one the quarter's
 * survey already had) and the closing date, asked before it starts. A title taken by a survey still running
 * in the region is refused (409) beside the title, where it is changed.
 */
function StartSurvey({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm();
  const sub = useSubmit();
  const now = dayjs();
  const title = t('pt.survey.safetyTitleMonth', { year: now.year(), month: now.month() + 1 });
  const submit = (v: { title: string; closesOn: dayjs.Dayjs }) => sub.submit(async (headers) => {
    try {
      await api('/api/v1/participation/surveys', { headers, body: { regionCode: me.regionCode, title: v.title.trim(), template: 'safety',
        opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: v.closesOn.endOf('day').toISOString() } });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'survey_title_taken') form.setFields([{ name: 'title', errors: [ptError(e, locale)] }]);
      else message.error(ptError(e, locale));
      return false;
    }
    message.success(t('pt.survey.started'));
    form.resetFields(); onDone();
    return true;
  });
  return (
    <Modal open={open} title={t('pt.survey.newSafety')} okText={t('pt.survey.start')} onOk={() => form.submit()} okButtonProps={{ loading: sub.pending }} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" name="survey-start" onFinish={submit} initialValues={{ title, closesOn: now.add(30, 'day') }}>
        <Form.Item name="title" label={t('pt.survey.titleLabel')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="closesOn" label={t('pt.survey.closesOn')} extra={t('pt.survey.closesOnHint')} rules={[{ required: true, message: t('form.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Surveys() {
  const { t } = useI18n();
  const me = useMe();
  const list = useApi<{ items: Array<{ id: number; title: string; status: string; responses: number }> }>('/api/v1/participation/surveys');
  const [starting, setStarting] = useState(false);
  return (
    <>
      {can(me, 'participation.survey.manage') && <Button style={{ marginBottom: 12 }} onClick={() => setStarting(true)} data-testid="survey-new">{t('pt.survey.newSafety')}</Button>}
      <StartSurvey open={starting} onClose={() => setStarting(false)} onDone={() => { setStarting(false); list.reload(); }} />
      <ErrorNote error={list.error} />
      <Collapse items={(list.data?.items ?? []).map((x) => ({
        key: String(x.id), label: <Space wrap>{x.title}<Tag>{t(`pt.vote.status.${x.status}` as MessageKey)}</Tag><Typography.Text type="secondary">{t('pt.survey.count', { n: x.responses })}</Typography.Text></Space>,
        children: <SurveyPanel item={x} onChange={list.reload} />,
      }))} />
    </>
  );
}

export default function Manage() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const street = aboveCommunity(me.regionCode);
  const overview = useApi<{ items: CommunityRow[] }>(street ? '/api/v1/participation/overview' : null);
  const community = street ? params.get('community') : null;
  const tab = params.get('tab') ?? 'votes';
  useHashTarget('manage-lists', !street || !!overview.data);
  const set = (k: string, v: string | null) => setParams((p) => { const n = new URLSearchParams(p); if (v) n.set(k, v); else n.delete(k); return n; });
  return (
    <div data-testid="participation-manage">
      <PageTitle>{t('pt.manage.title')}</PageTitle>
      {street && <><ErrorNote error={overview.error} /><Overview rows={overview.data?.items ?? []} loading={overview.loading} /></>}
      <div id="manage-lists" tabIndex={-1} style={{ outline: 'none' }}>
      <Tabs activeKey={tab} onChange={(k) => set('tab', k)} tabBarExtraContent={street && (
        <Select aria-label={t('pt.list.community')} data-testid="community-filter" style={{ width: 200 }} value={community ?? ''} onChange={(v) => set('community', v || null)}
          options={[{ value: '', label: t('pt.list.allCommunities') }, ...(overview.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))]} />
      )} items={[
        { key: 'votes', label: t('pt.manage.votes'), children: <Votes community={community} /> },
        { key: 'wishes', label: t('pt.manage.wishes'), children: <Wishes community={community} unfulfilled={params.get('wishes') === 'unfulfilled'} onUnfulfilled={(v) => set('wishes', v ? 'unfulfilled' : null)} /> },
        { key: 'procedures', label: t('pt.manage.procedures'), children: <Procedures community={community} /> },
        { key: 'surveys', label: t('pt.manage.surveys'), children: <Surveys /> },
        { key: 'trail', label: t('pt.trail.title'), children: <ModerationTrail /> },
      ]} />
      </div>
    </div>
  );
}
