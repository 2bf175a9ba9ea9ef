// 村务公开栏: the public notice of a 四议两公开 procedure, without signing in — the matter, each step with its
// date, attendance and count, the resolution and the result of its implementation. In the portal's frame,
// with a way back to the community's 居务公开 list.
import { Link, useParams } from 'react-router-dom';
import { Card, Steps, Typography } from 'antd';
import { PortalLayout } from '../portal/PortalLayout.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote } from '../../components/Page.tsx';

interface NoticeStep { seq: number; label: { zh: string; en: string }; done: boolean; heldAt: string | null; expected: number | null; present: number | null;
  votesFor: number | null; votesAgainst: number | null; abstentions: number | null; text: string | null }

export default function Notice() {
  const { t, pick, locale } = useI18n();
  const { id } = useParams();
  const n = useApi<{ title: string; description: string | null; regionCode: string; regionName: string | null; steps: NoticeStep[] }>(`/api/v1/participation/procedures/${Number(id)}/notice`);
  const day = (s: string | null) => (s ? new Date(s).toLocaleDateString(locale === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) : '');
  return (
    <PortalLayout>
    <div style={{ maxWidth: 640, margin: '0 auto' }} data-testid="public-notice">
      <Link to={n.data ? `/portal/notices?c=${n.data.regionCode.slice(0, 12)}` : '/portal/notices'} data-testid="notice-back"
        style={{ display: 'inline-flex', alignItems: 'center', minHeight: 44 }}>‹ {t('pt.notice.back')}</Link>
      <div><Typography.Text type="secondary">{t('pt.notice.title')}{n.data?.regionName ? ` · ${n.data.regionName}` : ''}</Typography.Text></div>
      <ErrorNote error={n.error} />
      {n.data && (
        <>
          <Typography.Title level={2}>{n.data.title}</Typography.Title>
          {n.data.description && <Typography.Paragraph className="gz-typed">{n.data.description}</Typography.Paragraph>}
          <Card size="small" title={t('pt.notice.steps')}>
            <Steps direction="vertical" size="small" current={n.data.steps.filter((s) => s.done).length}
              items={n.data.steps.map((s) => ({
                title: pick(s.label),
                status: s.done ? 'finish' : 'wait',
                description: s.done ? (
                  <div data-testid="notice-step">
                    <div>{day(s.heldAt)}{s.expected != null && ` · ${t('pt.proc.quorum', { present: s.present, expected: s.expected })} · ${t('pt.proc.votes', { for: s.votesFor, against: s.votesAgainst, abstain: s.abstentions })}`}</div>
                    {s.text && <Typography.Paragraph className="gz-typed" style={{ marginBottom: 0 }}>{s.text}</Typography.Paragraph>}
                  </div>
                ) : t('pt.notice.notDone'),
              }))} />
          </Card>
        </>
      )}
    </div>
    </PortalLayout>
  );
}
