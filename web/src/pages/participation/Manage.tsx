// 参与管理 for staff: set up votes and publish their results; moderate the wish wall (hide, merge a duplicate,
// answer) with its trail; run a 四议两公开 procedure step by step to its public notice; surveys; the whole
// moderation trail (审核记录) of wishes and topics.
import { useState } from 'react';
import { Button, Card, Collapse, Form, Input, InputNumber, List, Modal, Progress, Radio, Select, Space, Switch, Tabs, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { useRun, type Wish } from './shared.ts';
import { ModerationTrail } from './Trail.tsx';

function Votes() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Array<{ id: number; title: string; status: string; ballots: number; quorum: number; regionCode: string }> }>('/api/v1/participation/votes?pageSize=50');
  const [form] = Form.useForm();
  const create = async (v: any) => {
    const now = Date.now();
    const ok = await run(() => api('/api/v1/participation/votes', { body: {
      regionCode: v.regionCode, title: v.title, choice: v.choice, voterUnit: v.voterUnit, anonymous: v.anonymous,
      quorum: { percent: v.quorum ?? 0 }, opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + (v.days ?? 7) * 86_400_000).toISOString(),
      options: String(v.options ?? '').split('\n').map((x: string) => x.trim()).filter(Boolean),
    } }), 'pt.manage.created');
    if (ok) { form.resetFields(); list.reload(); }
  };
  return (
    <>
      {can(me, 'participation.vote.manage') && (
        <Collapse style={{ marginBottom: 12 }} items={[{ key: 'new', label: t('pt.manage.newVote'), children: (
          <Form form={form} layout="vertical" onFinish={create} initialValues={{ regionCode: me.regionCode, choice: 'single', voterUnit: 'household', anonymous: false, quorum: 50, days: 7, options: '同意\n不同意\n弃权' }}>
            <Form.Item name="title" label={t('pt.proc.title')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="regionCode" label={t('pt.manage.region')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="options" label={t('pt.manage.options')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
            <Form.Item name="choice" label={t('pt.manage.choice')}><Radio.Group options={[{ value: 'single', label: t('pt.manage.single') }, { value: 'multiple', label: t('pt.manage.multiple') }]} /></Form.Item>
            <Form.Item name="voterUnit" label={t('pt.manage.voterUnit')}><Radio.Group options={[{ value: 'household', label: t('pt.vote.byHousehold') }, { value: 'person', label: t('pt.vote.byPerson') }]} /></Form.Item>
            <Form.Item name="anonymous" label={t('pt.manage.anonymous')} valuePropName="checked"><Switch /></Form.Item>
            <Space wrap>
              <Form.Item name="quorum" label={t('pt.manage.quorum')}><InputNumber min={0} max={100} /></Form.Item>
              <Form.Item name="days" label={t('pt.manage.days')}><InputNumber min={1} max={60} /></Form.Item>
            </Space>
            <Button type="primary" htmlType="submit">{t('pt.manage.newVote')}</Button>
          </Form>
        ) }]} />
      )}
      <ErrorNote error={list.error} />
      <List bordered dataSource={list.data?.items ?? []} renderItem={(v) => (
        <List.Item data-testid="manage-vote" actions={can(me, 'participation.vote.manage') ? [
          v.status === 'open' && <Button key="c" size="small" onClick={async () => { if (await run(() => api(`/api/v1/participation/votes/${v.id}/close`, { body: {} }), 'pt.manage.done')) list.reload(); }}>{t('pt.manage.close')}</Button>,
          v.status === 'closed' && <Button key="p" size="small" type="primary" onClick={async () => { if (await run(() => api(`/api/v1/participation/votes/${v.id}/publish`, { body: {} }), 'pt.manage.published')) list.reload(); }}>{t('pt.manage.publish')}</Button>,
        ].filter(Boolean) : []}>
          <List.Item.Meta title={<Space wrap>{v.title}<Tag>{t(`pt.vote.status.${v.status}` as MessageKey)}</Tag></Space>} description={`${t('pt.manage.ballots')} ${v.ballots} / ${v.quorum}`} />
        </List.Item>
      )} />
    </>
  );
}

function Wishes() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Wish[] }>('/api/v1/participation/wishes?pageSize=100');
  const [answering, setAnswering] = useState<number | null>(null);
  const [answer, setAnswer] = useState('');
  const [merging, setMerging] = useState<Wish | null>(null);
  const [into, setInto] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const moderate = async (id: number, body: unknown) => {
    if (await run(() => api(`/api/v1/participation/wishes/${id}/moderate`, { body }), 'pt.manage.done')) { setAnswering(null); setMerging(null); setInto(null); list.reload(); setVersion((v) => v + 1); }
  };
  const wishes = list.data?.items ?? [];
  const title = (id: number | undefined) => wishes.find((w) => w.id === id)?.title ?? '';
  return (
    <>
      <ErrorNote error={list.error} />
      <List bordered dataSource={wishes} renderItem={(w) => (
        <List.Item data-testid="manage-wish" actions={can(me, 'participation.moderate') ? [
          <Button key="h" size="small" onClick={() => moderate(w.id, { action: w.hidden ? 'unhide' : 'hide' })}>{t(w.hidden ? 'pt.manage.unhide' : 'pt.manage.hide')}</Button>,
          !w.hidden && <Button key="m" size="small" onClick={() => setMerging(w)}>{t('pt.manage.merge')}</Button>,
          <Button key="a" size="small" onClick={() => { setAnswering(w.id); setAnswer(w.answer ?? ''); }}>{t('pt.manage.answer')}</Button>,
        ].filter(Boolean) : []}>
          <List.Item.Meta title={<Space wrap>{w.title}<Tag>{t(`pt.wish.state.${w.state}` as MessageKey)}</Tag>{w.hidden && <Tag color="red">{t('pt.manage.hidden')}</Tag>}
            {w.mergedInto && <Tag color="orange">{title(w.mergedInto) ? t('pt.manage.mergedInto', { title: title(w.mergedInto) }) : t('pt.manage.merged')}</Tag>}</Space>}
            description={<>{t('pt.wish.wisher', { name: w.wisher })}{w.answer && <div>{t('pt.wish.answer', { text: w.answer })}</div>}
              {answering === w.id && <Space.Compact style={{ width: '100%', marginTop: 6 }}>
                <Input aria-label={t('pt.manage.answerText')} value={answer} onChange={(e) => setAnswer(e.target.value)} />
                <Button type="primary" onClick={() => moderate(w.id, { action: 'answer', note: answer })}>{t('pt.manage.answer')}</Button>
              </Space.Compact>}</>} />
        </List.Item>
      )} />
      <Modal open={!!merging} title={t('pt.manage.mergeTitle', { title: merging?.title ?? '' })} okText={t('pt.manage.merge')} okButtonProps={{ disabled: !into }}
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

interface Step { seq: number; kind: string; label: { zh: string; en: string }; done: boolean; passed?: boolean; expected?: number; present?: number; votesFor?: number; votesAgainst?: number; abstentions?: number; record?: string; heldAt?: string }
interface Procedure { id: number; title: string; status: string; nextStep: { seq: number; zh: string; en: string } | null; steps: Step[] }

function ProcedureDetail({ id, onChange }: { id: number; onChange(): void }) {
  const { t, pick } = useI18n();
  const me = useMe();
  const run = useRun();
  const d = useApi<Procedure>(`/api/v1/participation/procedures/${id}`);
  const [form] = Form.useForm();
  if (!d.data) return <ErrorNote error={d.error} />;
  const p = d.data;
  const next = p.nextStep;
  const record = async (v: any) => {
    const body = next!.seq <= 4
      ? { heldAt: new Date().toISOString(), record: v.record, expected: v.expected, present: v.present, votesFor: v.votesFor, votesAgainst: v.votesAgainst ?? 0, abstentions: v.abstentions ?? 0, ...(next!.seq === 4 ? { assembly: v.assembly } : {}) }
      : { heldAt: new Date().toISOString(), record: v.record };
    if (await run(() => api(`/api/v1/participation/procedures/${id}/steps/${next!.seq}`, { body }), 'pt.proc.saved')) { form.resetFields(); d.reload(); onChange(); }
  };
  return (
    <div data-testid="procedure">
      <List size="small" dataSource={p.steps} renderItem={(s) => (
        <List.Item data-testid="procedure-step" data-done={s.done}>
          <List.Item.Meta title={<Space wrap>{`${s.seq}. ${pick(s.label)}`}{s.done && <Tag color={s.passed ? 'green' : 'red'}>{t(s.passed ? 'pt.proc.passed' : 'pt.proc.failed')}</Tag>}</Space>}
            description={s.done ? <>{s.expected != null && <div>{t('pt.proc.quorum', { present: s.present, expected: s.expected })} · {t('pt.proc.votes', { for: s.votesFor, against: s.votesAgainst, abstain: s.abstentions })}</div>}<div>{s.record}</div></> : null} />
        </List.Item>
      )} />
      {next && can(me, 'participation.procedure.run') && (
        <Card size="small" title={t('pt.proc.next', { step: pick(next) })} data-testid="next-step">
          <Form form={form} layout="vertical" onFinish={record} initialValues={{ assembly: 'representatives' }}>
            {next.seq <= 4 && (
              <Space wrap>
                <Form.Item name="expected" label={t('pt.proc.expected')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="present" label={t('pt.proc.present')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="votesFor" label={t('pt.proc.for')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
                <Form.Item name="votesAgainst" label={t('pt.proc.against')}><InputNumber min={0} /></Form.Item>
                <Form.Item name="abstentions" label={t('pt.proc.abstain')}><InputNumber min={0} /></Form.Item>
              </Space>
            )}
            {next.seq === 4 && (
              <Form.Item name="assembly" label={t('pt.proc.assembly')}>
                <Select options={[{ value: 'representatives', label: t('pt.proc.representatives') }, { value: 'villagers', label: t('pt.proc.villagers') }]} />
              </Form.Item>
            )}
            <Form.Item name="record" label={t(next.seq <= 4 ? 'pt.proc.record' : 'pt.proc.notice')} rules={[{ required: true, min: 2 }]}><Input.TextArea rows={3} /></Form.Item>
            <Button type="primary" htmlType="submit">{t('pt.proc.save')}</Button>
          </Form>
        </Card>
      )}
      {p.steps[4]?.done && <Typography.Link href={`/notice/${id}`} target="_blank" data-testid="notice-link">{t('pt.proc.openNotice')}</Typography.Link>}
    </div>
  );
}

function Procedures() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Array<{ id: number; title: string; status: string; stepsPassed: number }> }>('/api/v1/participation/procedures');
  const [form] = Form.useForm();
  const start = async (v: any) => { if (await run(() => api('/api/v1/participation/procedures', { body: { regionCode: me.regionCode, title: v.title, description: v.description } }), 'pt.proc.started')) { form.resetFields(); list.reload(); } };
  return (
    <>
      {can(me, 'participation.procedure.run') && me.regionCode.length >= 12 && (
        <Card size="small" title={t('pt.proc.new')} style={{ marginBottom: 12 }}>
          <Form form={form} layout="vertical" onFinish={start}>
            <Form.Item name="title" label={t('pt.proc.title')} rules={[{ required: true }]}><Input /></Form.Item>
            <Form.Item name="description" label={t('pt.proc.description')}><Input.TextArea rows={2} /></Form.Item>
            <Button type="primary" htmlType="submit">{t('pt.proc.new')}</Button>
          </Form>
        </Card>
      )}
      <ErrorNote error={list.error} />
      <Collapse items={(list.data?.items ?? []).map((p) => ({
        key: String(p.id), label: <Space wrap>{p.title}<Tag>{t(`pt.proc.status.${p.status}` as MessageKey)}</Tag><Typography.Text type="secondary">{p.stepsPassed}/6</Typography.Text></Space>,
        children: <ProcedureDetail id={p.id} onChange={list.reload} />,
      }))} />
    </>
  );
}

interface Results {
  responses: number; channels: Record<string, number>; index: Record<string, number>;
  sampling: Array<{ gridCode: string; responses: number; quota: number }>;
  questions: Array<{ id: number; seq: number; kind: string; text: string; options: string[]; answered: number; counts?: number[]; shares?: number[]; distribution?: number[]; mean?: number | null; texts?: string[] }>;
}

function SurveyResults({ id }: { id: number }) {
  const { t } = useI18n();
  const r = useApi<Results>(`/api/v1/participation/surveys/${id}/results`);
  if (!r.data) return <ErrorNote error={r.error} />;
  const d = r.data;
  return (
    <div data-testid="survey-results">
      <Space wrap style={{ marginBottom: 8 }}>
        <Tag>{t('pt.survey.responses', { n: d.responses, web: d.channels.web ?? 0, phone: d.channels.phone ?? 0 })}</Tag>
        {d.index.safety != null && <Tag color="blue" data-testid="index-safety">{t('pt.survey.safetyIndex', { v: d.index.safety })}</Tag>}
        {d.index.satisfaction != null && <Tag color="green">{t('pt.survey.satisfactionIndex', { v: d.index.satisfaction })}</Tag>}
      </Space>
      {d.sampling.length > 0 && <div style={{ marginBottom: 8 }}>{d.sampling.map((g) => (
        <div key={g.gridCode}><Typography.Text type="secondary">{g.gridCode}</Typography.Text>
          <Progress percent={g.quota ? Math.min(100, Math.round((100 * g.responses) / g.quota)) : 100} format={() => (g.quota ? `${g.responses}/${g.quota}` : String(g.responses))} size="small" /></div>
      ))}</div>}
      {d.questions.map((q) => (
        <Card key={q.id} size="small" style={{ marginBottom: 6 }} title={`${q.seq}. ${q.text}`}>
          {q.counts && q.options.map((o, i) => <div key={o}><Typography.Text>{o}（{q.counts![i]}）</Typography.Text><Progress percent={q.shares![i]} size="small" /></div>)}
          {q.distribution && <>{q.distribution.map((n, i) => <div key={i}><Typography.Text>{i + 1}（{n}）</Typography.Text><Progress percent={q.answered ? Math.round((100 * n) / q.answered) : 0} size="small" /></div>)}
            <Typography.Text type="secondary">{t('pt.survey.mean', { v: q.mean ?? '–' })}</Typography.Text></>}
          {q.texts && q.texts.map((x, i) => <Typography.Paragraph key={i} style={{ marginBottom: 2 }}>· {x}</Typography.Paragraph>)}
        </Card>
      ))}
    </div>
  );
}

function Surveys() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Array<{ id: number; title: string; status: string; responses: number }> }>('/api/v1/participation/surveys');
  const startSafety = async () => {
    const now = Date.now();
    if (await run(() => api('/api/v1/participation/surveys', { body: { regionCode: me.regionCode, title: t('pt.survey.safetyTitle'), template: 'safety',
      opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 30 * 86_400_000).toISOString() } }), 'pt.manage.created')) list.reload();
  };
  return (
    <>
      {can(me, 'participation.survey.manage') && <Button style={{ marginBottom: 12 }} onClick={startSafety}>{t('pt.survey.newSafety')}</Button>}
      <ErrorNote error={list.error} />
      <Collapse items={(list.data?.items ?? []).map((x) => ({
        key: String(x.id), label: <Space wrap>{x.title}<Tag>{t(`pt.vote.status.${x.status}` as MessageKey)}</Tag><Typography.Text type="secondary">{x.responses}</Typography.Text></Space>,
        children: <SurveyResults id={x.id} />,
      }))} />
    </>
  );
}

export default function Manage() {
  const { t } = useI18n();
  return (
    <div data-testid="participation-manage">
      <PageTitle>{t('pt.manage.title')}</PageTitle>
      <Tabs items={[
        { key: 'votes', label: t('pt.manage.votes'), children: <Votes /> },
        { key: 'wishes', label: t('pt.manage.wishes'), children: <Wishes /> },
        { key: 'procedures', label: t('pt.manage.procedures'), children: <Procedures /> },
        { key: 'surveys', label: t('pt.manage.surveys'), children: <Surveys /> },
        { key: 'trail', label: t('pt.trail.title'), children: <ModerationTrail /> },
      ]} />
    </div>
  );
}
