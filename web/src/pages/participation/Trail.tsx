// The moderation trail (审核记录) staff read: who hid, merged, answered or scheduled which wish or topic,
// when, as sentences in the user's language (the API keeps the facts: GET /participation/moderation).
import { Table, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote } from '../../components/Page.tsx';

export interface TrailItem {
  id: number; subject: 'wish' | 'topic'; subjectId: number; title: string | null; regionName: string | null;
  action: 'hide' | 'unhide' | 'merge' | 'answer' | 'schedule'; note: string | null; reason?: string | null; target: { id: number; title: string | null } | null;
  actor: string; at: string;
}

const colour: Record<TrailItem['action'], string> = { hide: 'red', unhide: 'green', merge: 'orange', answer: 'blue', schedule: 'purple' };

/** The trail of the territory, or of one kind of subject; `version` reloads it after an action on the page. */
export function ModerationTrail({ subject, version = 0 }: { subject?: 'wish' | 'topic'; version?: number }) {
  const { t, locale } = useI18n();
  const trail = useApi<{ items: TrailItem[] }>(`/api/v1/participation/moderation?pageSize=100${subject ? `&subject=${subject}` : ''}`, [version]);
  const what = (m: TrailItem) => {
    if (m.action === 'merge') return t('pt.trail.merged', { target: m.target?.title ?? t('pt.trail.unknown') });
    if (m.action === 'schedule') return t('pt.trail.scheduled');
    return t(`pt.trail.action.${m.action}` as MessageKey);
  };
  return (
    <>
      <ErrorNote error={trail.error} />
      <Table<TrailItem> size="small" rowKey="id" loading={trail.loading} dataSource={trail.data?.items ?? []} data-testid="moderation-trail"
        pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={{ emptyText: t('pt.trail.empty') }} columns={[
          { title: t('pt.trail.at'), width: 150, render: (_, m) => formatDateTime(m.at, locale) },
          { title: t('pt.trail.who'), dataIndex: 'actor', width: 120 },
          { title: t('pt.trail.what'), width: 200, render: (_, m) => <Tag color={colour[m.action]}>{what(m)}</Tag> },
          { title: t('pt.trail.subject'), render: (_, m) => <>
            <Tag>{t(m.subject === 'wish' ? 'pt.trail.wish' : 'pt.trail.topic')}</Tag>{m.title ?? t('pt.trail.unknown')}
            {m.regionName && <Typography.Text type="secondary"> · {m.regionName}</Typography.Text>}
          </> },
          // the reason (a label) and the note (free text) on lines of their own, so they do not run together
          { title: t('pt.trail.note'), render: (_, m) => <>
            {m.reason && <div><Tag data-testid="trail-reason">{t(`pt.hide.reason.${m.reason}` as MessageKey)}</Tag></div>}
            {m.note ? <div className="gz-typed" data-testid="trail-note">{m.reason ? t('pt.trail.noteText', { note: m.note }) : m.note}</div> : !m.reason && '—'}
          </> },
        ]} />
    </>
  );
}
