// 我的: who is logged in and where they work, the language, links to the inbox, finding residents and
// the account; logging out sits at the bottom, away from the name.
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, List, Typography } from 'antd';
import { InboxOutlined, KeyOutlined, LogoutOutlined, SafetyOutlined, SearchOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useAuth, useMe } from '../../lib/auth.tsx';
import { disconnectLive } from '../../lib/live.ts';
import { mayOpen } from '../../lib/abilities.ts';
import { useApi } from '../../lib/useApi.ts';
import { LanguageSwitch } from '../../components/AppShell.tsx';
import { OutboxList } from './Outbox.tsx';
import type { Region } from '../../api/types.ts';

export default function Me() {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useAuth();
  const nav = useNavigate();
  const region = useApi<Region>('/api/v1/regions/mine');
  const links: Array<{ to: string; icon: React.ReactNode; label: MessageKey }> = [
    { to: '/inbox', icon: <InboxOutlined />, label: 'nav.inbox' },
    { to: '/residents', icon: <SearchOutlined />, label: 'fw.residents.title' },
    { to: '/patrols?mine=true', icon: <UnorderedListOutlined />, label: 'nav.patrols' },
    { to: '/account/password', icon: <KeyOutlined />, label: 'password.title' },
    { to: '/account/security', icon: <SafetyOutlined />, label: 'nav.accountSecurity' },
  ];
  const doLogout = async () => { disconnectLive(); await logout(); nav('/login'); };
  return (
    <div className="gz-mobile-form" data-testid="me-page">
      <Card size="small" style={{ marginBottom: 10 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="me-name">{me.displayName}</Typography.Title>
        <Typography.Text type="secondary">{t(`role.${me.role}` as MessageKey)} · {region.data?.name ?? ''} · {me.username}</Typography.Text>
        <div style={{ marginTop: 10, display: 'flex', alignItems: 'center', gap: 8 }}>{t('common.language')} <LanguageSwitch /></div>
      </Card>
      <OutboxList />
      <Card size="small" style={{ marginBottom: 24 }}>
        <List dataSource={links.filter((l) => mayOpen(me, l.to.split('?')[0]))} renderItem={(l) => (
          <List.Item style={{ padding: 0 }}><Link to={l.to} className="gz-row-link" style={{ gap: 8, width: '100%' }}>{l.icon}{t(l.label)}</Link></List.Item>
        )} />
      </Card>
      <Button danger block size="large" icon={<LogoutOutlined />} onClick={() => void doLogout()} data-testid="logout">{t('auth.logout')}</Button>
    </div>
  );
}
