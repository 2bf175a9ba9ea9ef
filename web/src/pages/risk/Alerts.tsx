// 预警处置: the alerts of the user's territory or unit, newest first, refreshed live; each opens with what
// it saw, the cases or device it is about, its handling so far and the steps it allows.
import { useSearchParams, Link } from 'react-router-dom';
import { Card, Descriptions, Drawer, Form, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { withQuery } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { AlertActions, LevelTag, useAlertSentence, type AlertItem } from '../../components/Risk.tsx';

const KINDS = ['case_threshold', 'case_surge', 'keyword', 'repeat', 'urgent_overdue', 'unit_overdue_surge', 'returned_repeatedly', 'hotspot',
  'followup_overdue', 'dispute_risk', 'sensor_threshold', 'sensor_offline'];
const STATUS_COLOURS: Record<string, string> = { open: 'red', acknowledged: 'orange', assigned: 'blue', converted: 'green', dismissed: 'default' };

export function AlertDetail({ id, onChanged }: { id: number; onChanged(): void }) {
  const { t, locale } = useI18n();
  const say = useAlertSentence();
  const a = useApi<AlertItem>(`/api/v1/risk/alerts/${id}`);
  useLiveEvents((e) => { if (e.alertId === id) a.reload(); });
  if (!a.data) return <ErrorNote error={a.error} />;
  const x = a.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="alert-detail">
      <Typography.Title level={4} style={{ margin: 0 }}><LevelTag level={x.level} /> {x.ruleName ?? t(`rk.kind.${x.kind}` as MessageKey)}</Typography.Title>
      <Typography.Paragraph style={{ fontSize: 15 }}>{say(x.kind, x.facts)}</Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('rk.status')}><Tag color={STATUS_COLOURS[x.status]}>{t(`rk.status.${x.status}` as MessageKey)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('rk.alerts.raisedAt')}>{formatDateTime(x.raisedAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('rk.alerts.region')}>{x.regionName ?? x.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('rk.kind')}>{t(`rk.kind.${x.kind}` as MessageKey)} · v{x.ruleVersion}</Descriptions.Item>
        <Descriptions.Item label={t('rk.alerts.unit')}>{x.assignedUnitName ?? x.responsibleUnitName ?? '—'}</Descriptions.Item>
        {x.caseIds.length > 0 && (
          <Descriptions.Item label={t('rk.alerts.cases')}>
            <Space wrap data-testid="alert-cases">{(x.cases ?? []).map((c) => <Link key={c.id} to={`/cases/${c.id}`}>{c.caseNo ?? t('rk.alerts.openCase')}</Link>)}</Space>
          </Descriptions.Item>
        )}
        {x.caseId && <Descriptions.Item label={t('rk.alerts.case')}><Link to={`/cases/${x.caseId}`} data-testid="alert-case">{x.caseNo ?? t('rk.alerts.openCase')}</Link>{x.autoConverted && <Tag style={{ marginInlineStart: 8 }}>{t('rk.alerts.byRule')}</Tag>}</Descriptions.Item>}
      </Descriptions>
      <AlertActions alert={x} onChanged={() => { a.reload(); onChanged(); }} />
      <Card size="small" title={t('rk.alerts.history')}>
        <Timeline items={(x.actions ?? []).map((s) => ({
          children: (
            <div>
              <Typography.Text strong>{t(`rk.act.${s.action}` as MessageKey)}</Typography.Text>
              <Typography.Text type="secondary"> · {s.actorName ?? t('rk.alerts.system')} · {formatDateTime(s.at, locale)}</Typography.Text>
              {s.note && <div>{s.note}</div>}
            </div>
          ),
        }))} />
      </Card>
    </Space>
  );
}

export default function Alerts() {
  const { t, locale } = useI18n();
  const say = useAlertSentence();
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? undefined;
  const set = (k: string, v: string | undefined) => { const n = new URLSearchParams(params); if (v) n.set(k, v); else n.delete(k); setParams(n, { replace: true }); };
  const pending = get('pending') ?? 'true';
  // the inbox: what waits for a person, and what a rule turned into a case by itself lately (shown as 已转案件)
  const list = useApi<{ items: AlertItem[]; total: number; pending: number }>(withQuery('/api/v1/risk/alerts', {
    inbox: pending === 'true' ? 'true' : undefined, level: get('level'), kind: get('kind'), pageSize: 100,
  }));
  useLiveEvents(() => list.reload(), 200);
  const open = get('id') ? Number(get('id')) : null;
  return (
    <div>
      <PageTitle>{t('rk.alerts.title')}</PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline">
          <Form.Item label={t('rk.alerts.pendingOnly')}><Switch checked={pending === 'true'} onChange={(v) => set('pending', v ? 'true' : 'false')} /></Form.Item>
          <Form.Item label={t('rk.level')} htmlFor="f-level">
            <Select id="f-level" allowClear style={{ width: 120 }} value={get('level')} onChange={(v) => set('level', v)}
              options={['red', 'orange', 'yellow', 'blue'].map((l) => ({ value: l, label: t(`rk.level.${l}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item label={t('rk.kind')} htmlFor="f-kind">
            <Select id="f-kind" allowClear style={{ width: 180 }} value={get('kind')} onChange={(v) => set('kind', v)}
              options={KINDS.map((k) => ({ value: k, label: t(`rk.kind.${k}` as MessageKey) }))} />
          </Form.Item>
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <Card size="small">
        <Table<AlertItem>
          rowKey="id" size="small" loading={list.loading && !list.data} dataSource={list.data?.items ?? []} pagination={false}
          locale={{ emptyText: t('rk.alerts.empty') }} data-testid="alert-list"
          onRow={(r) => ({ onClick: () => set('id', String(r.id)), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('rk.level'), dataIndex: 'level', width: 80, render: (l) => <LevelTag level={l} /> },
            { title: t('rk.alerts.raisedAt'), dataIndex: 'raisedAt', width: 150, render: (v) => formatDateTime(v, locale) },
            { title: t('rk.alerts.rule'), key: 'rule', width: 200, render: (_, r) => r.ruleName ?? t(`rk.kind.${r.kind}` as MessageKey) },
            { title: t('rk.alerts.what'), key: 'what', render: (_, r) => say(r.kind, r.facts) },
            { title: t('rk.alerts.region'), key: 'region', width: 160, render: (_, r) => r.regionName ?? r.regionCode },
            {
              title: t('rk.status'), dataIndex: 'status', width: 150, render: (s, r) => (
                <Space direction="vertical" size={0} data-status={s}>
                  <Tag color={STATUS_COLOURS[s]}>{t(r.autoConverted ? 'rk.status.autoConverted' : `rk.status.${s}` as MessageKey)}</Tag>
                  {r.caseId && <Link to={`/cases/${r.caseId}`} onClick={(e) => e.stopPropagation()} data-testid="alert-case-no">{r.caseNo ?? t('rk.alerts.openCase')}</Link>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Drawer open={open != null} onClose={() => set('id', undefined)} size={560} title={t('rk.alerts.detail')} destroyOnHidden>
        {open != null && <AlertDetail id={open} onChanged={() => list.reload()} />}
      </Drawer>
    </div>
  );
}
