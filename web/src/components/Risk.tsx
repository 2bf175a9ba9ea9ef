// Risk prevention pieces shared by pages: level tags, an alert as a sentence, the alert's handling buttons
// and their dialogs (acknowledge, assign, turn into a case, dismiss), and the banner with its sound that
// the dashboard and the big screen show when an alert arrives.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch, Tag, Typography } from 'antd';
import { SoundOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { useMe } from '../lib/auth.tsx';
import { can } from '../lib/abilities.ts';
import { useDictionary, useUnits } from '../lib/lookups.ts';
import { useFormSubmit } from '../lib/forms.ts';
import { useLiveTopic, type LiveEvent } from '../lib/live.ts';
import { formatCivilDate, formatDateTime } from '../lib/format.ts';
import { CategoryPicker } from './Pickers.tsx';

export type Level = 'red' | 'orange' | 'yellow' | 'blue';
export const LEVEL_COLOURS: Record<string, string> = { red: '#d93025', orange: '#ea6a0c', yellow: '#c99a06', blue: '#2563eb' };

export interface AlertItem {
  id: number; regionCode: string; regionName: string | null; ruleId: number; ruleVersion: number; ruleName: string | null; kind: string; level: Level;
  subject: string; facts: Record<string, any>; caseIds: number[]; deviceId: number | null; labelId: number | null; unitId: string | null;
  status: 'open' | 'acknowledged' | 'assigned' | 'converted' | 'dismissed'; responsibleUnitId: string | null; responsibleUnitName: string | null;
  assignedUnitId: string | null; assignedUnitName: string | null; caseId: number | null; caseNo?: string | null; autoConverted?: boolean; triggeredAt: string; raisedAt: string;
  /** the cases it is about, by number (the detail) */
  cases?: Array<{ id: number; caseNo: string | null }>;
  actions?: Array<{ id: number; action: string; actorName: string | null; unitId: string | null; note: string | null; data: any; at: string }>;
}

export function LevelTag({ level }: { level: string }) {
  const { t } = useI18n();
  return <Tag color={LEVEL_COLOURS[level]} data-level={level}>{t(`rk.level.${level}` as MessageKey)}</Tag>;
}

export const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/**
 * A sensor metric by its name (可燃气体浓度（%LEL）, 水位（m）…) from the registry's sensor_metric dictionary,
 * never its key; a metric the dictionary lacks is named as such.
 */
export function useMetricLabel() {
  const { t, locale } = useI18n();
  const dict = useDictionary('sensor_metric');
  return useCallback((metric: string): string => {
    const e = dict?.byCode.get(metric);
    if (e) return locale === 'en' ? (e.en ?? e.zh) : e.zh;
    return dict ? t('rk.metric.unlisted', { metric }) : '…';
  }, [dict, locale, t]);
}

/** What an alert saw, as a sentence in the user's language (the server keeps facts, not sentences). */
export function useAlertSentence() {
  const { t, locale } = useI18n();
  const metric = useMetricLabel();
  return (kind: string, f: Record<string, any>): string => {
    switch (kind) {
      case 'keyword': return t('rk.say.keyword', { caseNo: f.caseNo, words: (f.keywords ?? []).join(locale === 'en' ? ', ' : '、') });
      case 'repeat': return f.by === 'address' ? t('rk.say.repeat.address', f) : t('rk.say.repeat.reporter', f);
      case 'sensor_threshold': return t('rk.say.sensor_threshold', { ...f, metric: metric(String(f.metric)), op: OPS[f.op] ?? f.op });
      case 'sensor_offline': return t('rk.say.sensor_offline', { ...f, lastAt: formatDateTime(f.lastAt, locale) });
      case 'dispute_risk': return t('rk.say.dispute_risk', f);
      case 'followup_overdue': return t('rk.say.followup_overdue', { ...f, dueOn: formatCivilDate(f.dueOn, locale) });
      default: return t(`rk.say.${kind}` as MessageKey, f);
    }
  };
}

/** 转为案件: a hazard case of the alert, in the category chosen. */
export function ConvertDialog({ alert, onClose, onDone }: { alert: AlertItem | null; onClose(): void; onDone?(caseId: number): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const suggested = alert?.kind === 'sensor_offline' ? '600302' : alert?.kind === 'sensor_threshold' ? '600301' : undefined;
  useEffect(() => { if (alert) form.setFieldsValue({ categoryCode: suggested, note: '' }); }, [alert, form, suggested]);
  const { busy, error, save } = useFormSubmit<{ categoryCode: string; note?: string }>(form, async (v) => {
    const r = await api<{ caseId: number; caseNo: string }>(`/api/v1/risk/alerts/${alert!.id}/convert`, { body: { categoryCode: v.categoryCode, ...(v.note ? { note: v.note } : {}) } });
    // the message is drawn outside the router: it navigates through this component's hook
    message.success({
      content: <span data-testid="converted">{t('rk.alerts.converted', { caseNo: r.caseNo })}{' '}
        <a href={`/cases/${r.caseId}`} onClick={(e) => { e.preventDefault(); nav(`/cases/${r.caseId}`); }}>{t('rk.alerts.openCase')}</a></span>,
      duration: 8,
    });
    onDone?.(r.caseId);
    onClose();
  });
  return (
    <Modal open={!!alert} title={t('rk.act.convert')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('rk.act.convert')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item name="categoryCode" htmlFor="convert-category" label={t('rk.alerts.category')} rules={[{ required: true, message: t('rk.alerts.categoryRule') }]}>
          <CategoryPicker id="convert-category" caseType="hazard" />
        </Form.Item>
        <Form.Item name="note" label={t('rk.alerts.note')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
      </Form>
    </Modal>
  );
}

type Step = 'acknowledge' | 'assign' | 'dismiss';

/** The handling steps an alert allows, as buttons with their dialogs. */
export function AlertActions({ alert, onChanged, size }: { alert: AlertItem; onChanged(): void; size?: 'small' | 'middle' }) {
  const { t, pick } = useI18n();
  const me = useMe();
  const units = useUnits();
  const [step, setStep] = useState<Step | null>(null);
  const [converting, setConverting] = useState<AlertItem | null>(null);
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<Record<string, string>>(form, async (v) => {
    await api(`/api/v1/risk/alerts/${alert.id}/${step}`, { body: Object.fromEntries(Object.entries(v).filter(([, x]) => x)) });
    setStep(null);
    onChanged();
  });
  if (!can(me, 'risk.alert.handle') || alert.status === 'converted' || alert.status === 'dismissed') return null;
  const open = (s: Step) => { form.resetFields(); setStep(s); };
  return (
    <>
      <Space wrap size={4}>
        {alert.status !== 'acknowledged' && <Button size={size} onClick={() => open('acknowledge')}>{t('rk.act.acknowledge')}</Button>}
        <Button size={size} onClick={() => open('assign')}>{t('rk.act.assign')}</Button>
        <Button size={size} type="primary" onClick={() => setConverting(alert)} data-testid="convert-alert">{t('rk.act.convert')}</Button>
        <Button size={size} danger onClick={() => open('dismiss')}>{t('rk.act.dismiss')}</Button>
      </Space>
      <Modal open={!!step} title={step ? t(`rk.act.${step}` as MessageKey) : ''} onCancel={() => setStep(null)} onOk={save} confirmLoading={busy} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          {step === 'assign' && (
            <Form.Item name="unitId" label={t('rk.alerts.assignTo')} rules={[{ required: true }]}>
              <Select showSearch optionFilterProp="label" options={[...(units?.values() ?? [])].map((u) => ({ value: u.id, label: pick({ zh: u.name, en: u.nameEn ?? u.name }) }))} />
            </Form.Item>
          )}
          {step === 'dismiss'
            ? <Form.Item name="reason" label={t('rk.alerts.reason')} rules={[{ required: true, whitespace: true, message: t('rk.alerts.reasonRule') }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
            : <Form.Item name="note" label={t('rk.alerts.note')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>}
        </Form>
      </Modal>
      <ConvertDialog alert={converting} onClose={() => setConverting(null)} onDone={onChanged} />
    </>
  );
}

/** A short tone per alert (WebAudio; no sound file). Browsers allow it once the page has had a click. */
function beep(level: string): void {
  try {
    const Ctx = window.AudioContext ?? (window as any).webkitAudioContext;
    if (!Ctx) return;
    const ctx: AudioContext = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = level === 'red' ? 880 : level === 'orange' ? 740 : 620;
    gain.gain.setValueAtTime(0.15, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
    osc.onended = () => void ctx.close();
  } catch { /* no audio here */ }
}

const SOUND_KEY = 'gz.alertSound';

/**
 * The alert banner: every alert.raised the user may see appears at once (the SSE stream), with a tone,
 * until it is viewed, handled or closed; the newest is shown, with how many more arrived.
 */
export function AlertBanner({ dark = false }: { dark?: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const say = useAlertSentence();
  const [queue, setQueue] = useState<AlertItem[]>([]);
  const [sound, setSound] = useState(() => window.localStorage.getItem(SOUND_KEY) !== 'off');
  const [converting, setConverting] = useState<AlertItem | null>(null);
  const soundRef = useRef(sound);
  soundRef.current = sound;
  // a rule that makes cases by itself converts its alert right after raising it: the banner then says so
  // (with the case's number) instead of offering to convert it again, whichever event or answer comes first
  const upsert = (a: AlertItem) => setQueue((q) => {
    const had = q.find((x) => x.id === a.id);
    const keep = had && had.status === 'converted' && a.status !== 'converted' ? had : a;
    return [keep, ...q.filter((x) => x.id !== a.id)].slice(0, 20);
  });
  useLiveTopic('alert.', (e: LiveEvent) => {
    if (!e.alertId) return;
    if (e.topic === 'alert.handled') {
      if (e.status === 'converted' && e.auto) void api<AlertItem>(`/api/v1/risk/alerts/${e.alertId}`).then(upsert, () => undefined);
      else setQueue((q) => q.filter((a) => a.id !== e.alertId || e.status === 'acknowledged' || e.status === 'assigned'));
      return;
    }
    void api<AlertItem>(`/api/v1/risk/alerts/${e.alertId}`).then((a) => {
      upsert(a);
      if (soundRef.current) beep(a.level);
    }, () => undefined);
  });
  if (!can(me, 'risk.read') || !queue.length) return null;
  const a = queue[0];
  const drop = (id: number) => setQueue((q) => q.filter((x) => x.id !== id));
  return (
    <div className={`gz-alert-banner${dark ? ' gz-alert-banner-dark' : ''}`} data-testid="alert-banner" data-level={a.level} role="alert">
      <Alert
        banner
        type={a.level === 'blue' ? 'info' : a.level === 'yellow' ? 'warning' : 'error'}
        style={{ borderLeft: `6px solid ${LEVEL_COLOURS[a.level]}` }}
        title={<span><LevelTag level={a.level} /> {t('rk.banner.title', { rule: a.ruleName ?? t(`rk.kind.${a.kind}` as MessageKey) })}</span>}
        description={
          <Space direction="vertical" size={2}>
            <Typography.Text>{a.regionName ? `${a.regionName} · ` : ''}{say(a.kind, a.facts)}</Typography.Text>
            {a.status === 'converted' && a.caseId && (
              <Typography.Text strong data-testid="banner-auto-case">
                {t('rk.banner.autoCase')} <Link to={`/cases/${a.caseId}`} onClick={() => drop(a.id)}>{a.caseNo ?? t('rk.alerts.openCase')}</Link>
              </Typography.Text>
            )}
            {queue.length > 1 && <Typography.Text type="secondary">{t('rk.banner.more', { n: queue.length - 1 })}</Typography.Text>}
          </Space>
        }
        action={
          <Space wrap>
            <Button size="small" onClick={() => { drop(a.id); nav(`/risk/alerts?id=${a.id}`); }}>{t('rk.banner.view')}</Button>
            {can(me, 'risk.alert.handle') && a.status !== 'converted' && <Button size="small" type="primary" data-testid="banner-convert" onClick={() => setConverting(a)}>{t('rk.act.convert')}</Button>}
            <Switch size="small" checked={sound} checkedChildren={<SoundOutlined />} unCheckedChildren={<SoundOutlined />} aria-label={t('rk.banner.sound')}
              onChange={(v) => { setSound(v); window.localStorage.setItem(SOUND_KEY, v ? 'on' : 'off'); }} />
            <Button size="small" type="text" onClick={() => drop(a.id)} aria-label={t('rk.banner.close')}>✕</Button>
          </Space>
        }
      />
      <ConvertDialog alert={converting} onClose={() => setConverting(null)} onDone={() => drop(a.id)} />
    </div>
  );
}
