// The staff console frame: a menu made for the user's role, language switch, live status, logout.
import { PageLoadBoundary } from './PageLoadBoundary.tsx';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Button, Drawer, Grid, Layout, Menu, Select, Tag, Tooltip, Typography } from 'antd';
import {
  HomeOutlined, InboxOutlined, UnorderedListOutlined, PlusCircleOutlined, EnvironmentOutlined, DashboardOutlined,
  FundProjectionScreenOutlined, TeamOutlined, ApartmentOutlined, PartitionOutlined, SolutionOutlined, CalendarOutlined,
  LogoutOutlined, MenuOutlined, CameraOutlined, IdcardOutlined, HomeFilled, BankOutlined, ToolOutlined, CloudUploadOutlined,
  AuditOutlined, BorderOuterOutlined, ShopOutlined, VideoCameraOutlined, ClusterOutlined, CarryOutOutlined, SafetyOutlined,
  CommentOutlined, FileAddOutlined, BankFilled, BarChartOutlined, MailOutlined, ScheduleOutlined, TeamOutlined as MeetingIcon,
  AlertOutlined, CheckSquareOutlined, ControlOutlined, WifiOutlined, HeartOutlined, ReadOutlined, SettingOutlined,
  MessageOutlined, UsergroupAddOutlined, ThunderboltOutlined, NotificationOutlined, GiftOutlined,
} from '@ant-design/icons';
import { useI18n, type Locale, type MessageKey } from '../i18n/index.tsx';
import { useAuth, useMe } from '../lib/auth.tsx';
import { connectLive, disconnectLive, useLiveStatus } from '../lib/live.ts';
import { markAppReady } from '../lib/ready.ts';
import type { Me } from '../api/types.ts';
import { can, mayOpen } from '../lib/abilities.ts';
import { DemoBanner } from './DemoBanner.tsx';
import { PhoneShell } from './PhoneShell.tsx';
import { startOffline, useOnline } from '../lib/offline.ts';

interface Item { key: string; icon: ReactNode; label: MessageKey }
interface Section { label: MessageKey; items: Item[] }

/** The menu's sections, in the order a day's work meets them; each shows only the pages the user may open. */
const SECTIONS: Section[] = [
  { label: 'nav.section.cases', items: [
    { key: '/', icon: <HomeOutlined />, label: 'nav.home' },
    { key: '/report', icon: <CameraOutlined />, label: 'nav.report' },
    { key: '/cases/new', icon: <PlusCircleOutlined />, label: 'nav.newCase' },
    { key: '/inbox', icon: <InboxOutlined />, label: 'nav.inbox' },
    { key: '/cases', icon: <UnorderedListOutlined />, label: 'nav.cases' },
    { key: '/map', icon: <EnvironmentOutlined />, label: 'nav.map' },
    { key: '/dashboard', icon: <DashboardOutlined />, label: 'nav.dashboard' },
    { key: '/bigscreen', icon: <FundProjectionScreenOutlined />, label: 'nav.bigScreen' },
    { key: '/knowledge', icon: <ReadOutlined />, label: 'nav.knowledge' },
  ] },
  { label: 'nav.section.risk', items: [
    { key: '/risk/alerts', icon: <AlertOutlined />, label: 'nav.riskAlerts' },
    { key: '/risk/register', icon: <SafetyOutlined />, label: 'nav.riskRegister' },
    { key: '/risk/checks', icon: <CheckSquareOutlined />, label: 'nav.riskChecks' },
    { key: '/risk/rules', icon: <ControlOutlined />, label: 'nav.riskRules' },
    { key: '/risk/sensors', icon: <WifiOutlined />, label: 'nav.riskSensors' },
    { key: '/risk/weekly', icon: <CalendarOutlined />, label: 'nav.riskWeekly' },
    { key: '/risk/assessments', icon: <AuditOutlined />, label: 'nav.riskAssessments' },
    { key: '/risk/counselling', icon: <HeartOutlined />, label: 'nav.riskCounselling' },
  ] },
  { label: 'nav.section.registry', items: [
    { key: '/registry/persons', icon: <IdcardOutlined />, label: 'nav.persons' },
    { key: '/registry/houses', icon: <HomeFilled />, label: 'nav.houses' },
    { key: '/registry/organisations', icon: <BankOutlined />, label: 'nav.organisations' },
    { key: '/registry/places', icon: <ShopOutlined />, label: 'nav.places' },
    { key: '/registry/facilities', icon: <ToolOutlined />, label: 'nav.facilities' },
    { key: '/registry/things', icon: <VideoCameraOutlined />, label: 'nav.things' },
    { key: '/registry/imports', icon: <CloudUploadOutlined />, label: 'nav.imports' },
    { key: '/registry/audit', icon: <AuditOutlined />, label: 'nav.revealAudit' },
  ] },
  { label: 'nav.section.grids', items: [
    { key: '/grids', icon: <BorderOuterOutlined />, label: 'nav.grids' },
    { key: '/patrols', icon: <CarryOutOutlined />, label: 'nav.patrols' },
    { key: '/visit/plans', icon: <ScheduleOutlined />, label: 'nav.visitPlans' },
    { key: '/grid-layers', icon: <ClusterOutlined />, label: 'nav.gridLayers' },
  ] },
  { label: 'nav.section.mediation', items: [
    { key: '/mediation', icon: <CommentOutlined />, label: 'nav.mediation' },
    { key: '/mediation/new', icon: <FileAddOutlined />, label: 'nav.mediationNew' },
    { key: '/mediation/orgs', icon: <BankFilled />, label: 'nav.mediationOrgs' },
    { key: '/petitions', icon: <MailOutlined />, label: 'nav.petitions' },
    { key: '/petitions/receptions', icon: <ScheduleOutlined />, label: 'nav.receptions' },
    { key: '/meetings', icon: <MeetingIcon />, label: 'nav.meetings' },
    { key: '/mediation/stats', icon: <BarChartOutlined />, label: 'nav.mediationStats' },
  ] },
  { label: 'nav.section.participation', items: [
    { key: '/participation', icon: <HeartOutlined />, label: 'nav.participation' },
    { key: '/participation/manage', icon: <SettingOutlined />, label: 'nav.participationManage' },
    { key: '/participation/topics', icon: <MessageOutlined />, label: 'nav.ptTopics' },
    { key: '/participation/volunteers', icon: <UsergroupAddOutlined />, label: 'nav.ptVolunteers' },
    { key: '/participation/emergency', icon: <ThunderboltOutlined />, label: 'nav.ptEmergency' },
    { key: '/participation/announcements', icon: <NotificationOutlined />, label: 'nav.ptAnnouncements' },
    { key: '/participation/points', icon: <GiftOutlined />, label: 'nav.ptPoints' },
  ] },
  { label: 'nav.section.admin', items: [
    { key: '/admin/users', icon: <TeamOutlined />, label: 'nav.adminUsers' },
    { key: '/admin/units', icon: <ApartmentOutlined />, label: 'nav.adminUnits' },
    { key: '/admin/categories', icon: <PartitionOutlined />, label: 'nav.adminCategories' },
    { key: '/admin/responsibilities', icon: <SolutionOutlined />, label: 'nav.adminResponsibilities' },
    { key: '/admin/calendar', icon: <CalendarOutlined />, label: 'nav.adminCalendar' },
    { key: '/account/security', icon: <SafetyOutlined />, label: 'nav.accountSecurity' },
  ] },
];

/** The menu, by section: every page the user's abilities open (lib/abilities.ts); empty sections are left out. */
export function sectionsFor(me: Me): Section[] {
  return SECTIONS.map((s) => ({ ...s, items: s.items.filter((i) => mayOpen(me, i.key)) })).filter((s) => s.items.length > 0);
}

/** Every page the user may open, in menu order. */
export function menuFor(me: Me): Item[] {
  return sectionsFor(me).flatMap((s) => s.items);
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
  const online = useOnline();
  if (!online) return <Tag color="red" role="status" aria-live="polite" data-testid="live-status">{t('fw.offline')}</Tag>;
  // only a working stream is green; a dropped one is grey (「已断开，重连中」), never still 实时
  const color = s === 'live' ? 'green' : s === 'connecting' ? 'blue' : 'default';
  return <Tag color={color} role="status" aria-live="polite" data-testid="live-status">{t(`live.${s}` as MessageKey)}</Tag>;
}

/** Below this width field staff get the phone frame (antd's md breakpoint). */
const PHONE_MAX_WIDTH = 767;
/** A window this narrow is no screen a person works on: a print preview's or a capture tool's passing measurement. */
const NO_SCREEN_WIDTH = 200;
/** How long a window must stay on the other side of the line before the frame changes. */
const SETTLE_MS = 400;

/**
 * Whether the window is phone-sized. Changing the frame starts the open page afresh (what was typed, picked or shown is
 * gone), so the answer changes only when the window has stayed on the other side of the line for a moment, and never
 * for a window of (almost) no width.
 */
export function usePhoneSizedWindow(): boolean {
  const [phone, setPhone] = useState(() => window.innerWidth <= PHONE_MAX_WIDTH);
  useEffect(() => {
    let timer: number | undefined;
    const changed = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const width = window.innerWidth;
        if (width >= NO_SCREEN_WIDTH) setPhone(width <= PHONE_MAX_WIDTH);
      }, SETTLE_MS);
    };
    window.addEventListener('resize', changed);
    return () => { window.removeEventListener('resize', changed); window.clearTimeout(timer); };
  }, []);
  return phone;
}

/** Field staff on a phone get the phone frame with its tab bar (components/PhoneShell.tsx). */
export function AppShell() {
  const me = useMe();
  const narrow = usePhoneSizedWindow();
  const field = can(me, 'fieldwork.day');
  // field staff get the service worker: the app offline, and the outbox of reports and visits (lib/offline.ts)
  useEffect(() => { if (field) startOffline(); }, [field]);
  if (narrow && field) return <PhoneShell />;
  return <ConsoleShell />;
}

function ConsoleShell() {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [drawer, setDrawer] = useState(false);
  const sections = sectionsFor(me);
  const items = sections.flatMap((sec) => sec.items);
  useEffect(() => { connectLive(); markAppReady(); }, []);
  const menu = (
    <Menu
      mode="inline"
      theme={narrow ? 'light' : 'dark'}
      selectedKeys={[selectedKey(loc.pathname, items)]}
      items={sections.map((sec) => ({
        type: 'group' as const,
        key: sec.label,
        label: t(sec.label),
        children: sec.items.map((i) => ({ key: i.key, icon: i.icon, label: <Link to={i.key}>{t(i.label)}</Link> })),
      }))}
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
          <Tooltip title={`${me.username} · ${t('password.title')}`}>
            <Link to="/account/password" className="gz-user-link">
              <Typography.Text className="gz-user" ellipsis data-testid="current-user">
                {me.displayName}{!narrow && <span className="gz-role"> · {t(`role.${me.role}` as MessageKey)}</span>}
              </Typography.Text>
            </Link>
          </Tooltip>
          <Button icon={<LogoutOutlined />} onClick={doLogout} aria-label={t('auth.logout')}>{!narrow && t('auth.logout')}</Button>
        </Layout.Header>
        {me.demo && <DemoBanner passwordPublic={!!me.passwordPublic} />}
        <Layout.Content id="main" tabIndex={-1} className="gz-content">
          {/* a page that cannot be loaded says so inside the shell (its menu and live badge stay) */}
          <PageLoadBoundary><Outlet /></PageLoadBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
