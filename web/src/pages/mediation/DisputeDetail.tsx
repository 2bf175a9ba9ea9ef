// One dispute: its workflow steps (the case engine's actions, each with its dialog), the 民转刑 risk with
// its reasons, the GB/T 31000 record, the parties, 靶向分流 and 四包, investigation, sessions, the agreement
// with the parties' drawn signatures and its PDF, performance, follow-up visits, dockings and documents.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, List, Modal, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EyeOutlined, FilePdfOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { useCategories } from '../../lib/lookups.ts';
import { useWorkflows } from '../../lib/workflows.ts';
import { formatDateTime } from '../../lib/format.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { api } from '../../api/client.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { SlaLight, StateTag } from '../../components/Sla.tsx';
import { ActionDialog } from '../../components/ActionDialog.tsx';
import type { CaseView } from '../../api/types.ts';
import { RiskReasons, RiskTag, SignaturePad, type Risk } from './common.tsx';

interface Party { id: number; role: string; kind: string; nameMasked: string; phoneMasked: string | null; idMasked: string | null; vulnerable: string[] }
interface Person { id: number; name: string; gold: boolean }
interface Obligation { id: number; seq: number; obligorPartyId: number | null; description: string; dueOn: string; amount: number | null; status: string; overdue: boolean }
interface Agreement {
  id: number; status: string; content: string; signedPlace: string | null; followUpOn: string; concludedAt: string | null;
  judicial: { status: string; court: string | null; rulingNo: string | null }; obligations: Obligation[];
  signatures: Array<{ id: number; partyId: number | null; signer: string; label: string; signedAt: string; imageUrl: string }>;
}
interface DisputeView {
  case: CaseView; record: Record<string, any>; risk: Risk; parties: Party[];
  organisation: { id: number; name: string; level: string; brand: boolean } | null; leadMediator: Person | null;
  fourRoles: Record<'investigate' | 'mediate' | 'conclude' | 'followUp', Person | null>;
  investigations: Array<{ id: number; investigatedAt: string; place: string | null; investigator: string; interviewee: string; content: string }>;
  sessions: Array<{ id: number; scheduledAt: string; place: string | null; onlineLink: string | null; participants: Array<{ name: string }>; status: string; minutes: string | null; started: boolean }>;
  agreements: Agreement[];
  followUps: Array<{ id: number; dueOn: string; due: boolean; doneAt: string | null; method: string | null; content: string | null; satisfaction: string | null }>;
  dockings: Array<{ id: number; kind: string; receiver: string; status: string; result: string | null; fileManifest: Array<{ document: string; count: number }>; petitionCaseId?: number | null; petitionCaseNo?: string | null }>;
  /** actions offered that would be refused now, and why (靶向分流 before the assignment is saved) */
  blocked?: Record<string, { code: string; missing: string[] }>;
  may: Record<'editRecord' | 'assign' | 'investigate' | 'schedule' | 'draftAgreement' | 'perform' | 'followUp' | 'dock' | 'reveal', boolean>;
}
interface Suggestion {
  level: string;
  orgs: Array<{ id: number; name: string; level: string; specialist: boolean; mediators: Array<{ id: number; name: string; gold: boolean; workload: number; maxLoad: number; specialist: boolean }> }>;
  proposal: { orgId: number; leadMediatorId: number; investigateBy: number; mediateBy: number; concludeBy: number; followUpBy: number } | null;
  reasons: Array<{ code: string } & Record<string, any>>;
}

/** Why 靶向分流 suggests what it does, one sentence a reason. */
function useSuggestionReason() {
  const { t, pick } = useI18n();
  const cats = useCategories();
  const level = (l: string) => t(`md.level.${l}` as MessageKey);
  return (r: Suggestion['reasons'][0]): string => {
    switch (r.code) {
      case 'scale': return t('md.why.scale', { scale: t(`md.scale.${r.scale}` as MessageKey), level: level(r.level) });
      case 'category': { const c = cats?.byCode.get(r.categoryCode); return t('md.why.category', { category: c ? pick(c.name) : '—', level: level(r.level) }); }
      case 'ordinary': return t('md.why.ordinary', { level: level(r.level) });
      case 'no_org_at_level': return t('md.why.no_org_at_level', { level: level(r.level), org: r.org, orgLevel: level(r.orgLevel) });
      case 'lead': return t('md.why.lead', { ...r, traits: `${r.specialist ? t('md.why.specialist') : ''}${r.gold ? t('md.why.goldTrait') : ''}` });
      case 'shared_roles': return t('md.why.shared_roles', { names: (r.mediators as string[]).join('、') });
      default: return t(`md.why.${r.code}` as MessageKey, r);
    }
  };
}

const DOCS = ['registration', 'investigation', 'session', 'agreement', 'follow_up'] as const;

export default function DisputeDetail() {
  const { id } = useParams();
  const { t, pick, locale } = useI18n();
  const res = useApi<DisputeView>(`/api/v1/disputes/${id}`);
  const workflows = useWorkflows();
  const cats = useCategories();
  const [action, setAction] = useState<string | null>(null);
  useLiveEvents((e) => { if (!e.caseId || String(e.caseId) === id) res.reload(); });
  const v = res.data;
  if (res.error) return <div><Link to="/mediation"><ArrowLeftOutlined /> {t('md.workbench')}</Link><div style={{ marginTop: 12 }}><ErrorNote error={res.error} /></div></div>;
  if (!v) return <Skeleton active />;
  const c = v.case;
  const style = (a: string) => workflows?.action(c, a)?.style;
  const actions = [...(c.actions ?? [])].sort((a, b) => Number(style(b) === 'primary') - Number(style(a) === 'primary'));
  const category = cats?.byCode.get(c.categoryCode);
  return (
    <div data-testid="dispute-detail" data-case-id={c.id}>
      <Link to="/mediation"><ArrowLeftOutlined /> {t('md.workbench')}</Link>
      <div className="gz-case-head">
        <Typography.Title level={2} style={{ margin: '8px 0 4px', fontSize: 22 }}>{c.title}</Typography.Title>
        <Space wrap size={[8, 4]}>
          <Typography.Text copyable={{ text: c.caseNo }} strong data-testid="case-no">{c.caseNo}</Typography.Text>
          <StateTag c={c} />
          {c.isOpen && <SlaLight light={c.sla.light} dueAt={c.sla.dueAt} remaining={c.sla.remainingMinutes} showDue />}
          <RiskTag risk={v.risk} />
          <Link to={`/cases/${c.id}`}>{t('md.openCase')}</Link>
        </Space>
      </div>
      <Card size="small" title={t('md.workflow')} style={{ margin: '12px 0' }} data-testid="case-actions">
        {actions.length ? (
          <Space wrap>
            {actions.map((a) => (
              <Button key={a} type={style(a) === 'primary' ? 'primary' : 'default'} danger={style(a) === 'danger'} onClick={() => setAction(a)} data-action={a}
                disabled={!!v.blocked?.[a]} title={blockedText(t, v.blocked?.[a])}>
                {pick(workflows?.action(c, a)?.label, a)}
              </Button>
            ))}
            {[...new Set(actions.map((a) => blockedText(t, v.blocked?.[a])).filter(Boolean))].map((text) => (
              <Typography.Text key={text} type="warning" data-testid="action-blocked">{text}</Typography.Text>
            ))}
          </Space>
        ) : <Typography.Text type="secondary">{c.isOpen ? t('case.noActionsForYou') : t('case.closedNoActions')}</Typography.Text>}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('md.record')}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
              <Descriptions.Item label={t('md.category')}>{category ? pick(category.name) : c.categoryCode}</Descriptions.Item>
              <Descriptions.Item label={t('md.scale')}>{t(`md.scale.${v.record.scale}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('md.description')} span="filled"><div className="gz-timeline-note">{v.record.description}</div></Descriptions.Item>
              <Descriptions.Item label={t('md.address')} span="filled">{v.record.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('md.occurredOn')}>{v.record.occurredOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('md.peopleInvolved')}>{v.record.peopleInvolved}</Descriptions.Item>
              <Descriptions.Item label={t('md.source')}>{t(`md.source.${v.record.source}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('md.receivedAt')}>{formatDateTime(v.record.receivedAt, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('md.limitOn')}>{v.record.limitOn ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('md.success')}>{v.record.success == null ? '—' : v.record.success ? t('md.yes') : t('md.no')}</Descriptions.Item>
            </Descriptions>
          </Card>
          <PartiesCard v={v} />
          <AssignmentCard v={v} onDone={res.reload} />
          <InvestigationCard v={v} onDone={res.reload} />
          <SessionsCard v={v} onDone={res.reload} />
          <AgreementCard v={v} onDone={res.reload} onAction={setAction} />
          <FollowUpsCard v={v} onDone={res.reload} />
          <DockingsCard v={v} onDone={res.reload} />
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('md.risk')}><RiskReasons risk={v.risk} /></Card>
          <Card size="small" title={t('md.documents')} style={{ marginTop: 16 }} data-testid="documents">
            <List size="small" dataSource={[...DOCS]} renderItem={(d) => (
              <List.Item><a href={`/api/v1/disputes/${c.id}/documents/${d}`} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t(`md.doc.${d}` as MessageKey)}</a></List.Item>
            )} />
            <a href={`/api/v1/disputes/${c.id}/case-file.pdf`} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t('md.caseFile')}</a>
          </Card>
        </Col>
      </Row>
      <ActionDialog c={c} action={action} open={!!action} onClose={() => setAction(null)} onDone={() => { setAction(null); res.reload(); }} />
    </div>
  );
}

function useSave<T>(form: ReturnType<typeof Form.useForm>[0], submit: (v: T) => Promise<void>, onDone: () => void) {
  const { t } = useI18n();
  const { message } = App.useApp();
  return useFormSubmit<T>(form, async (values) => { await submit(values); message.success(t('md.saved')); form.resetFields(); onDone(); });
}

function PartiesCard({ v }: { v: DisputeView }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [shown, setShown] = useState<Record<number, any>>({});
  const reveal = async (p: Party) => {
    try { setShown({ ...shown, [p.id]: await api(`/api/v1/disputes/${v.case.id}/parties/${p.id}/reveal`, { body: { purpose: t('md.revealPurpose') } }) }); }
    catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card size="small" title={t('md.parties')} style={{ marginTop: 16 }} data-testid="parties">
      <List size="small" dataSource={v.parties} renderItem={(p) => (
        <List.Item>
          <Space wrap>
            <Tag>{t(`md.role.${p.role}` as MessageKey)}</Tag>
            <span>{shown[p.id] ? `${shown[p.id].name} ${shown[p.id].phone ?? ''} ${shown[p.id].idNumber ?? ''}` : `${p.nameMasked} ${p.phoneMasked ?? ''} ${p.idMasked ?? ''}`}</span>
            {p.vulnerable.map((x) => <Tag key={x} color="purple">{t(`md.vuln.${x}` as MessageKey)}</Tag>)}
            {v.may.reveal && !shown[p.id] && <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => reveal(p)}>{t('md.reveal')}</Button>}
          </Space>
        </List.Item>
      )} />
    </Card>
  );
}

function AssignmentCard({ v, onDone }: { v: DisputeView; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const sug = useApi<Suggestion>(v.may.assign ? `/api/v1/disputes/${v.case.id}/assignment/suggestion` : null);
  const orgId = Form.useWatch('orgId', form) as number | undefined;
  const org = sug.data?.orgs.find((o) => o.id === orgId);
  const all = sug.data?.orgs.flatMap((o) => o.mediators) ?? [];
  const opt = (m: Suggestion['orgs'][0]['mediators'][0]) => ({ value: m.id, label: `${m.name}${m.gold ? ` · ${t('md.gold')}` : ''} · ${t('md.workload', { n: m.workload, max: m.maxLoad })}` });
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/assignment`, { method: 'PUT', body: b }), onDone);
  const four = ['investigate', 'mediate', 'conclude', 'followUp'] as const;
  const names: Record<string, string> = { investigate: 'investigateBy', mediate: 'mediateBy', conclude: 'concludeBy', followUp: 'followUpBy' };
  const why = useSuggestionReason();
  // the assignment made, else the one 靶向分流 proposes
  const initial = v.organisation ? { orgId: v.organisation.id, leadMediatorId: v.leadMediator?.id, ...Object.fromEntries(four.map((k) => [names[k], v.fourRoles[k]?.id])) }
    : sug.data?.proposal ?? undefined;
  const proposed = sug.data?.proposal ? sug.data.orgs.find((o) => o.id === sug.data!.proposal!.orgId) : undefined;
  return (
    <Card size="small" title={t('md.assignment')} style={{ marginTop: 16 }} data-testid="assignment">
      {v.organisation && (
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('md.org')}>{v.organisation.name}{v.organisation.brand && <Tag color="gold" style={{ marginInlineStart: 6 }}>{t('md.brand')}</Tag>}</Descriptions.Item>
          <Descriptions.Item label={t('md.level')}>{t(`md.level.${v.organisation.level}` as MessageKey)}</Descriptions.Item>
          <Descriptions.Item label={t('md.lead')}>{v.leadMediator?.name}</Descriptions.Item>
          {four.map((k) => <Descriptions.Item key={k} label={t(`md.four.${k}` as MessageKey)}>{v.fourRoles[k]?.name ?? '—'}</Descriptions.Item>)}
        </Descriptions>
      )}
      {v.may.assign && sug.data && (
        <Form form={form} name="assignment" layout="vertical" initialValues={initial} style={{ marginTop: 8 }}>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
          <div data-testid="assignment-suggestion" style={{ marginBottom: 8 }}>
            {proposed
              ? <Typography.Text strong>{t('md.suggestedAssignment', { level: t(`md.level.${sug.data.level}` as MessageKey), org: proposed.name })}</Typography.Text>
              : <Alert type="warning" showIcon title={t('md.suggestionNone')} />}
            {sug.data.reasons.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }} aria-label={t('md.why')}>
                {sug.data.reasons.map((r, i) => <li key={i} data-reason={r.code}><Typography.Text type="secondary">{why(r)}</Typography.Text></li>)}
              </ul>
            )}
          </div>
          <Row gutter={8}>
            <Col xs={24} md={12}><Form.Item name="orgId" label={t('md.org')} rules={[{ required: true }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={sug.data.orgs.map((o) => ({ value: o.id, label: `${o.name} · ${t(`md.level.${o.level}` as MessageKey)}` }))} />
            </Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="leadMediatorId" label={t('md.lead')} rules={[{ required: true }]}><Select showSearch={{ optionFilterProp: 'label' }} options={(org?.mediators ?? []).map(opt)} /></Form.Item></Col>
            {four.map((k) => (
              <Col xs={12} md={6} key={k}><Form.Item name={names[k]} label={t(`md.four.${k}` as MessageKey)} rules={[{ required: true }]}><Select showSearch={{ optionFilterProp: 'label' }} options={all.map(opt)} /></Form.Item></Col>
            ))}
          </Row>
          <Button loading={busy} onClick={save}>{t('md.saveAssignment')}</Button>
        </Form>
      )}
    </Card>
  );
}

function InvestigationCard({ v, onDone }: { v: DisputeView; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm();
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/investigations`, { body: { ...b, investigatedAt: (b.investigatedAt ?? dayjs()).toISOString(), place: b.place || undefined } }), onDone);
  if (!v.investigations.length && !v.may.investigate) return null;
  return (
    <Card size="small" title={t('md.investigation')} style={{ marginTop: 16 }}>
      <List size="small" dataSource={v.investigations} renderItem={(r) => (
        <List.Item><div><Typography.Text type="secondary">{formatDateTime(r.investigatedAt, locale)} · {r.investigator} → {r.interviewee}</Typography.Text><div>{r.content}</div></div></List.Item>
      )} />
      {v.may.investigate && (
        <Form form={form} name="investigation" layout="vertical">
          {error && <Alert type="error" showIcon title={error} />}
          <Row gutter={8}>
            <Col xs={12} md={6}><Form.Item name="investigatedAt" label={t('md.when')}><DatePicker showTime style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="place" label={t('md.place')}><Input /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="investigator" label={t('md.investigator')} rules={[{ required: true }]}><Input /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="interviewee" label={t('md.interviewee')} rules={[{ required: true }]}><Input /></Form.Item></Col>
          </Row>
          <Form.Item name="content" label={t('md.content')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
          <Button loading={busy} onClick={save}>{t('md.addInvestigation')}</Button>
        </Form>
      )}
    </Card>
  );
}

/** Why an offered step would be refused now (the detail's `blocked`, the same conditions the API checks), in words. */
function blockedText(t: ReturnType<typeof useI18n>['t'], b: { code: string; missing: string[] } | undefined): string | undefined {
  return b ? t(`md.blocked.${b.code}` as MessageKey, { missing: b.missing.join('、') }) : undefined;
}

function SessionsCard({ v, onDone }: { v: DisputeView; onDone(): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [minutes, setMinutes] = useState<Record<number, string>>({});
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/sessions`, {
    body: {
      scheduledAt: b.scheduledAt.toISOString(), place: b.place || undefined, onlineLink: b.onlineLink || undefined,
      participants: (b.participants as number[]).map((pid) => { const p = v.parties.find((x) => x.id === pid)!; return { partyId: p.id, name: p.nameMasked, role: p.role }; }),
    },
  }), onDone);
  const record = async (sid: number) => {
    try { await api(`/api/v1/disputes/${v.case.id}/sessions/${sid}/minutes`, { method: 'PUT', body: { minutes: minutes[sid] } }); message.success(t('md.saved')); onDone(); }
    catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card size="small" title={t('md.sessions')} style={{ marginTop: 16 }} data-testid="sessions">
      <List size="small" dataSource={v.sessions} renderItem={(s) => (
        <List.Item data-session-id={s.id}>
          <div style={{ width: '100%' }}>
            <Space wrap><Tag>{t(`md.session.${s.status}` as MessageKey)}</Tag>{formatDateTime(s.scheduledAt, locale)} · {s.place ?? s.onlineLink} · {s.participants.map((p) => p.name).join('、')}</Space>
            {s.minutes && <div className="gz-timeline-note">{s.minutes}</div>}
            {s.status === 'scheduled' && v.case.isOpen && v.may.investigate && !s.started && (
              <Typography.Text type="secondary" data-testid="minutes-later" style={{ display: 'block', marginTop: 6 }}>{t('md.minutesLater', { when: formatDateTime(s.scheduledAt, locale) })}</Typography.Text>
            )}
            {s.status === 'scheduled' && v.case.isOpen && v.may.investigate && s.started && (
              <Space.Compact style={{ width: '100%', marginTop: 6 }}>
                <Input.TextArea aria-label={t('md.minutes')} placeholder={t('md.minutes')} autoSize value={minutes[s.id]} onChange={(e) => setMinutes({ ...minutes, [s.id]: e.target.value })} />
                <Button disabled={!minutes[s.id]?.trim()} onClick={() => record(s.id)}>{t('md.recordMinutes')}</Button>
              </Space.Compact>
            )}
          </div>
        </List.Item>
      )} />
      {v.may.schedule && (
        <Form form={form} name="session" layout="vertical" initialValues={{ participants: v.parties.map((p) => p.id) }}>
          {error && <Alert type="error" showIcon title={error} />}
          <Row gutter={8}>
            <Col xs={24} md={8}><Form.Item name="scheduledAt" label={t('md.scheduledAt')} rules={[{ required: true }]}><DatePicker showTime style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={12} md={8}><Form.Item name="place" label={t('md.place')}><Input /></Form.Item></Col>
            <Col xs={12} md={8}><Form.Item name="onlineLink" label={t('md.onlineLink')}><Input placeholder="https://" /></Form.Item></Col>
          </Row>
          <Form.Item name="participants" label={t('md.participants')} rules={[{ required: true }]}>
            <Select mode="multiple" options={v.parties.map((p) => ({ value: p.id, label: `${t(`md.role.${p.role}` as MessageKey)} ${p.nameMasked}` }))} />
          </Form.Item>
          <Button type="primary" loading={busy} onClick={save}>{t('md.schedule')}</Button>
        </Form>
      )}
    </Card>
  );
}

/**
 * What comes next for the dispute, from its case type's definition: the steps open from its current state
 * (申请司法确认, 协议履行完毕, 回访完毕 …), as buttons for the steps this user may take; who still has to
 * sign a draft; and, once the dispute has ended, that its file can be printed for the archive.
 */
function NextSteps({ v, unsigned, onAction }: { v: DisputeView; unsigned: Party[]; onAction(a: string): void }) {
  const { t, pick, locale } = useI18n();
  const workflows = useWorkflows();
  const c = v.case;
  const def = workflows?.def(c.type, c.workflowVersion);
  if (!def) return null;
  const next = def.actions.filter((a) => !a.oversight && a.from.includes(c.state));
  const mine = new Set(c.actions ?? []);
  const signerNames = unsigned.map((p) => `${t(`md.role.${p.role}` as MessageKey)} ${p.nameMasked}`).join(locale === 'en' ? ', ' : '、');
  return (
    <div data-testid="agreement-next" className="gz-next-steps" style={{ marginTop: 8, padding: '8px 12px', background: 'rgba(22,119,255,0.06)', borderRadius: 6 }}>
      <Typography.Text strong>{t('md.next')}</Typography.Text>
      {unsigned.length > 0 && <div data-testid="awaiting-signatures"><Typography.Text type="warning">{t('md.next.awaitSignatures', { names: signerNames })}</Typography.Text></div>}
      {c.isOpen && next.length > 0 && (
        <Space wrap size={[8, 6]} style={{ display: 'flex', marginTop: 4 }}>
          {next.map((a) => (mine.has(a.name)
            ? <Button key={a.name} size="small" type={a.style === 'primary' ? 'primary' : 'default'} danger={a.style === 'danger'} data-next={a.name}
                disabled={!!v.blocked?.[a.name]} title={blockedText(t, v.blocked?.[a.name])} onClick={() => onAction(a.name)}>{pick(a.label)}</Button>
            : <Tag key={a.name} data-next={a.name} title={t('md.next.notYours')}>{pick(a.label)}</Tag>))}
        </Space>
      )}
      {!c.isOpen && (
        <div data-testid="agreement-ended">
          <Typography.Text>{t('md.next.ended', { state: pick(c.stateLabel) })} </Typography.Text>
          <a href={`/api/v1/disputes/${c.id}/case-file.pdf`} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t('md.caseFile')}</a>
        </div>
      )}
    </div>
  );
}

function AgreementCard({ v, onDone, onAction }: { v: DisputeView; onDone(): void; onAction(a: string): void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [signing, setSigning] = useState<Party | null>(null);
  const [busySign, setBusySign] = useState(false);
  const current = [...v.agreements].reverse().find((a) => a.status !== 'void');
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/agreements`, {
    body: {
      content: b.content, signedPlace: b.signedPlace || undefined, followUpOn: b.followUpOn.format('YYYY-MM-DD'),
      obligations: (b.obligations ?? []).map((o: any) => ({ description: o.description, dueOn: o.dueOn.format('YYYY-MM-DD'), obligorPartyId: o.obligorPartyId, amount: o.amount ?? undefined })),
    },
  }), onDone);
  const sign = async (png: string) => {
    if (!signing || !current) return;
    setBusySign(true);
    try { await api(`/api/v1/disputes/${v.case.id}/agreements/${current.id}/signatures`, { body: { partyId: signing.id, image: png } }); message.success(t('md.signed')); setSigning(null); onDone(); }
    catch (e) { message.error(errorText(e)); }
    finally { setBusySign(false); }
  };
  const perform = async (o: Obligation, status: string) => {
    try { await api(`/api/v1/disputes/${v.case.id}/obligations/${o.id}`, { method: 'PUT', body: { status } }); onDone(); }
    catch (e) { message.error(errorText(e)); }
  };
  const signers = v.parties.filter((p) => p.role === 'applicant' || p.role === 'respondent');
  const partyName = (pid: number | null) => v.parties.find((p) => p.id === pid)?.nameMasked ?? '—';
  if (!current && !v.may.draftAgreement) return null;
  return (
    <Card size="small" title={t('md.agreement')} style={{ marginTop: 16 }} data-testid="agreement"
      extra={current && <a href={`/api/v1/disputes/${v.case.id}/documents/agreement`} target="_blank" rel="noreferrer" data-testid="print-agreement"><FilePdfOutlined /> {t('md.printAgreement')}</a>}>
      {current && (
        <div data-agreement-status={current.status}>
          <Space wrap><Tag color={current.status === 'effective' ? 'green' : 'blue'}>{t(`md.agreement.${current.status}` as MessageKey)}</Tag>
            <Typography.Text type="secondary">{t('md.followUpOn')}: {current.followUpOn}</Typography.Text>
            {current.judicial.status !== 'none' && <Tag color="geekblue">{t('md.judicial')}: {t(`md.judicial.${current.judicial.status}` as MessageKey)} {current.judicial.court ?? ''} {current.judicial.rulingNo ?? ''}</Tag>}
          </Space>
          <div className="gz-timeline-note" style={{ margin: '8px 0' }}>{current.content}</div>
          <List size="small" header={t('md.obligations')} dataSource={current.obligations} locale={{ emptyText: '—' }} renderItem={(o) => (
            <List.Item data-obligation={o.seq}>
              <Space wrap>
                <span>{o.seq}. {o.description}{o.amount != null ? ` (${o.amount})` : ''}</span>
                <Typography.Text type="secondary">{partyName(o.obligorPartyId)} · {t('md.dueOn')} {o.dueOn}</Typography.Text>
                <Tag color={o.status === 'performed' ? 'green' : o.status === 'breached' ? 'red' : o.overdue ? 'orange' : 'default'}>
                  {t(o.status === 'performed' ? 'md.performed' : o.status === 'breached' ? 'md.breached' : o.overdue ? 'md.overdue' : 'md.pending')}
                </Tag>
                {v.may.perform && o.status === 'pending' && <>
                  <Button size="small" onClick={() => perform(o, 'performed')}>{t('md.performed')}</Button>
                  <Button size="small" danger onClick={() => perform(o, 'breached')}>{t('md.breached')}</Button>
                </>}
              </Space>
            </List.Item>
          )} />
          <List size="small" header={t('md.signatures')} dataSource={signers} renderItem={(p) => {
            const signed = current.signatures.find((s) => s.partyId === p.id);
            const who = `${t(`md.role.${p.role}` as MessageKey)} ${p.nameMasked}`;
            return (
              <List.Item data-signer={p.role}>
                <Space wrap>
                  <span>{who}</span>
                  <Tag color={signed ? 'green' : 'default'}>{signed ? t('md.signed') : t('md.unsigned')}</Tag>
                  {signed && (
                    <figure style={{ margin: 0, display: 'inline-flex', alignItems: 'center', gap: 8 }}>
                      <img src={signed.imageUrl} alt={t('md.signatureOf', { label: who })} data-testid="signature-image"
                        style={{ height: 48, maxWidth: 160, objectFit: 'contain', border: '1px solid #f0f0f0', borderRadius: 4, background: '#fff' }} />
                      <figcaption><Typography.Text type="secondary">{formatDateTime(signed.signedAt, locale)}</Typography.Text></figcaption>
                    </figure>
                  )}
                  {current.status === 'draft' && v.may.draftAgreement && <Button size="small" onClick={() => setSigning(p)}>{signed ? t('md.signAgain') : t('md.sign')}</Button>}
                </Space>
              </List.Item>
            );
          }} />
          <NextSteps v={v} unsigned={current.status === 'draft' ? signers.filter((p) => !current.signatures.some((s) => s.partyId === p.id)) : []} onAction={onAction} />
        </div>
      )}
      {v.may.draftAgreement && (!current || current.status === 'draft') && (
        <Form form={form} name="agreement" layout="vertical" style={{ marginTop: 8 }} initialValues={{ followUpOn: dayjs().add(7, 'day'), obligations: [] }}>
          {error && <Alert type="error" showIcon title={error} />}
          <Form.Item name="content" label={t('md.agreementContent')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Row gutter={8}>
            <Col xs={12}><Form.Item name="signedPlace" label={t('md.signedPlace')}><Input /></Form.Item></Col>
            <Col xs={12}><Form.Item name="followUpOn" label={t('md.followUpOn')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item></Col>
          </Row>
          <Form.List name="obligations">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start">
                    <Form.Item name={[f.name, 'description']} label={t('md.obligation')} rules={[{ required: true }]}><Input style={{ width: 240 }} /></Form.Item>
                    <Form.Item name={[f.name, 'obligorPartyId']} label={t('md.obligor')} rules={[{ required: true }]}><Select style={{ width: 120 }} options={v.parties.map((p) => ({ value: p.id, label: p.nameMasked }))} /></Form.Item>
                    <Form.Item name={[f.name, 'dueOn']} label={t('md.dueOn')} rules={[{ required: true }]}><DatePicker /></Form.Item>
                    <Form.Item name={[f.name, 'amount']} label={t('md.amount')}><InputNumber min={0} /></Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.delete')} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ dueOn: dayjs().add(7, 'day'), obligorPartyId: v.parties.find((p) => p.role === 'respondent')?.id })} style={{ marginBottom: 12 }}>{t('md.addObligation')}</Button>
              </>
            )}
          </Form.List>
          <div><Button type="primary" loading={busy} onClick={save}>{t('md.draftAgreement')}</Button></div>
        </Form>
      )}
      <Modal open={!!signing} title={signing ? t('md.signAs', { label: `${t(`md.role.${signing.role}` as MessageKey)} ${signing.nameMasked}` }) : ''} footer={null} onCancel={() => setSigning(null)} destroyOnHidden>
        {signing && <SignaturePad label={t('md.signHere')} busy={busySign} onSave={sign} />}
      </Modal>
    </Card>
  );
}

function FollowUpsCard({ v, onDone }: { v: DisputeView; onDone(): void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm();
  const [open, setOpen] = useState<number | null>(null);
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/follow-ups/${open}`, { method: 'PUT', body: b }), () => { setOpen(null); onDone(); });
  if (!v.followUps.length) return null;
  return (
    <Card size="small" title={t('md.followUps')} style={{ marginTop: 16 }} data-testid="follow-ups">
      <List size="small" dataSource={v.followUps} renderItem={(f) => (
        <List.Item data-follow-up={f.id} data-due={f.due}>
          <Space wrap>
            <Tag color={f.doneAt ? 'green' : f.due ? 'orange' : 'default'}>{f.doneAt ? formatDateTime(f.doneAt, locale) : f.due ? t('md.followUpDue', { date: f.dueOn }) : t('md.followUpPlanned', { date: f.dueOn })}</Tag>
            {f.content && <span>{t(`md.method.${f.method}` as MessageKey)} · {f.content}</span>}
            {!f.doneAt && f.due && v.may.followUp && <Button size="small" type="primary" onClick={() => setOpen(f.id)}>{t('md.recordFollowUp')}</Button>}
          </Space>
        </List.Item>
      )} />
      <Modal open={open != null} title={t('md.recordFollowUp')} onCancel={() => setOpen(null)} onOk={save} confirmLoading={busy} destroyOnHidden>
        <Form form={form} name="followUp" layout="vertical" initialValues={{ method: 'visit', satisfaction: 'satisfied' }}>
          {error && <Alert type="error" showIcon title={error} />}
          <Form.Item name="method" label={t('md.method')}><Select options={['visit', 'phone', 'online'].map((m) => ({ value: m, label: t(`md.method.${m}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="satisfaction" label={t('md.satisfaction')}><Select options={['satisfied', 'basically_satisfied', 'unsatisfied'].map((m) => ({ value: m, label: t(`rating.${m}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="content" label={t('md.content')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function DockingsCard({ v, onDone }: { v: DisputeView; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const { busy, error, save } = useSave<any>(form, (b) => api(`/api/v1/disputes/${v.case.id}/dockings`, { body: { ...b, note: b.note || undefined } }), onDone);
  if (!v.dockings.length && !v.may.dock) return null;
  return (
    <Card size="small" title={t('md.dockings')} style={{ marginTop: 16 }}>
      <List size="small" dataSource={v.dockings} renderItem={(k) => (
        <List.Item><Space wrap><Tag>{t(`md.docking.${k.kind}` as MessageKey)}</Tag>{k.receiver}<Tag>{t(`md.docking.status.${k.status}` as MessageKey)}</Tag>{k.result && <span>{t('md.result')}: {k.result}</span>}{k.petitionCaseId && <Link to={`/petitions/${k.petitionCaseId}`} data-testid="docked-petition">{t('pt.petitions')}{k.petitionCaseNo ? ` ${k.petitionCaseNo}` : ''}</Link>}</Space></List.Item>
      )} />
      {v.may.dock && (
        <Form form={form} name="docking" layout="inline" initialValues={{ kind: 'court' }}>
          {error && <Alert type="error" showIcon title={error} />}
          <Form.Item name="kind" label={t('md.docking.kind')}><Select style={{ width: 180 }} options={['court', 'arbitration', 'petition', 'procuratorate', 'police'].map((k) => ({ value: k, label: t(`md.docking.${k}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="receiver" label={t('md.receiver')} rules={[{ required: true }]}><Input /></Form.Item>
          <Button loading={busy} onClick={save}>{t('md.prepareDocking')}</Button>
        </Form>
      )}
    </Card>
  );
}
