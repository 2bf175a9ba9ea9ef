// One petition: its workflow steps, calendar-day deadlines with their lights, petitioners, related petitions
// (重复信访), backlog marking and 领导包案.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, List, Row, Select, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { useWorkflows } from '../../lib/workflows.ts';
import { api, withQuery } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { StateTag } from '../../components/Sla.tsx';
import { ActionDialog } from '../../components/ActionDialog.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { CaseView } from '../../api/types.ts';

export interface Deadline { name: string; days: number; dueOn: string; done: boolean; light: 'green' | 'yellow' | 'red' | null }
const LIGHT = { green: 'green', yellow: 'gold', red: 'red' } as const;

/** 超期: past the last day of the petition's current step, with the step and the days over. */
export function OverdueTag({ days, step }: { days: number; step?: string | null }) {
  const { t } = useI18n();
  return <Tag color="red" data-testid="overdue">{t('pt.overdueDays', { n: days, step: step ? t(`pt.limit.${step}` as MessageKey) : '' })}</Tag>;
}

export function DeadlineTags({ deadlines }: { deadlines: Deadline[] }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      {deadlines.map((d) => (
        <Tag key={d.name} color={d.done ? 'default' : LIGHT[d.light ?? 'green']} data-deadline={d.name}>
          {t(`pt.limit.${d.name}` as MessageKey)} {d.done ? t('pt.done') : t('pt.dueOn', { date: d.dueOn })}
        </Tag>
      ))}
    </Space>
  );
}

const ROLES = ['county_leader', 'department', 'township', 'police_officer'] as const;

interface Candidate { id: number; name: string; role: string; unit: { id: string; name: string } | null; region: { code: string; name: string } }
interface Leader { role: string; userId: number | null; name: string; title: string | null; unitName: string | null; responsibility: string }

/**
 * A 包案 leader picked from the platform's users of the petition's region (searched by name or unit on the
 * server), each shown with their unit; the value is the user's id.
 */
function LeaderPicker({ petitionId, current, ...props }: { petitionId: string; current?: Leader; id?: string; value?: number; onChange?(v: number): void }) {
  const { t, tk } = useI18n();
  const [q, setQ] = useState('');
  const res = useApi<{ items: Candidate[] }>(withQuery(`/api/v1/petitions/${petitionId}/leader-candidates`, { q: q || undefined }));
  const items = res.data?.items ?? [];
  const options = items.map((u) => ({ value: u.id, label: `${u.name}${u.unit ? ` · ${u.unit.name}` : ''}`, u }));
  // the leader already named stays shown by name even when the search does not list them
  if (current?.userId != null && !items.some((u) => u.id === current.userId)) {
    options.unshift({ value: current.userId, label: `${current.name}${current.unitName ? ` · ${current.unitName}` : ''}`, u: undefined as unknown as Candidate });
  }
  return (
    <Select {...props} style={{ width: 320 }} showSearch={{ filterOption: false, onSearch: setQ }} loading={res.loading} placeholder={t('pt.leaderPlaceholder')}
      notFoundContent={t('list.empty')} options={options}
      optionRender={(o) => {
        const u = (o.data as { u?: Candidate }).u;
        return u ? (
          <div data-user-id={u.id}>
            <div>{u.name} <Typography.Text type="secondary">{tk('role.', u.role)}</Typography.Text></div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{u.unit?.name ?? t('pt.noUnit')} · {u.region.name}</Typography.Text>
          </div>
        ) : o.label;
      }} />
  );
}

type MediationStep =
  | { kind: 'received' | 'acceptance'; at: string }
  | { kind: 'investigation'; at: string; investigator: string; place: string | null }
  | { kind: 'session'; at: string; status: 'scheduled' | 'held' | 'cancelled'; place: string | null; online: boolean }
  | { kind: 'agreement'; at: string; status: 'draft' | 'void' | 'effective' }
  | { kind: 'failed'; at: string; reason: string | null }
  | { kind: 'docked'; at: string; receiver: string };
interface DockedFrom {
  caseId: number; caseNo: string; title: string; failureReason: string | null; receiver: string; mayOpen: boolean;
  caseFile: Array<{ document: string; count: number }>;
  mediation: { organisation: { name: string; level: string } | null; leadMediator: string | null; steps: MediationStep[] } | null;
}

/** 访调对接: the mediation this petition was docked from — the dispute by its number, who mediated, each step, the case file. */
function MediationHistory({ d }: { d: DockedFrom }) {
  const { t, locale } = useI18n();
  const say = (s: MediationStep): string => {
    switch (s.kind) {
      case 'investigation': return t('pt.mh.investigation', { investigator: s.investigator });
      case 'session': return t(`pt.mh.session.${s.status}` as MessageKey, { place: s.place ?? (s.online ? t('pt.mh.online') : '—') });
      case 'agreement': return t(`pt.mh.agreement.${s.status}` as MessageKey);
      case 'failed': return t('pt.mh.failed', { reason: s.reason ?? '—' });
      case 'docked': return t('pt.mh.docked', { receiver: s.receiver });
      default: return t(`pt.mh.${s.kind}` as MessageKey);
    }
  };
  const m = d.mediation;
  return (
    <Card size="small" title={`${t('pt.mediationHistory')} · ${t('pt.dockedFrom')} ${d.caseNo}`} style={{ marginBottom: 16 }} data-testid="docked-from">
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap>
          <span>{t('pt.dispute')}</span>
          {d.mayOpen ? <Link to={`/mediation/disputes/${d.caseId}`} data-testid="docked-dispute">{d.caseNo}</Link> : <Typography.Text strong>{d.caseNo}</Typography.Text>}
          <span>{d.title}</span>
        </Space>
        {m && (m.organisation || m.leadMediator) && (
          <Descriptions size="small" column={1}>
            {m.organisation && <Descriptions.Item label={t('pt.mh.org')}>{m.organisation.name} · {t(`md.level.${m.organisation.level}` as MessageKey)}</Descriptions.Item>}
            {m.leadMediator && <Descriptions.Item label={t('pt.mh.lead')}>{m.leadMediator}</Descriptions.Item>}
          </Descriptions>
        )}
        {m && m.steps.length
          ? <Timeline data-testid="mediation-steps" items={m.steps.map((s) => ({
            color: s.kind === 'failed' ? 'red' : s.kind === 'docked' ? 'blue' : 'gray',
            children: <div data-step={s.kind}><Typography.Text>{say(s)}</Typography.Text><div><Typography.Text type="secondary">{formatDateTime(s.at, locale)}</Typography.Text></div></div>,
          }))} />
          : <Typography.Text type="secondary">{t('pt.mh.none')}</Typography.Text>}
        <Space wrap>{t('pt.caseFile')}: {d.caseFile.map((f) => <Tag key={f.document}>{t(`md.doc.${f.document}` as MessageKey)} ×{f.count}</Tag>)}
          {d.mayOpen && <a href={`/api/v1/disputes/${d.caseId}/case-file.pdf`} target="_blank" rel="noreferrer">PDF</a>}</Space>
      </Space>
    </Card>
  );
}

export default function PetitionDetail() {
  const { id } = useParams();
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const res = useApi<any>(`/api/v1/petitions/${id}`);
  const workflows = useWorkflows();
  const [action, setAction] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [form] = Form.useForm();
  useLiveEvents((e) => { if (!e.caseId || String(e.caseId) === id) res.reload(); });
  // 包案责任 as saved, or the default of 《信访工作条例》's roles (petition-limits.json) for a leader not yet named
  const limits = useApi<{ leaders: Record<string, { responsibility: string }> }>('/api/v1/petition-limits');
  const defaults = limits.data?.leaders;
  const savedLeaders = JSON.stringify(res.data?.leaders ?? null);
  useEffect(() => {
    const saved: Leader[] = JSON.parse(savedLeaders) ?? [];
    form.setFieldsValue(Object.fromEntries(ROLES.map((role) => {
      const l = saved.find((x) => x.role === role);
      return [role, { userId: l?.userId ?? undefined, title: l?.title ?? undefined, responsibility: l?.responsibility || defaults?.[role]?.responsibility }];
    })));
  }, [savedLeaders, defaults, form]);
  const leaders = useFormSubmit<any>(form, async (v) => {
    await api(`/api/v1/petitions/${id}/leaders`, { method: 'PUT', body: { leaders: ROLES.map((role) => ({ role, userId: v[role]?.userId, title: v[role]?.title || undefined, responsibility: v[role]?.responsibility || undefined })) } });
    message.success(t('md.saved')); res.reload();
  });
  if (res.error) return <ErrorNote error={res.error} />;
  const v = res.data;
  if (!v) return <Skeleton active />;
  const c: CaseView = v.case;
  const style = (a: string) => workflows?.action(c, a)?.style;
  const backlog = async () => {
    try { await api(`/api/v1/petitions/${id}/backlog`, { body: { reason } }); setReason(''); res.reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <div data-testid="petition-detail">
      <Link to="/petitions"><ArrowLeftOutlined /> {t('pt.petitions')}</Link>
      <Typography.Title level={2} style={{ margin: '8px 0 4px', fontSize: 22 }}>{c.title}</Typography.Title>
      <Space wrap>
        <Typography.Text strong>{c.caseNo}</Typography.Text><StateTag c={c} />
        <Tag>{t(`pt.form.${v.record.form}` as MessageKey)}</Tag>
        {v.record.repeat && <Tag color="red">{t('pt.repeat')}</Tag>}{v.record.firstTime && <Tag color="blue">{t('pt.firstTime')}</Tag>}
        {v.record.collective && <Tag color="purple">{t('pt.collective')}</Tag>}{v.record.backlog && <Tag color="volcano">{t('pt.backlog')}</Tag>}
        {v.record.overdue && <OverdueTag days={v.record.daysOver} step={v.record.dueStep} />}
      </Space>
      {(c.actions ?? []).length > 0 ? (
        <Card size="small" title={t('pt.workflow')} style={{ margin: '12px 0' }} data-testid="case-actions">
          <Space wrap>
            {(c.actions ?? []).map((a) => (
              <Button key={a} type={style(a) === 'primary' ? 'primary' : 'default'} danger={style(a) === 'danger'} onClick={() => setAction(a)} data-action={a}
                disabled={!!v.blocked?.[a]} title={v.blocked?.[a] ? t(`pt.blocked.${v.blocked[a].code}` as MessageKey) : undefined}>{pick(workflows?.action(c, a)?.label, a)}</Button>
            ))}
            {/* a step that would be refused says why (the same conditions the API checks) */}
            {[...new Set((c.actions ?? []).map((a) => v.blocked?.[a]?.code).filter(Boolean))].map((code) => (
              <Typography.Text key={code} type="warning" data-testid="action-blocked">{t(`pt.blocked.${code}` as MessageKey)}</Typography.Text>
            ))}
          </Space>
        </Card>
      ) : <div style={{ height: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('pt.deadlines')}><DeadlineTags deadlines={v.deadlines} /></Card>
          <Card size="small" title={t('pt.record')} style={{ marginTop: 16 }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('md.description')}>{c.description}</Descriptions.Item>
              <Descriptions.Item label={t('pt.respondent')}>{v.record.respondent ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('pt.petitioners')}>{v.record.petitioners}</Descriptions.Item>
              <Descriptions.Item label={t('md.parties')}>{v.parties.map((p: any) => `${t(`md.role.${p.role}` as MessageKey)} ${p.nameMasked} ${p.phoneMasked ?? ''}`).join('；')}</Descriptions.Item>
            </Descriptions>
          </Card>
          {(v.leaders.length > 0 || v.may.manage) && <Card size="small" title={t('pt.leaders')} style={{ marginTop: 16 }} data-testid="leaders">
            {v.leaders.length > 0 && <List size="small" dataSource={v.leaders as Leader[]} renderItem={(l) => (
              <List.Item data-leader={l.role}>{t(`pt.leader.${l.role}` as MessageKey)}：{l.name}{l.unitName ? `（${l.unitName}）` : ''} {l.title ?? ''} · {l.responsibility}</List.Item>
            )} />}
            {v.may.manage && !v.record.backlog && (
              <Space.Compact style={{ width: '100%' }}>
                <Input aria-label={t('pt.backlogReason')} placeholder={t('pt.backlogReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
                <Button disabled={!reason.trim()} onClick={backlog}>{t('pt.markBacklog')}</Button>
              </Space.Compact>
            )}
            {v.may.manage && v.record.backlog && (
              <Form form={form} name="leaders" layout="vertical" data-testid="leader-form">
                {leaders.error && <Alert type="error" showIcon title={leaders.error} />}
                {ROLES.map((role) => (
                  <Space key={role} wrap data-leader-role={role}>
                    <Form.Item name={[role, 'userId']} label={`${t(`pt.leader.${role}` as MessageKey)} · ${t('pt.leaderName')}`} rules={[{ required: true, message: t('pt.leaderPick') }]}>
                      <LeaderPicker petitionId={id!} current={(v.leaders as Leader[]).find((l) => l.role === role)} />
                    </Form.Item>
                    <Form.Item name={[role, 'title']} label={t('pt.leaderTitle')}><Input /></Form.Item>
                    <Form.Item name={[role, 'responsibility']} label={t('pt.responsibility')}><Input placeholder={defaults?.[role]?.responsibility} /></Form.Item>
                  </Space>
                ))}
                <Button onClick={leaders.save} loading={leaders.busy}>{t('pt.saveLeaders')}</Button>
              </Form>
            )}
          </Card>}
        </Col>
        <Col xs={24} xl={10}>
          {v.dockedFrom && <MediationHistory d={v.dockedFrom as DockedFrom} />}
          <Card size="small" title={t('pt.repeatsFound')}>
            <List size="small" dataSource={v.repeats} locale={{ emptyText: '—' }} renderItem={(r: any) => (
              <List.Item><Space wrap><Link to={`/petitions/${r.caseId}`}>{r.caseNo}</Link>{r.samePerson && <Tag>{t('pt.samePerson')}</Tag>}{r.sameMatter && <Tag>{t('pt.sameMatter')}</Tag>}<span>{t('pt.similarity', { n: r.similarity })}</span></Space></List.Item>
            )} />
          </Card>
        </Col>
      </Row>
      <ActionDialog c={c} action={action} open={!!action} onClose={() => setAction(null)} onDone={() => { setAction(null); res.reload(); }} />
    </div>
  );
}
