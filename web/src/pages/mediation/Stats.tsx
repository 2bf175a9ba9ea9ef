// Statistics of disputes and petitions for my territory: totals, a table by a dimension, the backlog trend
// and the petition figures, with an XLSX export of the same.
import { useMemo, useState } from 'react';
import dayjs from 'dayjs';
import { Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { withQuery } from '../../api/client.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { Chart } from '../../components/chart/index.tsx';

interface Metrics { received: number; resolved: number; concluded: number; backlog: number; highRisk: number; successRate: number | null; resolutionRate: number | null; averageDays: number | null }
interface StatsRes {
  disputes: { region: string; from: string; to: string; total: Metrics; groups: Array<Metrics & { key: string | null; name: string | null }>; trend: Array<{ weekEnding: string; received: number; closed: number; open: number }> };
  petitions: { received: number; byForm: Record<string, number>; firstTime: number; repeats: number; repeatRate: number | null; collective: number; backlogOpen: number; backlogClosed: number; acceptedOnTimeRate: number | null; overdue: number };
}
const pct = (x: number | null) => (x == null ? '—' : `${x}%`);

export default function MediationStats() {
  const { t } = useI18n();
  const [by, setBy] = useState('category');
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().subtract(89, 'day'), dayjs()]);
  const query = { by, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const res = useApi<StatsRes>(withQuery('/api/v1/mediation/stats', query), [by, query.from, query.to]);
  const d = res.data?.disputes;
  const p = res.data?.petitions;
  const trend = useMemo(() => (d ? {
    tooltip: { trigger: 'axis' }, legend: { data: [t('md.s.open'), t('md.s.received'), t('md.s.closed')] },
    xAxis: { type: 'category', data: d.trend.map((w) => w.weekEnding) }, yAxis: { type: 'value' },
    series: [
      { name: t('md.s.open'), type: 'line', data: d.trend.map((w) => w.open) },
      { name: t('md.s.received'), type: 'bar', data: d.trend.map((w) => w.received) },
      { name: t('md.s.closed'), type: 'bar', data: d.trend.map((w) => w.closed) },
    ],
  } : null), [d, t]);
  const groups = useMemo(() => (d ? {
    tooltip: { trigger: 'axis' }, legend: { data: [t('md.s.received'), t('md.s.resolved')] }, grid: { left: 120 },
    yAxis: { type: 'category', data: d.groups.slice(0, 12).map((g) => g.name ?? '—') }, xAxis: { type: 'value' },
    series: [{ name: t('md.s.received'), type: 'bar', data: d.groups.slice(0, 12).map((g) => g.received) }, { name: t('md.s.resolved'), type: 'bar', data: d.groups.slice(0, 12).map((g) => g.resolved) }],
  } : null), [d, t]);
  return (
    <div data-testid="mediation-stats">
      <PageTitle extra={<a href={withQuery('/api/v1/mediation/stats.xlsx', query)}><Button icon={<DownloadOutlined />}>{t('md.export')}</Button></a>}>{t('md.stats')}</PageTitle>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker.RangePicker aria-label={t('md.period')} value={range} allowClear={false} onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])} />
        <Select aria-label={t('md.by')} value={by} onChange={setBy} style={{ width: 160 }} options={['category', 'level', 'org', 'mediator', 'region'].map((k) => ({ value: k, label: t(`md.by.${k}` as MessageKey) }))} />
      </Space>
      <ErrorNote error={res.error} />
      {d && p && (
        <>
          <Row gutter={[16, 16]}>
            {([['md.s.received', d.total.received], ['md.s.resolved', d.total.resolved], ['md.s.successRate', pct(d.total.successRate)], ['md.s.resolutionRate', pct(d.total.resolutionRate)],
              ['md.s.averageDays', d.total.averageDays ?? '—'], ['md.s.backlog', d.total.backlog], ['md.s.highRisk', d.total.highRisk]] as Array<[MessageKey, number | string]>).map(([k, val]) => (
              <Col xs={12} md={6} xl={3} key={k}><Card size="small"><Statistic title={t(k)} value={val} /></Card></Col>
            ))}
          </Row>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}><Card size="small" title={t('md.s.trend')}>{trend && <Chart ariaLabel={t('md.s.trend')} option={trend} />}</Card></Col>
            <Col xs={24} xl={12}><Card size="small" title={t(`md.by.${by}` as MessageKey)}>{groups && <Chart ariaLabel={t(`md.by.${by}` as MessageKey)} option={groups} />}</Card></Col>
          </Row>
          <Card size="small" style={{ marginTop: 16 }}>
            <Table size="small" rowKey={(g) => g.key ?? '-'} dataSource={d.groups} pagination={{ pageSize: 20 }} scroll={{ x: 800 }} columns={[
              { title: t(`md.by.${by}` as MessageKey), render: (_, g) => g.name ?? '—' },
              { title: t('md.s.received'), dataIndex: 'received' }, { title: t('md.s.resolved'), dataIndex: 'resolved' }, { title: t('md.s.concluded'), dataIndex: 'concluded' },
              { title: t('md.s.successRate'), render: (_, g) => pct(g.successRate) }, { title: t('md.s.resolutionRate'), render: (_, g) => pct(g.resolutionRate) },
              { title: t('md.s.averageDays'), render: (_, g) => g.averageDays ?? '—' }, { title: t('md.s.backlog'), dataIndex: 'backlog' }, { title: t('md.s.highRisk'), dataIndex: 'highRisk' },
            ]} />
          </Card>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }} data-testid="petition-stats">
            {([['md.p.received', p.received], ['md.p.letter', p.byForm.letter], ['md.p.visit', p.byForm.visit], ['md.p.call', p.byForm.call], ['md.p.online', p.byForm.online],
              ['md.p.firstTime', p.firstTime], ['md.p.repeats', p.repeats], ['md.p.collective', p.collective], ['md.p.backlogOpen', p.backlogOpen], ['md.p.backlogClosed', p.backlogClosed],
              ['md.p.onTime', pct(p.acceptedOnTimeRate)], ['md.p.overdue', p.overdue]] as Array<[MessageKey, number | string]>).map(([k, val]) => (
              <Col xs={12} md={6} xl={4} key={k}><Card size="small"><Statistic title={t(k)} value={val} /></Card></Col>
            ))}
          </Row>
        </>
      )}
    </div>
  );
}
