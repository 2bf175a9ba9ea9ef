// The command centre's indicators, each saying its period and the count behind it (docs/kpi.md):
// 今日受理 12（今日）, 超期在办 3（当前 · 在办40件中）, 按时办结率 92.3%（近14天 · 120/130）…
// The rates carry their formula in a tooltip.
import { Card, Statistic, Tooltip } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { formatPercent } from '../lib/format.ts';
import type { Kpi, Overview } from '../api/types.ts';

/** The indicators by key; the key is also the card's data-kpi attribute. */
export type KpiKey = 'kpi.todayIntake' | 'kpi.todayClosed' | 'kpi.open' | 'kpi.overdue'
  | 'kpi.onTimeRate' | 'kpi.responseRate' | 'kpi.resolutionRate' | 'kpi.satisfaction';

export interface KpiItem { key: KpiKey; label: MessageKey; value: string | number; note: string; red?: boolean; formula?: MessageKey }

type T = (k: MessageKey, vars?: Record<string, string | number>) => string;

export function kpiItems(o: Overview | null, t: T): Record<KpiKey, KpiItem> {
  const none = '—';
  const rate = (key: KpiKey, label: MessageKey, k: Kpi | undefined, formula: MessageKey, noteKey: MessageKey = 'kpi.notePeriod'): KpiItem => ({
    key, label, formula, value: formatPercent(k?.rate),
    note: o && k ? t(noteKey, { n: o.period.days, count: k.count, of: k.of }) : none,
  });
  return {
    'kpi.todayIntake': { key: 'kpi.todayIntake', label: 'kpi.todayIntake', value: o?.today.intake ?? none, note: t('kpi.noteToday') },
    'kpi.todayClosed': { key: 'kpi.todayClosed', label: 'kpi.todayClosed', value: o?.today.closed ?? none, note: t('kpi.noteToday') },
    'kpi.open': { key: 'kpi.open', label: 'kpi.open', value: o?.open ?? none, note: t('kpi.noteNow') },
    'kpi.overdue': {
      key: 'kpi.overdue', label: 'kpi.overdueOpen', value: o?.overdue ?? none, red: true,
      note: o ? t('kpi.noteOverdue', { open: o.open }) : t('kpi.noteNow'),
    },
    'kpi.onTimeRate': rate('kpi.onTimeRate', 'kpi.onTimeRate', o?.rates.onTime, 'kpi.formulaOnTime', 'kpi.noteOnTime'), // of the closures only (docs/kpi.md)
    'kpi.responseRate': rate('kpi.responseRate', 'kpi.responseRate', o?.rates.response, 'kpi.formulaResponse'),
    'kpi.resolutionRate': rate('kpi.resolutionRate', 'kpi.resolutionRate', o?.rates.resolution, 'kpi.formulaResolution'),
    'kpi.satisfaction': rate('kpi.satisfaction', 'kpi.satisfaction', o?.rates.satisfaction, 'kpi.formulaSatisfaction'),
  };
}

/** A label with its formula behind an (i), reachable by keyboard. */
export function KpiLabel({ item }: { item: KpiItem }) {
  const { t } = useI18n();
  return (
    <span>
      {t(item.label)}
      {item.formula && (
        <Tooltip title={t(item.formula)}>
          <InfoCircleOutlined className="gz-kpi-info" tabIndex={0} aria-label={t(item.formula)} />
        </Tooltip>
      )}
    </span>
  );
}

/** The value with its period and count, as a statistic (inside a card of the console's pages). */
export function KpiStat({ item }: { item: KpiItem }) {
  return (
    <div className="gz-kpi-stat" data-kpi={item.key}>
      <Statistic title={<KpiLabel item={item} />} value={item.value} styles={{ content: item.red ? { color: '#d93025' } : undefined }} />
      <div className="gz-kpi-note">{item.note}</div>
    </div>
  );
}

export function KpiCard({ item }: { item: KpiItem }) {
  return <Card size="small" className="gz-kpi"><KpiStat item={item} /></Card>;
}
