// The grid worker's phone frame (390×844 and the like): a slim header that says whether the phone is
// online (离线 when not) and how many sends wait, the page, and a bottom tab bar within reach of the
// thumb: 今日 · 上报 · 巡查 · 走访 · 我的. Logout lives on 我的, away from the name.
import { useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { Tag } from 'antd';
import { CalendarOutlined, CameraOutlined, CarryOutOutlined, HomeOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { connectLive, useLiveStatus } from '../lib/live.ts';
import { markAppReady } from '../lib/ready.ts';
import { mayOpen } from '../lib/abilities.ts';
import { useOnline, useOutbox } from '../lib/offline.ts';
import { DemoBanner } from './DemoBanner.tsx';

export const PHONE_TABS: Array<{ to: string; icon: React.ReactNode; label: MessageKey }> = [
  { to: '/', icon: <CalendarOutlined />, label: 'fw.tab.today' },
  { to: '/report', icon: <CameraOutlined />, label: 'fw.tab.report' },
  { to: '/patrol', icon: <CarryOutOutlined />, label: 'fw.tab.patrol' },
  { to: '/visit', icon: <HomeOutlined />, label: 'fw.tab.visit' },
  { to: '/me', icon: <UserOutlined />, label: 'fw.tab.me' },
];

/** 离线 / 实时 …, and the sends waiting in the outbox. */
export function ConnectionBadge() {
  const { t } = useI18n();
  const online = useOnline();
  const live = useLiveStatus();
  const waiting = useOutbox().filter((i) => i.state === 'pending').length;
  return (
    <span className="gz-phone-status">
      {online
        ? <Tag color={live === 'live' ? 'green' : live === 'off' ? 'default' : 'orange'} role="status" aria-live="polite" data-testid="live-status">{t(`live.${live}` as MessageKey)}</Tag>
        : <Tag color="red" role="status" aria-live="polite" data-testid="live-status">{t('fw.offline')}</Tag>}
      {waiting > 0 && <Tag color="blue" data-testid="outbox-count">{t('fw.outboxWaiting', { n: waiting })}</Tag>}
    </span>
  );
}

export function PhoneShell() {
  const { t } = useI18n();
  const me = useMe();
  const loc = useLocation();
  useEffect(() => { connectLive(); markAppReady(); }, []);
  const tabs = PHONE_TABS.filter((tab) => mayOpen(me, tab.to));
  const current = tabs.find((tab) => (tab.to === '/' ? loc.pathname === '/' : loc.pathname.startsWith(tab.to)));
  return (
    <div className="gz-phone" data-testid="phone-shell">
      <a className="gz-skip" href="#main">{t('common.skipToContent')}</a>
      <header className="gz-phone-header">
        <span className="gz-brand-mark" aria-hidden>共</span>
        <span className="gz-phone-title">{current ? t(current.label) : t('app.name')}</span>
        <span className="gz-header-spacer" />
        <ConnectionBadge />
        <NavLink to="/me" className="gz-phone-user" aria-label={t('fw.tab.me')}><span data-testid="current-user">{me.displayName.split(' ').at(-1)}</span></NavLink>
      </header>
      {me.demo && <DemoBanner passwordPublic={!!me.passwordPublic} />}
      <main id="main" tabIndex={-1} className="gz-phone-content">
        <Outlet />
      </main>
      <nav className="gz-tabbar" aria-label={t('nav.main')}>
        {tabs.map((tab) => (
          <NavLink key={tab.to} to={tab.to} end={tab.to === '/'} className={({ isActive }) => `gz-tab${isActive ? ' gz-tab-active' : ''}`} data-testid={`tab-${tab.to.replace('/', '') || 'today'}`}>
            <span className="gz-tab-icon" aria-hidden>{tab.icon}</span>
            <span className="gz-tab-label">{t(tab.label)}</span>
          </NavLink>
        ))}
      </nav>
    </div>
  );
}
