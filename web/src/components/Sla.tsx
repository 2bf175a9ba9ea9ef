// SLA light (green / yellow ≥80 % used / red overdue) with text, never colour alone.
import { Tag, Tooltip } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { formatDateTime, formatMinutes } from '../lib/format.ts';
import type { CaseView, Light } from '../api/types.ts';
import { stateColor, useWorkflows } from '../lib/workflows.ts';

export function SlaLight({ light, dueAt, remaining, paused = false, showDue = false, compact = false }: {
  light: Light; dueAt?: string | null; remaining?: number | null; paused?: boolean; showDue?: boolean;
  /** a list's narrow column: a paused clock says only 计时暂停 (the time left is in the tooltip and the label) */
  compact?: boolean;
}) {
  const { t, locale } = useI18n();
  const key = paused ? 'paused' : light ?? 'none';
  // a paused clock keeps the time it had left: say so, rather than "no deadline"
  const text = paused && remaining != null && !compact ? t('sla.pausedLeft', { left: formatMinutes(remaining, locale) }) : t(`sla.${key}` as 'sla.green');
  const title = paused ? t('sla.pausedHint') + (compact && remaining != null ? ` · ${t('sla.pausedLeft', { left: formatMinutes(remaining, locale) })}` : '') : dueAt ? t('sla.dueAt', { at: formatDateTime(dueAt, locale) }) + (remaining != null ? ` · ${t('sla.remaining', { left: formatMinutes(remaining, locale) })}` : '') : t('sla.noDeadline');
  return (
    <Tooltip title={title}>
      <span className={`gz-light gz-light-${key}`} data-light={key} aria-label={`${t('sla.label')}: ${text}. ${title}`}>
        <span className="gz-light-dot" aria-hidden />
        <span>{text}</span>
        {showDue && dueAt && <span className="gz-due">{formatDateTime(dueAt, locale)}</span>}
      </span>
    </Tooltip>
  );
}

/** The state's label, coloured by what the state is in its type's definition. */
export function StateTag({ c }: { c: Pick<CaseView, 'state' | 'stateLabel' | 'type' | 'workflowVersion'> }) {
  const { pick } = useI18n();
  const workflows = useWorkflows();
  return <Tag color={stateColor(workflows?.state(c, c.state))} data-state={c.state}>{pick(c.stateLabel, c.state)}</Tag>;
}
