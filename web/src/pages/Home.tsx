// The landing page, made for the user's role and level: what waits for them, and the next step.
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Col, Row, Statistic, Typography } from 'antd';
import { KpiCard, kpiItems, type KpiKey } from '../components/Kpi.tsx';
import { CameraOutlined, DashboardOutlined, FundProjectionScreenOutlined, HeartOutlined, InboxOutlined, NotificationOutlined, PlusCircleOutlined, EnvironmentOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { CaseTable } from '../components/CaseTable.tsx';
import { PageTitle } from '../components/Page.tsx';
import type { CaseList, Overview, Region } from '../api/types.ts';
import { can } from '../lib/abilities.ts';
import Today from './fieldwork/Today.tsx';
import { SetupChecklist } from './admin/SetupChecklist.tsx';

function Count({ label, filter, tone }: { label: MessageKey; filter: string; tone?: 'red' }) {
  const { t } = useI18n();
  const r = useApi<CaseList>(`/api/v1/cases?inbox=true${filter ? `&${filter}` : ''}&count=true&pageSize=1`);
  useLiveEvents(() => r.reload(), 800);
  return (
    <Card size="small" className="gz-kpi">
      <Link to={`/inbox${filter ? `?${filter}` : ''}`} aria-label={t(label)}>
        <Statistic title={t(label)} value={r.data?.total ?? '—'} styles={{ content: tone === 'red' ? { color: '#d93025' } : undefined }} />
      </Link>
    </Card>
  );
}

/** The region's figures of the last seven days, each saying its period and the count behind it (as on the dashboard). */
function Overview({ regionCode }: { regionCode: string }) {
  const { t } = useI18n();
  const r = useApi<Overview>(`/api/v1/stats/overview?region=${regionCode}&days=7`);
  useLiveEvents(() => r.reload(), 2000);
  const kpis = kpiItems(r.data, t);
  const shown: KpiKey[] = ['kpi.todayIntake', 'kpi.open', 'kpi.overdue', 'kpi.todayClosed', 'kpi.onTimeRate', 'kpi.satisfaction'];
  return (
    <Row gutter={[12, 12]}>
      {shown.map((k) => <Col xs={12} md={8} xl={4} key={k}><KpiCard item={kpis[k]} /></Col>)}
    </Row>
  );
}

function InboxPreview() {
  const { t } = useI18n();
  const r = useApi<CaseList>('/api/v1/cases?inbox=true&pageSize=5&sort=due_at');
  useLiveEvents(() => r.reload());
  return (
    <Card title={t('home.waitingForMe')} extra={<Link to="/inbox">{t('home.openInbox')}</Link>} size="small">
      <CaseTable items={r.data?.items ?? []} loading={r.loading} caption={t('home.waitingForMe')} />
    </Card>
  );
}

function Shortcut({ to, icon, label, primary }: { to: string; icon: React.ReactNode; label: MessageKey; primary?: boolean }) {
  const { t } = useI18n();
  const nav = useNavigate();
  return <Button type={primary ? 'primary' : 'default'} size="large" icon={icon} onClick={() => nav(to)} block className="gz-big-button">{t(label)}</Button>;
}

export default function Home() {
  const { t } = useI18n();
  const me = useMe();
  const region = useApi<Region>('/api/v1/regions/mine');
  const where = region.data?.name ?? '';
  const roleName = t(`role.${me.role}` as MessageKey);

  const greeting = (
    <PageTitle>{t('home.greeting', { name: me.displayName })}</PageTitle>
  );
  const sub = <Typography.Paragraph type="secondary" data-testid="home-scope">{t('home.scope', { role: roleName, region: where })}</Typography.Paragraph>;

  switch (me.role) {
    case 'command_centre': case 'street_centre':
      return (
        <div data-testid={`home-${me.role}`}>
          {greeting}{sub}
          <Overview regionCode={me.regionCode} />
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={24} md={8}><Shortcut to="/dashboard" icon={<DashboardOutlined />} label="nav.dashboard" primary /></Col>
            <Col xs={24} md={8}><Shortcut to="/bigscreen" icon={<FundProjectionScreenOutlined />} label="nav.bigScreen" /></Col>
            <Col xs={24} md={8}><Shortcut to="/map" icon={<EnvironmentOutlined />} label="nav.map" /></Col>
          </Row>
          <div style={{ marginTop: 16 }}><InboxPreview /></div>
        </div>
      );
    case 'hotline_operator':
      return (
        <div data-testid="home-hotline_operator">
          {greeting}{sub}
          <Row gutter={[12, 12]}>
            <Col xs={24} md={8}><Shortcut to="/cases/new" icon={<PlusCircleOutlined />} label="home.newTicket" primary /></Col>
            <Col xs={12} md={4}><Count label="home.toAccept" filter="group=intake" /></Col>
            <Col xs={12} md={4}><Count label="home.toDispatch" filter="group=dispatch" /></Col>
            <Col xs={12} md={4}><Count label="home.toVerify" filter="group=review" /></Col>
            <Col xs={12} md={4}><Count label="home.toCallBack" filter="group=callback" /></Col>
          </Row>
          <div style={{ marginTop: 16 }}><InboxPreview /></div>
        </div>
      );
    case 'department':
      return (
        <div data-testid="home-department">
          {greeting}{sub}
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}><Count label="home.toSign" filter="group=sign" /></Col>
            <Col xs={12} md={6}><Count label="home.handling" filter="group=handling" /></Col>
            <Col xs={12} md={6}><Count label="home.overdue" filter="sla=red" tone="red" /></Col>
            <Col xs={12} md={6}><Count label="home.yellow" filter="sla=yellow" /></Col>
          </Row>
          <div style={{ marginTop: 16 }}><InboxPreview /></div>
        </div>
      );
    case 'grid_worker': case 'community':
      // field staff: the day plan (今日) in due order
      if (can(me, 'fieldwork.day')) return <Today />;
      return (
        <div data-testid={`home-${me.role}`} className="gz-mobile-first">
          {greeting}{sub}
          <Row gutter={[12, 12]}>
            <Col xs={24} md={8}><Shortcut to="/report" icon={<CameraOutlined />} label="home.reportEvent" primary /></Col>
            <Col xs={12} md={8}><Shortcut to="/inbox" icon={<InboxOutlined />} label="nav.inbox" /></Col>
            <Col xs={12} md={8}><Shortcut to="/map" icon={<EnvironmentOutlined />} label="home.myGrid" /></Col>
          </Row>
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col xs={12} md={6}><Count label="home.waitingForMe" filter="" /></Col>
            <Col xs={12} md={6}><Count label="home.overdue" filter="sla=red" tone="red" /></Col>
          </Row>
          <div style={{ marginTop: 16 }}><InboxPreview /></div>
        </div>
      );
    case 'resident':
      return (
        <div data-testid="home-resident">
          {greeting}
          <Row gutter={[12, 12]}>
            <Col xs={24} md={8}><Shortcut to="/report" icon={<CameraOutlined />} label="home.reportProblem" primary /></Col>
            <Col xs={24} md={8}><Shortcut to="/cases" icon={<InboxOutlined />} label="home.myReports" /></Col>
          </Row>
          {/* 居民参与 one tap away: the page, its notices and 我的 (identity, messages) */}
          <Row gutter={[12, 12]} style={{ marginTop: 12 }} data-testid="home-participation">
            <Col xs={24} md={8}><Shortcut to="/participation" icon={<HeartOutlined />} label="home.ptEntry" /></Col>
            <Col xs={12} md={8}><Shortcut to="/participation?tab=announcements" icon={<NotificationOutlined />} label="home.ptNotices" /></Col>
            <Col xs={12} md={8}><Shortcut to="/participation?tab=mine" icon={<UserOutlined />} label="pt.tab.mine" /></Col>
          </Row>
          <div style={{ marginTop: 16 }}><InboxPreview /></div>
        </div>
      );
    case 'admin':
    default:
      return (
        <div data-testid="home-admin">
          {greeting}{sub}
          <SetupChecklist />
          <Row gutter={[12, 12]}>
            <Col xs={24} md={8}><Shortcut to="/admin/users" icon={<TeamOutlined />} label="nav.adminUsers" primary /></Col>
            <Col xs={24} md={8}><Shortcut to="/admin/categories" icon={<InboxOutlined />} label="nav.adminCategories" /></Col>
            <Col xs={24} md={8}><Shortcut to="/dashboard" icon={<DashboardOutlined />} label="nav.dashboard" /></Col>
          </Row>
        </div>
      );
  }
}
