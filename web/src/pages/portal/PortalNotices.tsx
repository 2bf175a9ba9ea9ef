// 居务公开 / 村务公开 for anyone, without signing in: the 四议两公开 matters of a community the visitor
// chooses whose resolution is public, with both 公开 steps dated; each opens its notice page.
import { Link } from 'react-router-dom';
import { Empty, List, Tag, theme, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { PortalLayout } from './PortalLayout.tsx';
import { CommunitySelect, useChosenCommunity } from './PortalCommunity.tsx';

interface NoticeItem { id: number; title: string; regionName: string | null; publishedAt: string; resultAt: string | null }

export default function PortalNotices() {
  const { t, locale } = useI18n();
  const [code, choose] = useChosenCommunity();
  const { token } = theme.useToken();
  const list = useApi<{ community: { name: string }; items: NoticeItem[] }>(code ? `/api/v1/participation/notices/${code}` : null);
  const day = (s: string) => new Date(s).toLocaleDateString(locale === 'en' ? 'en' : 'zh-CN', { timeZone: 'Asia/Shanghai' });
  return (
    <PortalLayout>
      <div data-testid="portal-notices">
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('pt.pub.notices')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('pt.pub.noticesIntro')}</Typography.Paragraph>
        <CommunitySelect value={code} onChange={choose} label={t('pt.pub.community')} testId="portal-community" />
        <ErrorNote error={list.error} />
        {!code && <Empty style={{ marginTop: 24 }} description={t('pt.pub.chooseFirst')} />}
        {list.data && (
          <List style={{ marginTop: 12 }} header={<Typography.Text strong>{list.data.community.name}</Typography.Text>} dataSource={list.data.items}
            locale={{ emptyText: t('pt.pub.noNotices') }} renderItem={(n) => (
              <List.Item data-testid="public-notice-item">
                <List.Item.Meta title={<Link to={`/notice/${n.id}`} data-testid="public-notice-link"
                  style={{ display: 'inline-block', minHeight: 44, lineHeight: '44px', color: token.colorLink, textDecoration: 'underline', textUnderlineOffset: 3 }}>{n.title}<span aria-hidden> ›</span></Link>}
                  description={<>
                    <div><Tag color="blue">{t('pt.pub.published', { date: day(n.publishedAt) })}</Tag></div>
                    <div style={{ marginTop: 4 }}>{n.resultAt ? <Tag color="green">{t('pt.pub.result', { date: day(n.resultAt) })}</Tag> : <Tag>{t('pt.pub.resultPending')}</Tag>}</div>
                    {n.regionName && <Typography.Text type="secondary">{n.regionName}</Typography.Text>}
                  </>} />
              </List.Item>
            )} />
        )}
      </div>
    </PortalLayout>
  );
}
