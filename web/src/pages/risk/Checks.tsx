// 日排查 · 日点名 · 日报告: a grid worker (or the community) files today's check of a grid on the phone —
// each item fine or not, a problem registered as a hazard at once; the community and the street see which
// grids have not reported; the street's daily report in figures.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, DatePicker, Input, List, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { errorText } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';
import type { Region } from '../../api/types.ts';

interface Item { key: string; zh: string; en: string; hazardCategory?: string }
interface Answer { ok: boolean; note?: string; hazard?: boolean; title?: string; level?: string }

const chinaToday = () => dayjs(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));

/** A filed daily check as the API returns it (GET /api/v1/risk/checks). */
export interface FiledCheck {
  id: number; regionCode: string; regionName: string | null; day: string; answers: Record<string, { ok: boolean; note?: string }>; findings: number;
  hazardCaseIds: number[]; note: string | null; submittedByName: string | null; submittedAt: string; revisions: number;
}

/** What was filed today: each item as answered, the findings' notes, who filed it and when. */
function FiledCheckView({ check, items, onEdit }: { check: FiledCheck; items: Item[]; onEdit(): void }) {
  const { t, pick, locale } = useI18n();
  return (
    <div data-testid="filed-check">
      <Alert type="success" showIcon style={{ marginBottom: 8 }} data-testid="filed-check-status"
        title={t('rk.checks.filedToday', { at: formatDateTime(check.submittedAt, locale), who: check.submittedByName ?? '' })}
        description={check.revisions > 0 ? t('rk.checks.revised', { n: check.revisions }) : undefined} />
      <List size="small" dataSource={items} renderItem={(i) => {
        const a = check.answers[i.key];
        return (
          <List.Item data-item={i.key}>
            <Space direction="vertical" size={0} style={{ width: '100%' }}>
              <Space style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text>{pick({ zh: i.zh, en: i.en })}</Typography.Text>
                {a ? <Tag color={a.ok ? 'green' : 'red'}>{a.ok ? t('rk.checks.ok') : t('rk.checks.notOk')}</Tag> : <Tag>—</Tag>}
              </Space>
              {a?.note && <Typography.Text type="secondary">{a.note}</Typography.Text>}
            </Space>
          </List.Item>
        );
      }} />
      {check.note && <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('rk.checks.note')}：{check.note}</Typography.Paragraph>}
      {check.hazardCaseIds.length > 0 && <Typography.Paragraph>{t('rk.checks.hazardsMade', { n: check.hazardCaseIds.length })}</Typography.Paragraph>}
      <Button block onClick={onEdit} data-testid="edit-check">{t('rk.checks.edit')}</Button>
    </div>
  );
}

function TodayCheck() {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const [grid, setGrid] = useState<string | undefined>(me.role === 'grid_worker' ? me.regionCode : undefined);
  const tpl = useApi<{ items: Item[] }>(grid ? `/api/v1/risk/checks/template?region=${grid}` : null);
  // the day's check as filed (filing again the same day replaces its answers: the API allows editing until the day is over)
  const filed = useApi<{ items: FiledCheck[] }>(grid ? `/api/v1/risk/checks?region=${grid}` : null);
  const check = filed.data?.items.find((c) => c.regionCode === grid) ?? null;
  const [editing, setEditing] = useState(false);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setAnswers(Object.fromEntries((tpl.data?.items ?? []).map((i) => [i.key, check?.answers[i.key] ? { ok: check.answers[i.key].ok, note: check.answers[i.key].note } : { ok: true }])));
    setNote(check?.note ?? '');
  }, [tpl.data, check]);
  const put = (k: string, a: Partial<Answer>) => setAnswers((x) => ({ ...x, [k]: { ...x[k], ...a } }));
  const submit = async () => {
    setBusy(true); setError(null);
    try {
      const items = tpl.data?.items ?? [];
      const hazards = items.filter((i) => !answers[i.key]?.ok && answers[i.key]?.hazard).map((i) => ({
        itemKey: i.key, title: answers[i.key].title?.trim() || pick({ zh: i.zh, en: i.en }), description: answers[i.key].note?.trim() || pick({ zh: i.zh, en: i.en }),
        level: answers[i.key].level ?? 'yellow',
      }));
      const r = await api<{ day: string }>('/api/v1/risk/checks', { body: {
        regionCode: grid, answers: Object.fromEntries(items.map((i) => [i.key, { ok: answers[i.key]?.ok ?? true, ...(answers[i.key]?.note ? { note: answers[i.key].note } : {}) }])),
        ...(note ? { note } : {}), ...(hazards.length ? { hazards } : {}),
      } });
      message.success(t('rk.checks.submitted', { day: r.day }));
      setEditing(false);
      filed.reload();
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Card title={t('rk.checks.today', { day: chinaToday().format('YYYY-MM-DD') })} style={{ marginBottom: 12 }} data-testid="today-check">
      {me.role !== 'grid_worker' && (
        <div style={{ marginBottom: 12, maxWidth: 420 }}><RegionCascader id="check-grid" rootCode={me.regionCode} onChange={(v) => setGrid(v[v.length - 1])} /></div>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <ErrorNote error={filed.error} />
      {check && !editing && <FiledCheckView check={check} items={tpl.data?.items ?? []} onEdit={() => setEditing(true)} />}
      {(!check || editing) && (<>
      <List dataSource={tpl.data?.items ?? []} renderItem={(i) => {
        const a = answers[i.key] ?? { ok: true };
        return (
          <List.Item>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                <Typography.Text>{pick({ zh: i.zh, en: i.en })}</Typography.Text>
                <Radio.Group optionType="button" value={a.ok ? 'ok' : 'no'} onChange={(e) => put(i.key, { ok: e.target.value === 'ok' })}
                  options={[{ value: 'ok', label: t('rk.checks.ok') }, { value: 'no', label: t('rk.checks.notOk') }]} />
              </Space>
              {!a.ok && (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Input.TextArea rows={2} placeholder={t('rk.checks.note')} value={a.note} onChange={(e) => put(i.key, { note: e.target.value })} maxLength={500} />
                  {can(me, 'risk.register.write') && i.hazardCategory && (
                    <Space wrap>
                      <Checkbox checked={!!a.hazard} onChange={(e) => put(i.key, { hazard: e.target.checked })}>{t('rk.checks.register')}</Checkbox>
                      {a.hazard && <Input style={{ width: 220 }} placeholder={t('rk.checks.hazardTitle')} value={a.title} onChange={(e) => put(i.key, { title: e.target.value })} maxLength={200} />}
                      {a.hazard && <Select style={{ width: 100 }} value={a.level ?? 'yellow'} onChange={(v) => put(i.key, { level: v })}
                        options={(['red', 'orange', 'yellow', 'blue'] as const).map((l) => ({ value: l, label: t(`rk.level.${l}`) }))} />}
                    </Space>
                  )}
                </Space>
              )}
            </Space>
          </List.Item>
        );
      }} />
      <Input.TextArea rows={2} placeholder={t('rk.checks.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} style={{ margin: '8px 0' }} />
      <Button type="primary" block onClick={submit} loading={busy} disabled={!grid || !tpl.data || filed.loading}>{t(check ? 'rk.checks.resubmit' : 'rk.checks.submit')}</Button>
      {check && <Button block type="text" onClick={() => setEditing(false)} style={{ marginTop: 4 }}>{t('common.cancel')}</Button>}
      </>)}
    </Card>
  );
}

interface RollCall { day: string; total: number; checked: number; missing: number; items: Array<{ regionCode: string; name: string; checked: boolean; submittedAt: string | null; submittedByName: string | null; findings: number | null; workers: Array<{ displayName: string }> }> }

function RollCallCard() {
  const { t } = useI18n();
  const [day, setDay] = useState<Dayjs>(chinaToday());
  const [missingOnly, setMissingOnly] = useState(true);
  const rc = useApi<RollCall>(`/api/v1/risk/checks/roll-call?day=${day.format('YYYY-MM-DD')}`);
  const items = (rc.data?.items ?? []).filter((i) => !missingOnly || !i.checked);
  return (
    <Card title={t('rk.checks.rollCall')} style={{ marginBottom: 12 }} extra={
      <Space><DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} aria-label={t('rk.checks.day')} />
        <Switch checked={missingOnly} onChange={setMissingOnly} /> {t('rk.checks.missingOnly')}</Space>
    }>
      <ErrorNote error={rc.error} />
      {rc.data && <Typography.Paragraph strong data-testid="roll-call-summary">{t('rk.checks.rollCallOf', { day: rc.data.day, checked: rc.data.checked, total: rc.data.total, missing: rc.data.missing })}</Typography.Paragraph>}
      <Table rowKey="regionCode" size="small" dataSource={items} pagination={{ pageSize: 20, showSizeChanger: false }} columns={[
        { title: t('rk.checks.grid'), dataIndex: 'name' },
        { title: t('rk.status'), dataIndex: 'checked', width: 90, render: (c) => (c ? <Tag color="green">{t('rk.checks.filed')}</Tag> : <Tag color="red">{t('rk.checks.notFiled')}</Tag>) },
        { title: t('rk.checks.findings'), dataIndex: 'findings', width: 90, render: (f) => f ?? '—' },
        { title: t('rk.checks.workers'), key: 'w', render: (_, r) => r.workers.map((w) => w.displayName).join('、') || '—' },
      ]} />
    </Card>
  );
}

function DailyReportCard() {
  const { t } = useI18n();
  const me = useMe();
  const [day, setDay] = useState<Dayjs>(chinaToday());
  const streets = useApi<{ items: Region[] }>(me.regionCode.length === 6 ? `/api/v1/regions/${me.regionCode}/children` : null);
  const [street, setStreet] = useState<string | undefined>(me.regionCode.length === 9 ? me.regionCode : undefined);
  const report = useApi<any>(street ? `/api/v1/risk/daily-report?street=${street}&day=${day.format('YYYY-MM-DD')}` : null);
  const r = report.data;
  return (
    <Card title={t('rk.checks.report')} extra={
      <Space>
        {me.regionCode.length === 6 && <Select style={{ width: 180 }} placeholder={t('rk.checks.street')} value={street} onChange={setStreet}
          options={(streets.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))} />}
        <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} aria-label={t('rk.checks.day')} />
      </Space>
    }>
      <ErrorNote error={report.error} />
      {r && (
        <Space direction="vertical" data-testid="daily-report">
          <Typography.Text strong>{t('rk.checks.reportOf', { street: r.street.name, day: r.day })}</Typography.Text>
          <Typography.Text>{t('rk.checks.r.checks', { ...r.checks, hazards: r.checks.hazardsRegistered })}</Typography.Text>
          <Typography.Text>{t('rk.checks.r.hazards', { ...r.hazards.registered, writtenOff: r.hazards.writtenOff, openRed: r.hazards.open.red, openOrange: r.hazards.open.orange, openYellow: r.hazards.open.yellow, openBlue: r.hazards.open.blue })}</Typography.Text>
          <Typography.Text>{t('rk.checks.r.alerts', r.alerts)}</Typography.Text>
          <Typography.Text>{t('rk.checks.r.cases', r.cases)}</Typography.Text>
          <Typography.Text>{t('rk.checks.r.keyPersons', { n: r.keyPersons.followupsOverdue })}</Typography.Text>
        </Space>
      )}
    </Card>
  );
}

export default function Checks() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <div className="gz-checks">
      <PageTitle>{t('rk.checks.title')}</PageTitle>
      {can(me, 'risk.check.fill') && <TodayCheck />}
      {can(me, 'risk.check.read') && <RollCallCard />}
      {can(me, 'risk.check.read') && me.regionCode.length <= 9 && <DailyReportCard />}
    </div>
  );
}
