// 感知设备: the registry's sensors in the user's territory with their latest values, refreshed every few
// seconds (readings arrive far too often for an event each; the list reads the devices' last values,
// which the ingestion keeps within a second); a device's readings as a chart; its alerts.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Badge, Card, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { withQuery } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useDictOptions } from '../registry/shared.tsx';
import { Chart } from '../../components/chart/index.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { LEVEL_COLOURS, LevelTag, OPS, useAlertSentence, useMetricLabel, type AlertItem } from '../../components/Risk.tsx';

const REFRESH_S = 3;

interface Sensor {
  id: number; deviceCode: string; name: string; sensorType: string | null; regionCode: string; address: string | null; status: string;
  lastAt: string | null; values: Record<string, number>; readings: number; online: boolean; silentMinutes: number | null; offlineSince: string | null;
  /** latest values past an enabled threshold rule, the worst level first */
  breaches?: Array<{ metric: string; value: number; op: string; threshold: number; level: string; ruleId: number; ruleName: string }>;
}

function Readings({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const say = useAlertSentence();
  const label = useMetricLabel();
  const r = useApi<{ items: Array<{ at: string; metric: string; value: number }> }>(`/api/v1/risk/sensors/${id}/readings?limit=2000`);
  const alerts = useApi<{ items: AlertItem[] }>(`/api/v1/risk/alerts?deviceId=${id}&pageSize=20`);
  const reload = r.reload;
  useEffect(() => { const h = setInterval(reload, REFRESH_S * 1000); return () => clearInterval(h); }, [reload]);
  const option = useMemo(() => {
    const metrics = [...new Set((r.data?.items ?? []).map((x) => x.metric))];
    return {
      tooltip: { trigger: 'axis' }, legend: { top: 0, data: metrics.map(label) }, grid: { left: 40, right: 16, top: 30, bottom: 30 },
      xAxis: { type: 'time' }, yAxis: { type: 'value' },
      series: metrics.map((m) => ({ name: label(m), type: 'line', showSymbol: false, data: (r.data?.items ?? []).filter((x) => x.metric === m).map((x) => [x.at, x.value]) })),
    };
  }, [r.data, label]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {r.data && !r.data.items.length ? <Typography.Text type="secondary">{t('rk.sensors.noReadings')}</Typography.Text>
        : <Chart ariaLabel={t('rk.sensors.readings')} option={option} height={260} />}
      <Card size="small" title={t('rk.alerts.title')}>
        {(alerts.data?.items ?? []).map((a) => (
          <div key={a.id}><LevelTag level={a.level} /> {formatDateTime(a.raisedAt, locale)} · {say(a.kind, a.facts)}</div>
        ))}
      </Card>
    </Space>
  );
}

export default function Sensors() {
  const { t, locale } = useI18n();
  const me = useMe();
  const metric = useMetricLabel();
  const [params, setParams] = useSearchParams();
  const types = useDictOptions('sensor_type');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [type, setType] = useState<string | undefined>(undefined);
  const list = useApi<{ items: Sensor[]; total: number }>(withQuery('/api/v1/risk/sensors', { q, sensorType: type, limit: 500 }));
  const ingest = useApi<{ mqtt: { configured: boolean; connected: boolean }; stored: number }>(can(me, 'risk.sensor.ingest') ? '/api/v1/risk/sensors/ingest' : null);
  const [tick, setTick] = useState(new Date());
  const reload = list.reload;
  useEffect(() => {
    const h = setInterval(() => { reload(); setTick(new Date()); }, REFRESH_S * 1000);
    return () => clearInterval(h);
  }, [reload]);
  const open = params.get('id') ? Number(params.get('id')) : null;
  const typeName = (code: string | null) => types?.find((o) => o.value === code)?.label ?? code ?? '';
  const mqtt = ingest.data?.mqtt;
  return (
    <div>
      <PageTitle extra={
        <Space>
          {mqtt && <Tag color={mqtt.connected ? 'green' : mqtt.configured ? 'red' : 'default'}>
            {t('rk.sensors.pipeline', { state: t(mqtt.connected ? 'rk.sensors.mqttUp' : mqtt.configured ? 'rk.sensors.mqttDown' : 'rk.sensors.mqttOff') })}</Tag>}
          <Typography.Text type="secondary" role="status" aria-live="polite">{t('rk.sensors.live', { s: REFRESH_S })} · {tick.toLocaleTimeString(locale)}</Typography.Text>
        </Space>
      }>{t('rk.sensors.title')}</PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline">
          <Form.Item label={t('common.search')}><Input.Search allowClear onSearch={(v) => setQ(v.trim() || undefined)} style={{ width: 220 }} /></Form.Item>
          <Form.Item label={t('rk.sensors.type')}><Select allowClear style={{ width: 160 }} value={type} onChange={setType} options={types ?? []} /></Form.Item>
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <Card size="small">
        <Table<Sensor>
          rowKey="id" size="small" dataSource={list.data?.items ?? []} loading={list.loading && !list.data} pagination={{ pageSize: 50, showSizeChanger: false }}
          data-testid="sensor-list" onRow={(r) => ({ onClick: () => setParams({ id: String(r.id) }), style: { cursor: 'pointer' }, 'data-code': r.deviceCode } as any)}
          columns={[
            { title: t('rk.sensors.device'), dataIndex: 'name' },
            { title: t('rk.sensors.code'), dataIndex: 'deviceCode', width: 160 },
            { title: t('rk.sensors.type'), dataIndex: 'sensorType', width: 110, render: (c) => typeName(c) },
            { title: t('rk.sensors.values'), key: 'values', render: (_, r) => <span data-testid={`values-${r.deviceCode}`}>{Object.entries(r.values).map(([m, v]) => `${metric(m)} ${v}`).join(' · ') || '—'}</span> },
            { title: t('rk.sensors.lastAt'), dataIndex: 'lastAt', width: 150, render: (v) => (v ? formatDateTime(v, locale) : t('rk.sensors.never')) },
            {
              title: t('rk.status'), key: 'online', width: 220, render: (_, r) => (
                <Space direction="vertical" size={2}>
                  {r.lastAt == null ? <Badge status="default" text={t('rk.sensors.never')} />
                    : r.online ? <Badge status="success" text={t('rk.sensors.online')} /> : <Badge status="error" text={r.silentMinutes != null ? t('rk.sensors.silent', { m: r.silentMinutes }) : t('rk.sensors.offline')} />}
                  {(r.breaches ?? []).map((x) => (
                    <Tag key={`${x.ruleId}-${x.metric}`} color={LEVEL_COLOURS[x.level]} data-testid={`breach-${r.deviceCode}`} data-level={x.level} title={x.ruleName} style={{ marginInlineEnd: 0 }}>
                      {t('rk.sensors.breach', { metric: metric(x.metric), value: x.value, op: OPS[x.op] ?? x.op, threshold: x.threshold })}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Drawer open={open != null} onClose={() => setParams({})} size={640} title={list.data?.items.find((s) => s.id === open)?.name ?? t('rk.sensors.readings')} destroyOnHidden>
        {open != null && <Readings id={open} />}
      </Drawer>
    </div>
  );
}
