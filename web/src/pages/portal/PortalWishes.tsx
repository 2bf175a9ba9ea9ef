// 心愿墙 for anyone, without signing in: the open and fulfilled wishes of a community the visitor chooses,
// wishers masked by the API (as on the residents' wall); signing in takes a wish on.
import { Link } from 'react-router-dom';
import { Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote } from '../../components/Page.tsx';
import type { Wish } from '../participation/shared.ts';
import { PortalLayout } from './PortalLayout.tsx';
import { CommunitySelect, useChosenCommunity } from './PortalCommunity.tsx';

const stateColor: Record<string, string> = { open: 'blue', claimed: 'orange', fulfilled: 'green', confirmed: 'gold' };

export default function PortalWishes() {
  const { t } = useI18n();
  const [code, choose] = useChosenCommunity();
  const wall = useApi<{ community: { name: string }; total: number; open: number; claimed: number; fulfilled: number; items: Wish[] }>(code ? `/api/v1/participation/wall/${code}?pageSize=50` : null);
  return (
    <PortalLayout>
      <div data-testid="portal-wishes">
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('pt.pub.wall')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('pt.pub.wallIntro')}</Typography.Paragraph>
        <CommunitySelect value={code} onChange={choose} label={t('pt.pub.community')} testId="portal-community" />
        <ErrorNote error={wall.error} />
        {!code && <Empty style={{ marginTop: 24 }} description={t('pt.pub.chooseFirst')} />}
        {wall.data && (
          <Typography.Title level={4} style={{ marginTop: 16 }}>{t('pt.wish.wall', { name: wall.data.community.name })}
            <Typography.Text type="secondary" style={{ fontSize: 13, marginLeft: 8 }}><span data-testid="wall-counts">{t('pt.wish.wallCounts', { total: wall.data.total, open: wall.data.open, claimed: wall.data.claimed, fulfilled: wall.data.fulfilled })}</span></Typography.Text>
          </Typography.Title>
        )}
        {wall.data && !wall.data.items.length && <Empty description={t('pt.wish.empty')} />}
        {wall.data?.items.map((w) => (
          <Card key={w.id} size="small" style={{ marginBottom: 8 }} data-testid="wall-wish" data-state={w.state}
            title={<Space wrap><span>{w.title}</span><Tag color={stateColor[w.state]}>{t(`pt.wish.state.${w.state}` as MessageKey)}</Tag></Space>}>
            {w.description && <Typography.Paragraph style={{ marginBottom: 4 }}>{w.description}</Typography.Paragraph>}
            <Typography.Text type="secondary">{t('pt.wish.wisher', { name: w.wisher })}</Typography.Text>
            {w.thanks && <Typography.Paragraph style={{ margin: '4px 0 0' }}>“{w.thanks}”</Typography.Paragraph>}
            {w.state === 'open' && <div style={{ marginTop: 8 }}><Link to="/portal/sign-in?next=/participation"><Button size="middle">{t('pt.pub.signInToClaim')}</Button></Link></div>}
          </Card>
        ))}
      </div>
    </PortalLayout>
  );
}
