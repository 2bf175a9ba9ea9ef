// The emergency in force where a staff member works (平战转换), as a card at the top of 今日: a street may
// switch the community or grid a worker is in to emergency, and the worker learns it there — the region,
// the reason, the tasks with how many accepted and checked in, and the way to the 平战转换 page.
import { Link } from 'react-router-dom';
import { Alert, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { formatShortDateTime } from '../../lib/format.ts';

interface Active { id: number; regionName: string | null; reason: string; onAt: string; onBy: string; active: boolean }
interface Detail { tasks: Array<{ id: number; title: string; capacity: number; signedUp: number; checkedIn: number }> }

function Tasks({ id }: { id: number }) {
  const { t } = useI18n();
  const d = useApi<Detail>(`/api/v1/participation/mobilisations/${id}`);
  if (!d.data?.tasks.length) return null;
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }} data-testid="emergency-now-tasks">
      {d.data.tasks.map((x) => <li key={x.id}>{x.title} <Typography.Text type="secondary">{t('pt.em.nowTaskCounts', { accepted: x.signedUp, capacity: x.capacity, checked: x.checkedIn })}</Typography.Text></li>)}
    </ul>
  );
}

/** The active emergencies covering the staff member's region (none: nothing shown). */
export function EmergencyNow() {
  const { t, locale } = useI18n();
  const list = useApi<{ items: Active[] }>('/api/v1/participation/mobilisations');
  const active = (list.data?.items ?? []).filter((m) => m.active);
  if (!active.length) return null;
  return (
    <div data-testid="today-emergency">
      {active.map((m) => (
        <Alert key={m.id} type="error" showIcon style={{ marginBottom: 8 }}
          title={<Space wrap size={4}><Tag color="red">{t('pt.em.on')}</Tag><strong>{m.regionName}</strong>{m.reason}</Space>}
          description={<>
            <Typography.Text type="secondary">{t('pt.em.onLine', { at: formatShortDateTime(m.onAt, locale), by: m.onBy })}</Typography.Text>
            <Tasks id={m.id} />
            <Link to="/participation/emergency" data-testid="today-emergency-link">{t('pt.em.nowOpen')}</Link>
          </>} />
      ))}
    </div>
  );
}
