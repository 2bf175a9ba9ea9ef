// Working hours and holiday/workday overrides (e.g. a local holiday, a make-up workday).
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { errorText } from '../../lib/forms.ts';

interface Cal { hours: { periods: Array<{ start: string; end: string }> }; overrides: Record<string, 'workday' | 'holiday'> }
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export default function Calendar() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const cal = useApi<Cal>('/api/v1/admin/calendar');
  const [periods, setPeriods] = useState<Array<{ start: string; end: string }>>([]);
  const [overrides, setOverrides] = useState<Array<{ date: string; kind: 'workday' | 'holiday' }>>([]);
  const [newDate, setNewDate] = useState<Dayjs | null>(null);
  const [newKind, setNewKind] = useState<'workday' | 'holiday'>('holiday');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!cal.data) return;
    setPeriods(cal.data.hours.periods);
    setOverrides(Object.entries(cal.data.overrides).map(([date, kind]) => ({ date, kind })).sort((a, b) => a.date.localeCompare(b.date)));
  }, [cal.data]);
  const badPeriod = periods.some((p) => !HHMM.test(p.start) || !HHMM.test(p.end));
  const save = async () => {
    setBusy(true); setError(null);
    try {
      await api('/api/v1/admin/calendar', { method: 'PUT', body: { hours: { periods }, overrides: Object.fromEntries(overrides.map((o) => [o.date, o.kind])) } });
      message.success(t('common.saved'));
      cal.reload();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <div>
      <PageTitle extra={<Button type="primary" onClick={save} loading={busy} disabled={badPeriod}>{t('common.save')}</Button>}>{t('nav.adminCalendar')}</PageTitle>
      <ErrorNote error={cal.error} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Card size="small" title={t('cal.hours')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('cal.hoursHint')}</Typography.Paragraph>
        {periods.map((p, i) => (
          <Space key={i} style={{ marginBottom: 8 }} wrap>
            <label htmlFor={`p-start-${i}`}>{t('cal.start')}</label>
            <Input id={`p-start-${i}`} value={p.start} style={{ width: 90 }} status={HHMM.test(p.start) ? undefined : 'error'}
              onChange={(e) => setPeriods(periods.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} />
            <label htmlFor={`p-end-${i}`}>{t('cal.end')}</label>
            <Input id={`p-end-${i}`} value={p.end} style={{ width: 90 }} status={HHMM.test(p.end) ? undefined : 'error'}
              onChange={(e) => setPeriods(periods.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} />
            <Button icon={<DeleteOutlined />} aria-label={t('cal.removePeriod')} onClick={() => setPeriods(periods.filter((_, j) => j !== i))} disabled={periods.length <= 1} />
          </Space>
        ))}
        <div><Button icon={<PlusOutlined />} onClick={() => setPeriods([...periods, { start: '19:00', end: '21:00' }])}>{t('cal.addPeriod')}</Button></div>
      </Card>
      <Card size="small" title={t('cal.overrides')}>
        <Typography.Paragraph type="secondary">{t('cal.overridesHint')}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <label htmlFor="ov-date">{t('cal.date')}</label>
          <DatePicker id="ov-date" value={newDate} onChange={setNewDate} />
          <label htmlFor="ov-kind">{t('cal.kind')}</label>
          <Select id="ov-kind" value={newKind} onChange={setNewKind} style={{ width: 130 }}
            options={[{ value: 'holiday', label: t('cal.holiday') }, { value: 'workday', label: t('cal.workday') }]} />
          <Button icon={<PlusOutlined />} disabled={!newDate} onClick={() => {
            if (!newDate) return;
            const date = newDate.format('YYYY-MM-DD');
            setOverrides([...overrides.filter((o) => o.date !== date), { date, kind: newKind }].sort((a, b) => a.date.localeCompare(b.date)));
            setNewDate(null);
          }}>{t('common.add')}</Button>
        </Space>
        <Table size="small" rowKey="date" dataSource={overrides} pagination={{ pageSize: 15, showSizeChanger: false }} aria-label={t('cal.overrides')}
          columns={[
            { title: t('cal.date'), dataIndex: 'date' },
            { title: t('cal.kind'), dataIndex: 'kind', render: (k) => (k === 'holiday' ? t('cal.holiday') : t('cal.workday')) },
            { title: t('common.actions'), key: 'a', render: (_, o) => <Button size="small" danger onClick={() => setOverrides(overrides.filter((x) => x.date !== o.date))}>{t('common.delete')}</Button> },
          ]} />
      </Card>
    </div>
  );
}
