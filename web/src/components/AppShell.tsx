// The staff console frame: a menu made for the user's role, language switch, live status, logout.
import { useEffect, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Drawer, Grid, Layout, Menu, Select, Tag, Tooltip, Typography } from 'antd';
import {
  HomeOutlined, InboxOutlined, UnorderedListOutlined, PlusCircleOutlined, EnvironmentOutlined, DashboardOutlined,
  FundProjectionScreenOutlined, TeamOutlined, ApartmentOutlined, PartitionOutlined, SolutionOutlined, CalendarOutlined,
  LogoutOutlined, MenuOutlined, CameraOutlined, IdcardOutlined, HomeFilled, BankOutlined, ToolOutlined, CloudUploadOutlined,
  AuditOutlined, BorderOuterOutlined, ShopOutlined, VideoCameraOutlined, ClusterOutlined, CarryOutOutlined, SafetyOutlined,
} from '@ant-design/icons';
import { useI18n, type Locale, type MessageKey } from '../i18n/index.tsx';
import { useAuth, useMe } from '../lib/auth.tsx';
import { connectLive, disconnectLive, useLiveStatus } from '../lib/live.ts';
import { markAppReady } from '../lib/ready.ts';
import type { Role } from '../api/types.ts';

interface Item { key: string; icon: ReactNode; label: MessageKey; roles: Role[] | 'all' }

const ITEMS: Item[] = [
  { key: '/', icon: <HomeOutlined />, label: 'nav.home', roles: 'all' },
  { key: '/report', icon: <CameraOutlined />, label: 'nav.report', roles: ['grid_worker', 'community', 'resident'] },
  { key: '/cases/new', icon: <PlusCircleOutlined />, label: 'nav.newCase', roles: ['hotline_operator', 'street_centre', 'command_centre'] },
  { key: '/inbox', icon: <InboxOutlined />, label: 'nav.inbox', roles: ['command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident'] },
  { key: '/cases', icon: <UnorderedListOutlined />, label: 'nav.cases', roles: 'all' },
  { key: '/map', icon: <EnvironmentOutlined />, label: 'nav.map', roles: ['command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'admin'] },
  { key: '/dashboard', icon: <DashboardOutlined />, label: 'nav.dashboard', roles: ['command_centre', 'street_centre', 'community', 'hotline_operator', 'admin'] },
  { key: '/bigscreen', icon: <FundProjectionScreenOutlined />, label: 'nav.bigScreen', roles: ['command_centre', 'street_centre'] },
  { key: '/registry/persons', icon: <IdcardOutlined />, label: 'nav.persons', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/houses', icon: <HomeFilled />, label: 'nav.houses', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/organisations', icon: <BankOutlined />, label: 'nav.organisations', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/places', icon: <ShopOutlined />, label: 'nav.places', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/facilities', icon: <ToolOutlined />, label: 'nav.facilities', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/things', icon: <VideoCameraOutlined />, label: 'nav.things', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/imports', icon: <CloudUploadOutlined />, label: 'nav.imports', roles: ['command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/registry/audit', icon: <AuditOutlined />, label: 'nav.revealAudit', roles: ['admin', 'command_centre'] },
  { key: '/grids', icon: <BorderOuterOutlined />, label: 'nav.grids', roles: ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/patrols', icon: <CarryOutOutlined />, label: 'nav.patrols', roles: ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker'] },
  { key: '/grid-layers', icon: <ClusterOutlined />, label: 'nav.gridLayers', roles: ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'department'] },
  { key: '/admin/users', icon: <TeamOutlined />, label: 'nav.adminUsers', roles: ['admin'] },
  { key: '/admin/units', icon: <ApartmentOutlined />, label: 'nav.adminUnits', roles: ['admin'] },
  { key: '/admin/categories', icon: <PartitionOutlined />, label: 'nav.adminCategories', roles: ['admin'] },
  { key: '/admin/responsibilities', icon: <SolutionOutlined />, label: 'nav.adminResponsibilities', roles: ['admin'] },
  { key: '/admin/calendar', icon: <CalendarOutlined />, label: 'nav.adminCalendar', roles: ['admin'] },
  { key: '/account/security', icon: <SafetyOutlined />, label: 'nav.accountSecurity', roles: ['admin', 'command_centre'] },
];

export function menuFor(role: Role): Item[] {
  return ITEMS.filter((i) => i.roles === 'all' || i.roles.includes(role));
}

function selectedKey(pathname: string, items: Item[]): string {
  if (pathname === '/cases/new') return '/cases/new';
  if (pathname.startsWith('/cases/')) return '/cases';
  if (/^\/registry\/(buildings|rooms|households)/.test(pathname)) return '/registry/houses';
  const hit = items.filter((i) => i.key !== '/' && pathname.startsWith(i.key)).sort((a, b) => b.key.length - a.key.length)[0];
  return hit?.key ?? '/';
}

export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <Select<Locale>
      aria-label={t('common.language')}
      size="small"
      value={locale}
      onChange={setLocale}
      style={{ width: 104 }}
      className={dark ? 'gz-lang-dark' : undefined}
      options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]}
    />
  );
}

function LiveBadge() {
  const { t } = useI18n();
  const s = useLiveStatus();
  const color = s === 'live' ? 'green' : s === 'off' ? 'default' : 'orange';
  return <Tag color={color} role="status" aria-live="polite" data-testid="live-status">{t(`live.${s}` as MessageKey)}</Tag>;
}

export function AppShell() {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [drawer, setDrawer] = useState(false);
  const items = menuFor(me.role);
  useEffect(() => { connectLive(); markAppReady(); }, []);
  const menu = (
    <Menu
      mode="inline"
      theme={narrow ? 'light' : 'dark'}
      selectedKeys={[selectedKey(loc.pathname, items)]}
      items={items.map((i) => ({ key: i.key, icon: i.icon, label: <Link to={i.key}>{t(i.label)}</Link> }))}
      onClick={() => setDrawer(false)}
    />
  );
  const doLogout = async () => {
    disconnectLive();
    await logout();
    nav('/login');
  };
  return (
    <Layout className="gz-shell">
      <a className="gz-skip" href="#main">{t('common.skipToContent')}</a>
      {!narrow && (
        <Layout.Sider width={208} className="gz-sider">
          <div className="gz-brand"><span className="gz-brand-mark" aria-hidden>共</span>{t('app.name')}</div>
          <nav aria-label={t('nav.main')}>{menu}</nav>
        </Layout.Sider>
      )}
      {narrow && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} title={t('app.name')}>
          <nav aria-label={t('nav.main')}>{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="gz-header">
          {narrow && <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.openMenu')} onClick={() => setDrawer(true)} />}
          {narrow && <span className="gz-header-title">{t('app.name')}</span>}
          <span className="gz-header-spacer" />
          <LiveBadge />
          <LanguageSwitch />
          <Tooltip title={me.username}>
            <Typography.Text className="gz-user" ellipsis data-testid="current-user">
              {me.displayName}{!narrow && <span className="gz-role"> · {t(`role.${me.role}` as MessageKey)}</span>}
            </Typography.Text>
          </Tooltip>
          <Button icon={<LogoutOutlined />} onClick={doLogout} aria-label={t('auth.logout')}>{!narrow && t('auth.logout')}</Button>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} className="gz-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
