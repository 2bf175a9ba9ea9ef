// The mediator's workbench: disputes in my territory with their risk, the high-risk watch list, follow-up
// visits that are due, and the sessions ahead.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Col, List, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { formatDate, formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { SlaLight } from '../../components/Sla.tsx';
import { RiskTag, type Risk } from './common.tsx';

interface DisputeItem { id: number; caseNo: string; title: string; stateLabel?: { zh: string; en: string }; createdAt: string; risk: Risk | null; organisation?: string | null; mediator?: string | null; sla?: any; isOpen?: boolean }

export default function Workbench() {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const [view, setView] = useState<'all' | 'risk'>('all');
  const list = useApi<{ items: DisputeItem[] }>(view === 'all' ? '/api/v1/disputes?pageSize=50' : '/api/v1/disputes?risk=medium&pageSize=50', [view]);
  const due = useApi<{ items: Array<{ id: number; caseId: number; caseNo: string; title: string; dueOn: string }> }>('/api/v1/disputes/follow-ups');
  const sessions = useApi<{ items: Array<{ id: number; caseId: number; caseNo: string; title: string; scheduledAt: string; place: string | null; onlineLink: string | null }> }>('/api/v1/disputes/sessions');
  useLiveEvents(() => { list.reload(); due.reload(); sessions.reload(); });
  return (
    <div data-testid="mediation-workbench">
      <PageTitle extra={can(me, 'mediation.register') && <Link to="/mediation/new"><Button type="primary" icon={<PlusOutlined />}>{t('md.register')}</Button></Link>}>
        {t('md.workbench')}
      </PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={<Segmented value={view} onChange={(v) => setView(v as 'all' | 'risk')} options={[{ value: 'all', label: t('md.list') }, { value: 'risk', label: t('md.riskList') }]} />}>
            <ErrorNote error={list.error} />
            {/* fits the card at 1366×768 (fixed widths, long titles cut with an ellipsis); narrower, it scrolls inside the card */}
            <Table<DisputeItem> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} pagination={{ pageSize: 20 }}
              tableLayout="fixed" scroll={{ x: 660 }} data-testid="dispute-list"
              onRow={(r) => ({ onClick: () => nav(`/mediation/disputes/${r.id}`), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('case.caseNo'), width: 150, render: (_, r) => <Link to={`/mediation/disputes/${r.id}`}>{r.caseNo}</Link> },
                { title: t('md.title'), dataIndex: 'title', ellipsis: true },
                {
                  title: t('case.state' as MessageKey), width: 118, render: (_, r) => (
                    <Space direction="vertical" size={2}>
                      {r.stateLabel ? <Tag style={{ marginInlineEnd: 0 }}>{pick(r.stateLabel)}</Tag> : null}
                      {r.isOpen && r.sla ? <SlaLight light={r.sla.light} dueAt={r.sla.dueAt} remaining={r.sla.remainingMinutes} /> : null}
                    </Space>
                  ),
                },
                { title: t('md.risk'), width: 104, render: (_, r) => <RiskTag risk={r.risk} /> },
                {
                  title: t('md.org'), width: 120, ellipsis: true, render: (_, r) => (r.organisation ? (
                    <div style={{ lineHeight: 1.3 }}><Typography.Text ellipsis={{ tooltip: r.organisation }}>{r.organisation}</Typography.Text>
                      {r.mediator && <div><Typography.Text type="secondary" ellipsis>{r.mediator}</Typography.Text></div>}</div>
                  ) : '—'),
                },
                { title: t('md.receivedAt'), width: 86, render: (_, r) => <Typography.Text title={formatDateTime(r.createdAt, locale)}>{formatDate(r.createdAt, locale)}</Typography.Text> },
              ]} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('md.dueFollowUps')} data-testid="due-follow-ups">
            <List size="small" dataSource={due.data?.items ?? []} locale={{ emptyText: t('md.noFollowUps') }}
              renderItem={(f) => (
                <List.Item data-case-id={f.caseId}>
                  <Link to={`/mediation/disputes/${f.caseId}`}>{f.caseNo}</Link>
                  <Typography.Text style={{ flex: 1, marginInlineStart: 8 }} ellipsis>{f.title}</Typography.Text>
                  <Tag color="orange">{t('md.followUpDue', { date: f.dueOn })}</Tag>
                </List.Item>
              )} />
          </Card>
          <Card size="small" title={t('md.upcomingSessions')} style={{ marginTop: 16 }}>
            <List size="small" dataSource={sessions.data?.items ?? []} locale={{ emptyText: t('md.noSessions') }}
              renderItem={(s) => (
                <List.Item>
                  <div>
                    <Link to={`/mediation/disputes/${s.caseId}`}>{s.caseNo}</Link> <Typography.Text>{s.title}</Typography.Text>
                    <div><Typography.Text type="secondary">{formatDateTime(s.scheduledAt, locale)} · {s.place ?? s.onlineLink}</Typography.Text></div>
                  </div>
                </List.Item>
              )} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
