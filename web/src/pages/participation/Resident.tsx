// 居民参与 on a phone: the community's wish wall (post a wish, claim one, fulfil it with a photo, confirm
// and thank), the votes addressed to the resident (vote, see published results), surveys, 议事 topics,
// volunteering, notices, their points (balance, entries with appeals, the points shop), and for a party
// member their record (patrols of their grid, services, wishes, volunteering). One page with tabs, laid
// out for 390 px.
import { useState } from 'react';
import { Alert, App, Badge, Button, Card, Checkbox, Collapse, Divider, Empty, Form, Input, List, Modal, Progress, Radio, Segmented, Select, Space, Tabs, Tag, Typography, Upload } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { CameraOutlined } from '@ant-design/icons';
import { SurveyQuestions, type SurveyQ } from './SurveyQuestions.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { ptError, type Vote, type Wish, useSubmit } from './shared.ts';

const CATEGORIES = ['goods', 'service', 'care', 'study', 'other'] as const;
const stateColor: Record<string, string> = { open: 'blue', claimed: 'orange', fulfilled: 'green', confirmed: 'gold', withdrawn: 'default' };

interface Resident { regionCode: string; linked: boolean; householdId: number | null }

function WishCard({ w, reload, partyMember = false }: { w: Wish; reload(): void; partyMember?: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [mode, setMode] = useState<'fulfil' | 'confirm' | null>(null);
  const [photo, setPhoto] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (path: string, body: unknown, done: MessageKey) => {
    setBusy(true);
    try { await api(`/api/v1/participation/wishes/${w.id}/${path}`, { body }); message.success(t(done)); setMode(null); reload(); }
    catch (e) { message.error(ptError(e, locale)); }
    finally { setBusy(false); }
  };
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    try { setPhoto((await api<{ id: number }>('/api/v1/attachments', { body: form })).id); } catch (e) { message.error(ptError(e, locale)); }
    return false;
  };
  return (
    <Card size="small" data-testid="wish" data-wish-id={w.id} data-state={w.state} style={{ marginBottom: 8 }}
      title={<Space wrap><span>{w.title}</span><Tag color={stateColor[w.state]}>{t(`pt.wish.state.${w.state}` as MessageKey)}</Tag></Space>}>
      {w.description && <Typography.Paragraph className="gz-typed" style={{ marginBottom: 4 }}>{w.description}</Typography.Paragraph>}
      <Space wrap size={4}>
        <Typography.Text type="secondary">{t('pt.wish.wisher', { name: w.wisher })}</Typography.Text>
        {w.claimant && <Typography.Text type="secondary">· {t('pt.wish.claimant', { name: `${t(`pt.wish.claimantAs.${w.claimant.kind}` as MessageKey)} ${w.claimant.name}` })}</Typography.Text>}
        {w.mine && <Tag>{t('pt.wish.mine')}</Tag>}
      </Space>
      {w.fulfilNote && <Typography.Paragraph className="gz-typed" style={{ margin: '4px 0 0' }}>{w.fulfilNote}</Typography.Paragraph>}
      {w.hasPhoto && <img src={`/api/v1/participation/wishes/${w.id}/photo`} alt={t('pt.wish.photo')} style={{ maxWidth: '100%', maxHeight: 160, marginTop: 4 }} />}
      {w.thanks && <Alert type="success" showIcon style={{ marginTop: 6 }} title={<span className="gz-typed">{w.thanks}</span>} />}
      {w.answer && <Typography.Paragraph type="secondary" className="gz-typed" style={{ marginTop: 4 }}>{t('pt.wish.answer', { text: w.answer })}</Typography.Paragraph>}
      <Space wrap style={{ marginTop: 8 }}>
        {w.state === 'open' && !w.mine && can(me, 'participation.wish.claim') && (
          <Button type="primary" size="small" loading={busy} onClick={() => act('claim', { kind: me.role === 'department' ? 'unit' : 'volunteer' }, 'pt.wish.claimed')}>{t('pt.wish.claim')}</Button>
        )}
        {/* a party member may take the wish as a task that counts for them (党员认领) */}
        {w.state === 'open' && !w.mine && partyMember && (
          <Button size="small" loading={busy} onClick={() => act('claim', { kind: 'party_member' }, 'pt.wish.claimed')}>{t('pt.party.claim')}</Button>
        )}
        {w.state === 'claimed' && w.claimedByMe && <Button type="primary" size="small" onClick={() => setMode('fulfil')}>{t('pt.wish.fulfil')}</Button>}
        {w.state === 'fulfilled' && w.mine && <Button type="primary" size="small" onClick={() => setMode('confirm')}>{t('pt.wish.confirm')}</Button>}
      </Space>
      {mode === 'fulfil' && (
        <Form layout="vertical" style={{ marginTop: 8 }} onFinish={(v) => act('fulfil', { note: v.note, photoId: photo }, 'pt.wish.fulfilled')}>
          <Form.Item name="note" label={t('pt.wish.fulfilNote')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item label={t('pt.wish.photo')} required>
            <Upload beforeUpload={upload} maxCount={1} accept="image/*" listType="picture">
              <Button icon={<CameraOutlined />} aria-label={t('pt.wish.photo')}>{t('pt.wish.photo')}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={!photo} loading={busy}>{t('pt.wish.fulfil')}</Button>
        </Form>
      )}
      {mode === 'confirm' && (
        <Form layout="vertical" style={{ marginTop: 8 }} onFinish={(v) => act('confirm', { thanks: v.thanks }, 'pt.wish.confirmed')}>
          <Form.Item name="thanks" label={t('pt.wish.thanks')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('pt.wish.confirm')}</Button>
        </Form>
      )}
    </Card>
  );
}

function Wishes({ community, partyMember = false }: { community: string; partyMember?: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  // a community's wall; a unit working for a whole district sees the wishes there instead
  const wall = useApi<{ community: { name: string }; total: number; open: number; claimed: number; fulfilled: number; items: Wish[] }>(community.length === 12 ? `/api/v1/participation/wall/${community}?pageSize=50` : null);
  const near = useApi<{ items: Wish[] }>(community.length === 12 ? null : '/api/v1/participation/wishes?pageSize=50');
  const mine = useApi<{ items: Wish[] }>('/api/v1/participation/wishes?mine=claimed');
  const [form] = Form.useForm();
  const sub = useSubmit();
  const busy = sub.pending;
  const reload = () => { wall.reload(); near.reload(); mine.reload(); };
  const post = (v: { title: string; description?: string; category: string }) => sub.submit(async (headers) => {
    try { await api('/api/v1/participation/wishes', { body: v, headers }); message.success(t('pt.wish.posted')); form.resetFields(); reload(); return true; }
    catch (e) { message.error(ptError(e, locale)); return false; }
  });
  // the wall, with the wishes I claimed elsewhere too
  const items = [...(wall.data?.items ?? near.data?.items ?? [])];
  for (const w of mine.data?.items ?? []) if (!items.some((x) => x.id === w.id)) items.push(w);
  return (
    <>
      {can(me, 'participation.wish.post') && (
        <Card size="small" title={t('pt.wish.new')} style={{ marginBottom: 12 }}>
          <Form form={form} name="wish" layout="vertical" onFinish={post} initialValues={{ category: 'goods' }} data-testid="wish-form">
            <Form.Item name="title" label={t('pt.wish.title')} rules={[{ required: true, max: 100 }]}><Input /></Form.Item>
            <Form.Item name="description" label={t('pt.wish.description')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
            <Form.Item name="category" label={t('pt.wish.category')}>
              <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`pt.wish.cat.${c}` as MessageKey) }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>{t('pt.wish.post')}</Button>
          </Form>
        </Card>
      )}
      <ErrorNote error={wall.error} />
      {wall.data && (
        <Typography.Title level={4}>{t('pt.wish.wall', { name: wall.data.community.name })}
          <Typography.Text type="secondary" style={{ fontSize: 13, marginLeft: 8 }}><span data-testid="wall-counts">{t('pt.wish.wallCounts', { total: wall.data.total, open: wall.data.open, claimed: wall.data.claimed, fulfilled: wall.data.fulfilled })}</span></Typography.Text>
        </Typography.Title>
      )}
      {items.length ? items.map((w) => <WishCard key={w.id} w={w} reload={reload} partyMember={partyMember} />) : !wall.loading && <Empty description={t('pt.wish.empty')} />}
    </>
  );
}

function VoteCard({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const v = useApi<Vote>(`/api/v1/participation/votes/${id}`);
  const [choice, setChoice] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  if (!v.data) return null;
  const vote = v.data;
  const cast = async () => {
    setBusy(true);
    try { await api(`/api/v1/participation/votes/${id}/ballots`, { body: { optionIds: choice } }); message.success(t('pt.vote.thanks')); v.reload(); }
    catch (e) { message.error(ptError(e, locale)); }
    finally { setBusy(false); }
  };
  // a resident who may not vote (not linked, no household in a vote by household, …) is told why before any ballot
  const refused = vote.status === 'open' && !vote.myBallot && vote.eligibility && !vote.eligibility.canVote ? vote.eligibility.reason : null;
  const open = vote.status === 'open' && !vote.myBallot && !refused;
  return (
    <Card size="small" data-testid="vote" data-vote-id={id} style={{ marginBottom: 8 }}
      title={<Space wrap><span>{vote.title}</span><Tag color={vote.status === 'open' ? 'green' : vote.status === 'published' ? 'blue' : 'default'}>{t(`pt.vote.status.${vote.status}` as MessageKey)}</Tag></Space>}>
      {vote.description && <Typography.Paragraph className="gz-typed">{vote.description}</Typography.Paragraph>}
      <Space wrap size={4} style={{ marginBottom: 8 }}>
        <Tag>{t(vote.voterUnit === 'household' ? 'pt.vote.byHousehold' : 'pt.vote.byPerson')}</Tag>
        <Tag>{t(vote.anonymous ? 'pt.vote.anonymous' : 'pt.vote.named')}</Tag>
        <Typography.Text type="secondary">{t('pt.vote.closes', { time: new Date(vote.closesAt).toLocaleString(locale === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) })}</Typography.Text>
      </Space>
      {refused && <Alert type="warning" showIcon data-testid="vote-ineligible" title={t(`pt.vote.cannot.${refused.code}` as MessageKey)}
        description={<ol style={{ margin: 0, paddingInlineStart: 18 }}>{vote.options.map((o) => <li key={o.id}>{o.label}</li>)}</ol>} />}
      {open && (vote.choice === 'single'
        ? <Radio.Group aria-label={vote.title} value={choice[0]} onChange={(e) => setChoice([e.target.value])} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {vote.options.map((o) => <Radio key={o.id} value={o.id}>{o.label}</Radio>)}
          </Radio.Group>
        : <Checkbox.Group aria-label={vote.title} value={choice} onChange={(x) => setChoice((x as number[]).slice(0, vote.maxChoices))} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            options={vote.options.map((o) => ({ value: o.id, label: o.label }))} />)}
      {open && <Button type="primary" block style={{ marginTop: 12 }} disabled={!choice.length} loading={busy} onClick={cast}>{t('pt.vote.cast')}</Button>}
      {vote.myBallot && <Tag color="green" data-testid="voted">{t('pt.vote.voted')}</Tag>}
      {vote.results && vote.options.some((o) => o.tally !== undefined) && (
        <div data-testid="vote-results" style={{ marginTop: 8 }}>
          {vote.options.map((o) => (
            <div key={o.id}><Typography.Text>{o.label}（{o.tally}）</Typography.Text><Progress percent={o.share ?? 0} size="small" /></div>
          ))}
          <Typography.Text type="secondary">{t('pt.vote.results', { ballots: vote.results.ballots, eligible: vote.results.eligible, quorum: vote.results.quorum,
            met: t(vote.results.quorumMet ? 'pt.vote.quorumMet' : 'pt.vote.quorumNotMet') })}</Typography.Text>
        </div>
      )}
    </Card>
  );
}

function Votes() {
  const { t } = useI18n();
  const list = useApi<{ items: Array<{ id: number }> }>('/api/v1/participation/votes?pageSize=50');
  return <><ErrorNote error={list.error} />{list.data?.items.length ? list.data.items.map((v) => <VoteCard key={v.id} id={v.id} />) : !list.loading && <Empty description={t('pt.vote.empty')} />}</>;
}


function SurveyForm({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const s = useApi<{ title: string; description: string | null; status: string; answered: boolean; questions: SurveyQ[] }>(`/api/v1/participation/surveys/${id}`);
  const [busy, setBusy] = useState(false);
  if (!s.data) return null;
  const survey = s.data;
  const submit = async (v: Record<string, unknown>) => {
    const answers = survey.questions.filter((q) => v[`q${q.id}`] !== undefined && v[`q${q.id}`] !== '' && !(Array.isArray(v[`q${q.id}`]) && !(v[`q${q.id}`] as unknown[]).length)).map((q) => {
      const x = v[`q${q.id}`];
      return q.kind === 'single' ? { questionId: q.id, choices: [x] } : q.kind === 'multiple' ? { questionId: q.id, choices: x } : q.kind === 'scale' ? { questionId: q.id, value: x } : { questionId: q.id, text: x };
    });
    setBusy(true);
    try { await api(`/api/v1/participation/surveys/${id}/responses`, { body: { answers } }); message.success(t('pt.survey.thanks')); s.reload(); }
    catch (e) { message.error(ptError(e, locale)); }
    finally { setBusy(false); }
  };
  return (
    <Card size="small" data-testid="survey" data-survey-id={id} style={{ marginBottom: 8 }} title={<Space wrap><span>{survey.title}</span>
      {survey.answered && <Tag color="green" data-testid="survey-answered">{t('pt.survey.answered')}</Tag>}</Space>}>
      {survey.description && <Typography.Paragraph className="gz-typed">{survey.description}</Typography.Paragraph>}
      {!survey.answered && survey.status === 'open' && (
        <Form layout="vertical" onFinish={submit}>
          <SurveyQuestions questions={survey.questions} />
          <Button type="primary" htmlType="submit" block loading={busy}>{t('pt.survey.submit')}</Button>
        </Form>
      )}
    </Card>
  );
}

function Surveys() {
  const { t } = useI18n();
  const list = useApi<{ items: Array<{ id: number; status: string }> }>('/api/v1/participation/surveys');
  const open = (list.data?.items ?? []).filter((x) => x.status !== 'upcoming');
  return <><ErrorNote error={list.error} />{open.length ? open.map((x) => <SurveyForm key={x.id} id={x.id} />) : !list.loading && <Empty description={t('pt.survey.empty')} />}</>;
}

function Points() {
  const redeeming = useSubmit();
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const ledger = useApi<{ balance: number; entries: Array<{ id: number; delta: number; reason: string; kind: string; at: string; appeal: { status: string } | null }> }>('/api/v1/participation/points/ledger');
  const shop = useApi<{ items: Array<{ id: number; name: string; cost: number; stock: number }> }>('/api/v1/participation/points/shop');
  const run = async (fn: () => Promise<unknown>, done: MessageKey) => {
    try { await fn(); message.success(t(done)); ledger.reload(); shop.reload(); return true; } catch (e) { message.error(ptError(e, locale)); return false; }
  };
  // 申诉: a dialog that names the entry and asks the reason (not the browser's bare prompt); one appeal per click
  type Entry = NonNullable<typeof ledger.data>['entries'][number];
  const [appealing, setAppealing] = useState<Entry | null>(null);
  const [reason, setReason] = useState('');
  const appealing$ = useSubmit();
  const sendAppeal = () => appealing$.submit(async (headers) => {
    if (!appealing) return false;
    const ok = await run(() => api(`/api/v1/participation/points/entries/${appealing.id}/appeal`, { body: { reason: reason.trim() }, headers }), 'pt.points.appealed');
    if (ok) { setAppealing(null); setReason(''); }
    return ok;
  });
  return (
    <>
      <ErrorNote error={ledger.error} />
      {ledger.data && <Card size="small" style={{ marginBottom: 12 }}><Typography.Text>{t('pt.points.balance')}</Typography.Text>
        <Typography.Title level={2} style={{ margin: 0 }} data-testid="points-balance">{ledger.data.balance}</Typography.Title></Card>}
      <Typography.Title level={5}>{t('pt.points.shop')}</Typography.Title>
      <List size="small" dataSource={shop.data?.items ?? []} renderItem={(i) => {
        // what the resident cannot afford (or what is gone) is not offered: the button is off and says why
        const short = ledger.data ? Math.max(0, i.cost - ledger.data.balance) : 0;
        return (
          <List.Item data-testid="shop-item" actions={[<Button key="r" style={{ minHeight: 44 }} disabled={!i.stock || !ledger.data || short > 0} loading={redeeming.pending}
            onClick={() => redeeming.submit((headers) => run(() => api('/api/v1/participation/points/redemptions', { body: { itemId: i.id }, headers }), 'pt.points.redeemed'))}>{t('pt.points.redeem')}</Button>]}>
            <List.Item.Meta title={i.name} description={<>
              {t('pt.points.cost', { cost: i.cost, stock: i.stock })}
              {!i.stock ? <div data-testid="shop-hint">{t('pt.points.soldOut')}</div> : short > 0 && <div data-testid="shop-hint">{t('pt.points.short', { n: short })}</div>}
            </>} />
          </List.Item>
        );
      }} />
      <Typography.Title level={5}>{t('pt.points.ledger')}</Typography.Title>
      <List size="small" dataSource={ledger.data?.entries ?? []} renderItem={(e) => (
        <List.Item actions={e.kind === 'rule' && !e.appeal ? [<Button key="a" size="small" type="link" onClick={() => { setReason(''); setAppealing(e); }}>{t('pt.points.appeal')}</Button>]
          : e.appeal ? [<Tag key="s">{t(`pt.points.appealStatus.${e.appeal.status}` as MessageKey)}</Tag>] : []}>
          <List.Item.Meta title={<span style={{ color: e.delta > 0 ? '#389e0d' : '#cf1322' }}>{e.delta > 0 ? `+${e.delta}` : e.delta}</span>} description={<span className="gz-typed">{e.reason}</span>} />
        </List.Item>
      )} />
      <Modal open={!!appealing} destroyOnHidden title={t('pt.points.appealTitle')} okText={t('pt.points.appealSubmit')} onCancel={() => setAppealing(null)}
        onOk={() => void sendAppeal()} confirmLoading={appealing$.pending} okButtonProps={{ disabled: reason.trim().length < 2 }}>
        <div data-testid="appeal-dialog">
          {appealing && <Typography.Paragraph>
            <span style={{ color: appealing.delta > 0 ? '#389e0d' : '#cf1322' }}>{appealing.delta > 0 ? `+${appealing.delta}` : appealing.delta}</span> <span className="gz-typed">{appealing.reason}</span>
          </Typography.Paragraph>}
          <Typography.Paragraph type="secondary">{t('pt.points.appealHelp')}</Typography.Paragraph>
          <Input.TextArea aria-label={t('pt.points.appealReason')} placeholder={t('pt.points.appealReason')} rows={4} maxLength={500} showCount value={reason} onChange={(x) => setReason(x.target.value)} />
        </div>
      </Modal>
    </>
  );
}

function Topics() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const list = useApi<{ items: Array<{ id: number; title: string; body: string | null; supports: number; supported: boolean; mine: boolean; status: string; answer: string | null }> }>('/api/v1/participation/topics');
  const [form] = Form.useForm();
  const run = async (fn: () => Promise<unknown>, done: MessageKey) => { try { await fn(); message.success(t(done)); list.reload(); return true; } catch (e) { message.error(ptError(e, locale)); return false; } };
  const proposing = useSubmit();
  return (
    <>
      <Card size="small" title={t('pt.topic.new')} style={{ marginBottom: 12 }}>
        <Form form={form} name="topic" layout="vertical" onFinish={(v) => proposing.submit(async (headers) => {
          const ok = await run(() => api('/api/v1/participation/topics', { body: v, headers }), 'pt.topic.proposed');
          if (ok) form.resetFields();
          return ok;
        })}>
          <Form.Item name="title" label={t('pt.topic.title')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
          <Form.Item name="body" label={t('pt.wish.description')}><Input.TextArea rows={2} /></Form.Item>
          <Button type="primary" htmlType="submit" block loading={proposing.pending}>{t('pt.topic.propose')}</Button>
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <List dataSource={list.data?.items ?? []} locale={{ emptyText: t('pt.topic.empty') }} renderItem={(x) => (
        <List.Item actions={[<Button key="s" size="small" disabled={x.supported || x.mine} onClick={() => run(() => api(`/api/v1/participation/topics/${x.id}/support`, { body: {} }), 'pt.topic.supported')}>
          {t('pt.topic.support', { n: x.supports })}</Button>]}>
          <List.Item.Meta title={<Space wrap>{x.title}{x.status === 'scheduled' && <Tag color="blue">{t('pt.topic.scheduled')}</Tag>}</Space>}
            description={<>{x.body && <div className="gz-typed">{x.body}</div>}{x.answer && <div className="gz-typed">{t('pt.wish.answer', { text: x.answer })}</div>}</>} />
        </List.Item>
      )} />
    </>
  );
}

function Volunteering() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  // one request for the resident's volunteering (joined: false before they join; no refusal on load)
  const me = useApi<{ joined: boolean; hours: number; skills: string[]; activities: Array<{ id: number; checkedIn: boolean; hours: number | null }> }>('/api/v1/participation/volunteers/me');
  const acts = useApi<{ items: Array<{ id: number; title: string; place: string | null; regionName: string | null; startsAt: string; endsAt: string; hours: number; capacity: number; signedUp: number; emergency: boolean }> }>('/api/v1/participation/activities');
  const mine = me;
  const now = Date.now();
  const teams = useApi<{ items: Array<{ id: number; name: string }> }>('/api/v1/participation/volunteer-teams');
  const [skills, setSkills] = useState('');
  const [teamId, setTeamId] = useState<number | undefined>(undefined);
  const run = async (fn: () => Promise<unknown>, done: MessageKey) => {
    try { await fn(); message.success(t(done)); me.reload(); acts.reload(); } catch (e) {
      // check-in opens an hour before the start and closes at the end: say when, in China time
      if (e instanceof ApiError && e.code === 'check_in_too_early') message.error(t('pt.vol.tooEarly', { time: formatDateTime(String(e.extra.startsAt), locale) }));
      else if (e instanceof ApiError && e.code === 'activity_ended') message.error(t('pt.vol.ended', { time: formatDateTime(String(e.extra.endsAt), locale) }));
      else message.error(ptError(e, locale));
    }
  };
  const joined = !!me.data?.joined;
  return (
    <>
      {joined ? <Card size="small" style={{ marginBottom: 12 }}><Typography.Text>{t('pt.vol.hours')}</Typography.Text><Typography.Title level={3} style={{ margin: 0 }}>{me.data!.hours}</Typography.Title></Card> : (
        <Card size="small" title={t('pt.vol.join')} style={{ marginBottom: 12 }}>
          {(teams.data?.items.length ?? 0) > 0 && (
            <Select aria-label={t('pt.vol.team')} placeholder={t('pt.vol.team')} allowClear value={teamId} onChange={setTeamId} style={{ width: '100%', marginBottom: 8 }}
              options={teams.data!.items.map((x) => ({ value: x.id, label: x.name }))} />
          )}
          <Space.Compact style={{ width: '100%' }}>
            <Input aria-label={t('pt.vol.skills')} placeholder={t('pt.vol.skills')} value={skills} onChange={(e) => setSkills(e.target.value)} />
            <Button type="primary" onClick={() => run(() => api('/api/v1/participation/volunteers/me', { body: { skills: skills.split(/[,，、\s]+/).filter(Boolean), ...(teamId ? { teamId } : {}) } }), 'pt.vol.joined')}>{t('pt.vol.join')}</Button>
          </Space.Compact>
        </Card>
      )}
      <List dataSource={acts.data?.items ?? []} locale={{ emptyText: t('pt.vol.empty') }} renderItem={(a) => {
        const m = mine.data?.activities.find((x) => x.id === a.id);
        // an activity that is over takes no sign-up or check-in: it is marked 已结束
        const ended = Date.parse(a.endsAt) <= now;
        return (
          <List.Item data-testid="activity" actions={ended ? [<Tag key="e" data-testid="activity-ended">{t('pt.vol.over')}</Tag>, ...(m?.checkedIn ? [<Tag key="c" color="green">{t('pt.vol.checkedIn')}</Tag>] : [])]
            // an emergency task's hours are credited when the emergency ends: the tag says so
            : joined ? [m ? (m.checkedIn ? <Tag key="c" color="green">{t(a.emergency && m.hours == null ? 'pt.vol.checkedInHoursLater' : 'pt.vol.checkedIn')}</Tag>
            : <Button key="c" size="small" type="primary" onClick={() => run(() => api(`/api/v1/participation/activities/${a.id}/check-in`, { body: {} }), 'pt.vol.checkedIn')}>{t('pt.vol.checkIn')}</Button>)
            : <Button key="s" size="small" disabled={a.signedUp >= a.capacity} onClick={() => run(() => api(`/api/v1/participation/activities/${a.id}/signup`, { body: {} }), a.emergency ? 'pt.vol.accepted' : 'pt.vol.signedUp')}>{t(a.emergency ? 'pt.vol.accept' : 'pt.vol.signUp')}</Button>] : []}>
            <List.Item.Meta title={<Space wrap>{a.emergency && <Tag color="red">{t('pt.vol.emergency')}</Tag>}{a.title}</Space>}
              description={<>
                <div data-testid="activity-when">{t('pt.vol.when', { start: formatDateTime(a.startsAt, locale), end: formatDateTime(a.endsAt, locale).slice(-5) })}</div>
                {(a.place || a.regionName) && <div data-testid="activity-place">{t('pt.vol.place', { place: a.place ?? a.regionName ?? '' })}</div>}
                <div>{t('pt.vol.meta', { hours: a.hours, n: a.signedUp, cap: a.capacity })}</div>
              </>} />
          </List.Item>
        );
      }} />
    </>
  );
}

function Announcements({ onRead }: { onRead?(): void }) {
  const { t, locale } = useI18n();
  const list = useApi<{ items: Array<{ id: number; title: string; body: string; publishedAt: string; read: boolean }> }>('/api/v1/participation/announcements');
  // a notice opened is read at once (the mark goes to the server behind it), not at the next visit
  const [opened, setOpened] = useState<Set<number>>(() => new Set());
  const isRead = (a: { id: number; read: boolean }) => a.read || opened.has(a.id);
  return (
    <Collapse onChange={(keys) => {
      const fresh = (list.data?.items ?? []).filter((a) => ([] as string[]).concat(keys).includes(String(a.id)) && !isRead(a)).map((a) => a.id);
      if (!fresh.length) return;
      setOpened((o) => new Set([...o, ...fresh]));
      void Promise.all(fresh.map((id) => api(`/api/v1/participation/announcements/${id}/read`, { body: {} }).catch(() => undefined))).then(() => onRead?.());
    }}
      items={(list.data?.items ?? []).map((a) => ({ key: String(a.id), label: <Space wrap data-testid="notice" data-read={isRead(a)}>
        {isRead(a) ? <Tag>{t('pt.ann.read')}</Tag> : <Tag color="red">{t('pt.ann.unread')}</Tag>}{a.title}
        <Typography.Text type="secondary">{new Date(a.publishedAt).toLocaleDateString(locale === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' })}</Typography.Text></Space>,
      children: <Typography.Paragraph className="gz-typed" data-testid="notice-body">{a.body}</Typography.Paragraph> }))} />
  );
}

interface PartyRecord {
  membership: { gridCode: string; branch: string; registeredOn: string; services: Array<{ id: number; servedOn: string; hours: number | null; description: string }> } | null;
  patrols: { count: number; hours: number; items: Array<{ id: number; servedOn: string; hours: number | null; description: string }> };
  wishes: Array<{ id: number; title: string; state: string }>;
  volunteering: { hours: number; activities: number; emergencyTasks: number };
}

/** 党员: a party member's record (patrols, services, wishes, volunteering) and the patrol of their grid they record. */
function Party({ record, reload }: { record: PartyRecord; reload(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const sub = useSubmit();
  const busy = sub.pending;
  const m = record.membership!;
  const patrol = (v: { day: string; from: string; to: string; note?: string }) => sub.submit(async (headers) => {
    // the day and times as the member lived them, in China time
    const at = (time: string) => new Date(`${v.day}T${time}:00+08:00`).toISOString();
    try {
      await api('/api/v1/participation/party-record/patrols', { headers, body: { startedAt: at(v.from), endedAt: at(v.to), ...(v.note?.trim() ? { note: v.note.trim() } : {}) } });
      message.success(t('pt.party.recorded')); form.resetFields(); reload();
      return true;
    } catch (e) { message.error(ptError(e, locale)); return false; }
  });
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const stat = (label: MessageKey, value: number | string) => (
    <div style={{ flex: '1 1 30%', minWidth: 96 }}><Typography.Text type="secondary">{t(label)}</Typography.Text><Typography.Title level={4} style={{ margin: 0 }}>{value}</Typography.Title></div>
  );
  return (
    <div data-testid="party-record">
      <Card size="small" style={{ marginBottom: 12 }} title={m.branch}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t('pt.party.registered', { date: m.registeredOn })}</Typography.Paragraph>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          {stat('pt.party.patrols', record.patrols.count)}
          {stat('pt.party.patrolHours', t('pt.party.hoursValue', { n: record.patrols.hours }))}
          {stat('pt.party.services', m.services.length)}
          {stat('pt.party.wishes', record.wishes.length)}
          {stat('pt.party.volunteerHours', t('pt.party.hoursValue', { n: record.volunteering.hours }))}
          {stat('pt.party.emergencyTasks', record.volunteering.emergencyTasks)}
        </div>
      </Card>
      <Card size="small" title={t('pt.party.recordPatrol')} style={{ marginBottom: 12 }}>
        <Form form={form} layout="vertical" name="patrol" onFinish={patrol} initialValues={{ day: today, from: '19:00', to: '20:30' }}>
          <Form.Item name="day" label={t('pt.party.day')} rules={[{ required: true, message: t('form.required') }]}><Input type="date" max={today} /></Form.Item>
          <Space.Compact block>
            <Form.Item name="from" label={t('pt.party.from')} rules={[{ required: true, message: t('form.required') }]} style={{ flex: 1 }}><Input type="time" /></Form.Item>
            <Form.Item name="to" label={t('pt.party.to')} rules={[{ required: true, message: t('form.required') }]} style={{ flex: 1 }}><Input type="time" /></Form.Item>
          </Space.Compact>
          <Form.Item name="note" label={t('pt.party.note')}><Input.TextArea rows={2} maxLength={500} placeholder={t('pt.party.noteHint')} /></Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('pt.party.submitPatrol')}</Button>
        </Form>
      </Card>
      <Typography.Title level={5}>{t('pt.party.history')}</Typography.Title>
      <List size="small" locale={{ emptyText: t('pt.party.none') }} data-testid="party-history"
        dataSource={[...record.patrols.items.map((x) => ({ ...x, kind: 'patrol' as const })), ...m.services.map((x) => ({ ...x, kind: 'service' as const }))].sort((a, b) => b.servedOn.localeCompare(a.servedOn))}
        renderItem={(x) => (
          <List.Item>
            <List.Item.Meta title={<Space wrap><Tag color={x.kind === 'patrol' ? 'blue' : 'green'}>{t(x.kind === 'patrol' ? 'pt.party.patrol' : 'pt.party.service')}</Tag>{x.servedOn}
              {x.hours != null && <Typography.Text type="secondary">{t('pt.party.hoursN', { n: x.hours })}</Typography.Text>}</Space>} description={<span className="gz-typed">{x.description}</span>} />
          </List.Item>
        )} />
      {record.wishes.length > 0 && <>
        <Typography.Title level={5}>{t('pt.party.wishesTaken')}</Typography.Title>
        <List size="small" dataSource={record.wishes} renderItem={(w) => <List.Item><Space wrap>{w.title}<Tag>{t(`pt.wish.state.${w.state}` as MessageKey)}</Tag></Space></List.Item>} />
      </>}
    </div>
  );
}

/** 议事: the votes, the topics and the surveys addressed to the resident, one segment each. */
function Deliberate() {
  const { t } = useI18n();
  const [part, setPart] = useState<'votes' | 'topics' | 'surveys'>('votes');
  return (
    <>
      <Segmented block value={part} onChange={(v) => setPart(v as typeof part)} style={{ marginBottom: 12 }} aria-label={t('pt.tab.deliberate')}
        options={[{ value: 'votes', label: t('pt.tab.votes') }, { value: 'topics', label: t('pt.tab.topics') }, { value: 'surveys', label: t('pt.tab.surveys') }]} />
      {part === 'votes' && <Votes />}
      {part === 'topics' && <Topics />}
      {part === 'surveys' && <Surveys />}
    </>
  );
}

export interface PtMessage {
  id: number; kind: 'topic_hidden' | 'topic_unhidden' | 'wish_hidden' | 'wish_unhidden' | 'appeal_upheld' | 'appeal_rejected';
  subjectId: number; topicId: number; title: string; reason: string | null; note: string | null; at: string; read: boolean;
}
/** A message's headline by its kind. */
const messageTitle: Record<PtMessage['kind'], MessageKey> = {
  topic_hidden: 'pt.msg.hidden', topic_unhidden: 'pt.msg.unhidden', wish_hidden: 'pt.msg.wishHidden', wish_unhidden: 'pt.msg.wishUnhidden',
  appeal_upheld: 'pt.msg.appealUpheld', appeal_rejected: 'pt.msg.appealRejected',
};

/** 关联身份: the resident proves who they are by the ID number and phone the registry holds. */
function LinkIdentity({ onLinked }: { onLinked(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const sub = useSubmit();
  const byCode = useSubmit();
  return (
    <Card size="small" title={t('pt.link.title')} style={{ marginBottom: 12 }} data-testid="link-identity">
      <Typography.Paragraph type="secondary">{t('pt.link.help')}</Typography.Paragraph>
      <Form layout="vertical" name="link" onFinish={(v: { idNumber: string; phone: string }) => sub.submit(async () => {
        try { await api('/api/v1/participation/me/link', { body: { idNumber: v.idNumber.trim().toUpperCase(), phone: v.phone.trim() } }); message.success(t('pt.link.done')); onLinked(); return true; }
        catch (e) { message.error(ptError(e, locale)); return false; }
      })}>
        <Form.Item name="idNumber" label={t('pt.link.idNumber')} rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('pt.link.idFormat') }]}>
          <Input autoComplete="off" inputMode="text" maxLength={20} />
        </Form.Item>
        <Form.Item name="phone" label={t('pt.link.phone')} extra={t('pt.link.phoneHelp')} rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*1\d{10}\s*$/, message: t('pt.signin.phoneFormat') }]}>
          <Input type="tel" inputMode="numeric" maxLength={11} autoComplete="tel" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={sub.pending}>{t('pt.link.submit')}</Button>
      </Form>
      <Divider plain>{t('pt.link.or')}</Divider>
      <Form layout="vertical" name="link-code" onFinish={(v: { code: string }) => byCode.submit(async () => {
        try { await api('/api/v1/participation/me/link-code', { body: { code: v.code.trim().toUpperCase() } }); message.success(t('pt.link.done')); onLinked(); return true; }
        catch (e) { message.error(ptError(e, locale)); return false; }
      })}>
        <Form.Item name="code" label={t('pt.link.byCode')} extra={t('pt.link.byCodeHelp')} rules={[{ required: true, message: t('form.required') }, { pattern: /^\s*[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}\s*$/, message: t('pt.link.codeFormat') }]}>
          <Input autoComplete="off" autoCapitalize="characters" maxLength={9} placeholder="XXXX-XXXX" size="large" />
        </Form.Item>
        <Button htmlType="submit" block size="large" loading={byCode.pending}>{t('pt.link.codeSubmit')}</Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('pt.link.orStaff')}</Typography.Paragraph>
    </Card>
  );
}

/** 消息: what staff did to the resident's own content — a topic hidden (with the reason) or shown again. */
function Messages({ messages, reload }: { messages: PtMessage[]; reload(): void }) {
  const { t, locale } = useI18n();
  const unread = messages.filter((m) => !m.read);
  return (
    <Card size="small" title={t('pt.msg.title')} style={{ marginBottom: 12 }} data-testid="messages"
      extra={unread.length > 0 && <Button size="small" type="link" onClick={async () => {
        await Promise.all(unread.map((m) => api(`/api/v1/participation/me/messages/${m.id}/read`, { body: {} }).catch(() => undefined)));
        reload();
      }}>{t('pt.msg.markRead')}</Button>}>
      <List size="small" dataSource={messages} locale={{ emptyText: t('pt.msg.empty') }} renderItem={(m) => (
        <List.Item data-testid="message" data-read={m.read}>
          <List.Item.Meta
            title={<Space wrap size={4}>{!m.read && <Tag color="red">{t('pt.ann.unread')}</Tag>}{t(messageTitle[m.kind] ?? 'pt.msg.hidden', { title: m.title })}</Space>}
            description={<>
              {m.reason && <div className="gz-typed" data-testid="message-note">{m.note
                ? t('pt.msg.reasonNote', { reason: t(`pt.hide.reason.${m.reason}` as MessageKey), note: m.note })
                : t('pt.msg.reason', { reason: t(`pt.hide.reason.${m.reason}` as MessageKey) })}</div>}
              {m.kind.startsWith('appeal_') && m.note && <div className="gz-typed" data-testid="message-note">{t('pt.msg.decisionNote', { note: m.note })}</div>}
              {m.kind === 'topic_hidden' && <div>{t('pt.msg.hiddenHelp')}</div>}
              {m.kind === 'wish_hidden' && <div>{t('pt.msg.wishHiddenHelp')}</div>}
              <Typography.Text type="secondary">{formatDateTime(m.at, locale)}</Typography.Text>
            </>} />
        </List.Item>
      )} />
    </Card>
  );
}

/** 我的: the account (关联身份 until linked), messages, and the points of a linked resident. */
function Mine({ res, reloadRes, messages, reloadMessages }: { res: Resident; reloadRes(): void; messages: PtMessage[]; reloadMessages(): void }) {
  const { t } = useI18n();
  return (
    <div data-testid="mine">
      {res.linked
        ? <Alert type={res.householdId == null ? 'info' : 'success'} showIcon style={{ marginBottom: 12 }} data-testid="linked"
            title={t(res.householdId == null ? 'pt.link.linkedNoHousehold' : 'pt.link.linked')} />
        : <LinkIdentity onLinked={reloadRes} />}
      <Messages messages={messages} reload={reloadMessages} />
      {res.linked && <><Typography.Title level={5}>{t('pt.tab.points')}</Typography.Title><Points /></>}
    </div>
  );
}


export default function Resident() {
  const { t } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const res = useApi<Resident>('/api/v1/participation/me');
  const community = (res.data?.regionCode ?? me.regionCode).slice(0, 12);
  const resident = me.role === 'resident';
  // a resident registered to their grid as a party member (党员到网格报到) has their record here
  const party = useApi<PartyRecord>(resident ? '/api/v1/participation/party-record' : null);
  const messages = useApi<{ unread: number; items: PtMessage[] }>(resident ? '/api/v1/participation/me/messages' : null);
  const notices = useApi<{ items: Array<{ read: boolean }> }>(resident ? '/api/v1/participation/announcements' : null);
  const partyMember = !!party.data?.membership;
  const unreadNotices = (notices.data?.items ?? []).filter((a) => !a.read).length;
  const badge = (label: string, n: number) => (n > 0 ? <Badge count={n} size="small" offset={[6, -2]}>{label}</Badge> : label);
  // six short tabs at most, each reachable in one tap on a 390 px phone (nothing under "…")
  const items = [
    { key: 'wishes', label: t('pt.tab.wishes'), children: <Wishes community={community} partyMember={partyMember} /> },
    ...(resident ? [{ key: 'deliberate', label: t('pt.tab.deliberate'), children: <Deliberate /> }] : []),
    ...(resident ? [{ key: 'volunteer', label: t('pt.tab.volunteer'), children: <Volunteering /> }] : []),
    ...(resident ? [{ key: 'announcements', label: badge(t('pt.tab.announcements'), unreadNotices), children: <Announcements onRead={notices.reload} /> }] : []),
    ...(partyMember ? [{ key: 'party', label: t('pt.tab.party'), children: <Party record={party.data!} reload={party.reload} /> }] : []),
    ...(resident && res.data ? [{ key: 'mine', label: badge(t('pt.tab.mine'), messages.data?.unread ?? 0),
      children: <Mine res={res.data} reloadRes={res.reload} messages={messages.data?.items ?? []} reloadMessages={messages.reload} /> }] : []),
  ];
  const asked = params.get('tab');
  const active = items.some((i) => i.key === asked) ? asked! : 'wishes';
  return (
    <div style={{ maxWidth: 560 }} data-testid="participation">
      <PageTitle>{t('pt.title')}</PageTitle>
      {resident && res.data && !res.data.linked && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('pt.notLinked')}
          action={active !== 'mine' && <Button size="small" onClick={() => setParams({ tab: 'mine' }, { replace: true })}>{t('pt.link.go')}</Button>} />
      )}
      {(res.data || !resident) && (
        <Tabs className="gz-pt-tabs" tabBarGutter={14} activeKey={active} onChange={(k) => setParams(k === 'wishes' ? {} : { tab: k }, { replace: true })} items={items} />
      )}
    </div>
  );
}

