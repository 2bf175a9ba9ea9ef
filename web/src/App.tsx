// Providers and routes. Every page is its own chunk; charts and maps load only where they are used.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { PageLoadBoundary } from './components/PageLoadBoundary.tsx';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { I18nProvider, useI18n } from './i18n/index.tsx';
import { AuthProvider, useAuth, sessionHasEnded } from './lib/auth.tsx';
import { AppShell } from './components/AppShell.tsx';
import { mayOpen } from './lib/abilities.ts';

// Each page is a chunk; the chunk for the address being opened starts downloading at once, in
// parallel with the session check, instead of after it.
const pages = {
  Login: () => import('./pages/Login.tsx'),
  Home: () => import('./pages/Home.tsx'),
  Inbox: () => import('./pages/Inbox.tsx'),
  CaseDetail: () => import('./pages/CaseDetail.tsx'),
  NewCase: () => import('./pages/NewCase.tsx'),
  GridReport: () => import('./pages/GridReport.tsx'),
  MapPage: () => import('./pages/MapPage.tsx'),
  Dashboard: () => import('./pages/Dashboard.tsx'),
  BigScreen: () => import('./pages/BigScreen.tsx'),
  AdminUsers: () => import('./pages/admin/Users.tsx'),
  AdminUnits: () => import('./pages/admin/Units.tsx'),
  AdminCategories: () => import('./pages/admin/Categories.tsx'),
  AdminResponsibilities: () => import('./pages/admin/Responsibilities.tsx'),
  AdminCalendar: () => import('./pages/admin/Calendar.tsx'),
  PortalHome: () => import('./pages/portal/PortalHome.tsx'),
  PortalReport: () => import('./pages/portal/PortalReport.tsx'),
  PortalTrack: () => import('./pages/portal/PortalTrack.tsx'),
  PortalSignIn: () => import('./pages/portal/PortalSignIn.tsx'),
  PortalWishes: () => import('./pages/portal/PortalWishes.tsx'),
  PortalNotices: () => import('./pages/portal/PortalNotices.tsx'),
  Persons: () => import('./pages/registry/Persons.tsx'),
  PersonDetail: () => import('./pages/registry/PersonDetail.tsx'),
  Records: () => import('./pages/registry/Records.tsx'),
  Imports: () => import('./pages/registry/Imports.tsx'),
  RevealAudit: () => import('./pages/registry/RevealAudit.tsx'),
  Grids: () => import('./pages/grids/Grids.tsx'),
  GridDetail: () => import('./pages/grids/GridDetail.tsx'),
  GridLayers: () => import('./pages/grids/Layers.tsx'),
  Patrols: () => import('./pages/grids/Patrols.tsx'),
  ChangePassword: () => import('./pages/ChangePassword.tsx'),
  AccountSecurity: () => import('./pages/AccountSecurity.tsx'),
  Mediation: () => import('./pages/mediation/Workbench.tsx'),
  NewDispute: () => import('./pages/mediation/NewDispute.tsx'),
  DisputeDetail: () => import('./pages/mediation/DisputeDetail.tsx'),
  MediationOrgs: () => import('./pages/mediation/Orgs.tsx'),
  MediationStats: () => import('./pages/mediation/Stats.tsx'),
  Petitions: () => import('./pages/petitions/Petitions.tsx'),
  PetitionDetail: () => import('./pages/petitions/PetitionDetail.tsx'),
  Receptions: () => import('./pages/petitions/Receptions.tsx'),
  Meetings: () => import('./pages/meetings/Meetings.tsx'),
  RiskRegister: () => import('./pages/risk/Register.tsx'),
  RiskAlerts: () => import('./pages/risk/Alerts.tsx'),
  RiskChecks: () => import('./pages/risk/Checks.tsx'),
  RiskRules: () => import('./pages/risk/Rules.tsx'),
  RiskSensors: () => import('./pages/risk/Sensors.tsx'),
  RiskWeekly: () => import('./pages/risk/Weekly.tsx'),
  RiskAssessments: () => import('./pages/risk/Assessments.tsx'),
  RiskCounselling: () => import('./pages/risk/Counselling.tsx'),
  Visit: () => import('./pages/fieldwork/Visit.tsx'),
  Plans: () => import('./pages/fieldwork/Plans.tsx'),
  VisitDetail: () => import('./pages/fieldwork/VisitDetail.tsx'),
  Patrol: () => import('./pages/fieldwork/Patrol.tsx'),
  Residents: () => import('./pages/fieldwork/Residents.tsx'),
  Me: () => import('./pages/fieldwork/Me.tsx'),
  Knowledge: () => import('./pages/knowledge/Knowledge.tsx'),
  Participation: () => import('./pages/participation/Resident.tsx'),
  ParticipationManage: () => import('./pages/participation/Manage.tsx'),
  PublicNotice: () => import('./pages/participation/Notice.tsx'),
  PtVolunteers: () => import('./pages/participation/Volunteers.tsx'),
  PtEmergency: () => import('./pages/participation/Emergency.tsx'),
  PtTopics: () => import('./pages/participation/Topics.tsx'),
  PtAnnouncements: () => import('./pages/participation/Announcements.tsx'),
  PtPoints: () => import('./pages/participation/Points.tsx'),
};
const Login = lazy(pages.Login);
const Home = lazy(pages.Home);
const Inbox = lazy(pages.Inbox);
const CaseDetail = lazy(pages.CaseDetail);
const NewCase = lazy(pages.NewCase);
const GridReport = lazy(pages.GridReport);
const MapPage = lazy(pages.MapPage);
const Dashboard = lazy(pages.Dashboard);
const BigScreen = lazy(pages.BigScreen);
const AdminUsers = lazy(pages.AdminUsers);
const AdminUnits = lazy(pages.AdminUnits);
const AdminCategories = lazy(pages.AdminCategories);
const AdminResponsibilities = lazy(pages.AdminResponsibilities);
const AdminCalendar = lazy(pages.AdminCalendar);
const PortalHome = lazy(pages.PortalHome);
const PortalReport = lazy(pages.PortalReport);
const PortalTrack = lazy(pages.PortalTrack);
const PortalSignIn = lazy(pages.PortalSignIn);
const PortalWishes = lazy(pages.PortalWishes);
const PortalNotices = lazy(pages.PortalNotices);
const Persons = lazy(pages.Persons);
const PersonDetail = lazy(pages.PersonDetail);
const RecordList = lazy(() => pages.Records().then((m) => ({ default: m.RecordList })));
const RecordDetail = lazy(() => pages.Records().then((m) => ({ default: m.RecordDetail })));
const Imports = lazy(pages.Imports);
const RevealAudit = lazy(pages.RevealAudit);
const Grids = lazy(pages.Grids);
const GridDetail = lazy(pages.GridDetail);
const GridLayers = lazy(pages.GridLayers);
const Patrols = lazy(pages.Patrols);
const ChangePassword = lazy(pages.ChangePassword);
const Mediation = lazy(pages.Mediation);
const NewDispute = lazy(pages.NewDispute);
const DisputeDetail = lazy(pages.DisputeDetail);
const MediationOrgs = lazy(pages.MediationOrgs);
const MediationStats = lazy(pages.MediationStats);
const Petitions = lazy(pages.Petitions);
const PetitionDetail = lazy(pages.PetitionDetail);
const Receptions = lazy(pages.Receptions);
const Meetings = lazy(pages.Meetings);
const RiskRegister = lazy(pages.RiskRegister);
const RiskAlerts = lazy(pages.RiskAlerts);
const RiskChecks = lazy(pages.RiskChecks);
const RiskRules = lazy(pages.RiskRules);
const RiskSensors = lazy(pages.RiskSensors);
const RiskWeekly = lazy(pages.RiskWeekly);
const RiskAssessments = lazy(pages.RiskAssessments);
const RiskCounselling = lazy(pages.RiskCounselling);
const Visit = lazy(pages.Visit);
const Plans = lazy(pages.Plans);
const VisitDetail = lazy(pages.VisitDetail);
const Patrol = lazy(pages.Patrol);
const Residents = lazy(pages.Residents);
const Me = lazy(pages.Me);
const Knowledge = lazy(pages.Knowledge);
const Participation = lazy(pages.Participation);
const ParticipationManage = lazy(pages.ParticipationManage);
const PublicNotice = lazy(pages.PublicNotice);
const PtVolunteers = lazy(pages.PtVolunteers);
const PtEmergency = lazy(pages.PtEmergency);
const PtTopics = lazy(pages.PtTopics);
const PtAnnouncements = lazy(pages.PtAnnouncements);
const PtPoints = lazy(pages.PtPoints);
const PasswordChangeRequired = lazy(() => pages.ChangePassword().then((m) => ({ default: m.PasswordChangeRequired })));
const AccountSecurity = lazy(pages.AccountSecurity);

function preloadCurrentPage(): void {
  const path = window.location.pathname;
  const first: Array<[RegExp, keyof typeof pages]> = [
    [/^\/login/, 'Login'], [/^\/portal\/report/, 'PortalReport'], [/^\/portal\/track/, 'PortalTrack'],
    [/^\/portal\/sign-in/, 'PortalSignIn'], [/^\/portal\/wishes/, 'PortalWishes'], [/^\/portal\/notices/, 'PortalNotices'], [/^\/portal/, 'PortalHome'],
    [/^\/inbox|^\/cases\/?$/, 'Inbox'], [/^\/cases\/new/, 'NewCase'], [/^\/cases\/\d+/, 'CaseDetail'], [/^\/report/, 'GridReport'],
    [/^\/map/, 'MapPage'], [/^\/dashboard/, 'Dashboard'], [/^\/bigscreen/, 'BigScreen'], [/^\/$/, 'Home'],
    [/^\/registry\/persons\/\d+/, 'PersonDetail'], [/^\/registry\/persons/, 'Persons'], [/^\/registry\/imports/, 'Imports'],
    [/^\/registry\/audit/, 'RevealAudit'], [/^\/registry\//, 'Records'], [/^\/grids\/\d+/, 'GridDetail'], [/^\/grids/, 'Grids'],
    [/^\/grid-layers/, 'GridLayers'], [/^\/patrols/, 'Patrols'], [/^\/account\/security/, 'AccountSecurity'],
    [/^\/mediation\/new/, 'NewDispute'], [/^\/mediation\/disputes\//, 'DisputeDetail'],
    [/^\/mediation\/orgs/, 'MediationOrgs'], [/^\/mediation\/stats/, 'MediationStats'], [/^\/mediation/, 'Mediation'], [/^\/petitions\/receptions/, 'Receptions'],
    [/^\/petitions\/\d+/, 'PetitionDetail'], [/^\/petitions/, 'Petitions'], [/^\/meetings/, 'Meetings'],
    [/^\/risk\/register/, 'RiskRegister'], [/^\/risk\/alerts/, 'RiskAlerts'],
    [/^\/risk\/checks/, 'RiskChecks'], [/^\/risk\/rules/, 'RiskRules'], [/^\/risk\/sensors/, 'RiskSensors'],
    [/^\/risk\/weekly/, 'RiskWeekly'], [/^\/risk\/assessments/, 'RiskAssessments'], [/^\/risk\/counselling/, 'RiskCounselling'],
    [/^\/visit$/, 'Visit'], [/^\/visit\/plans/, 'Plans'], [/^\/visits\/\d+/, 'VisitDetail'], [/^\/patrol$/, 'Patrol'], [/^\/residents/, 'Residents'], [/^\/me$/, 'Me'],
    [/^\/knowledge/, 'Knowledge'],
    [/^\/participation\/manage/, 'ParticipationManage'], [/^\/participation\/volunteers/, 'PtVolunteers'], [/^\/participation\/emergency/, 'PtEmergency'],
    [/^\/participation\/topics/, 'PtTopics'], [/^\/participation\/announcements/, 'PtAnnouncements'], [/^\/participation\/points/, 'PtPoints'],
    [/^\/participation/, 'Participation'], [/^\/notice\//, 'PublicNotice'],
  ];
  const hit = first.find(([re]) => re.test(path));
  if (hit) void pages[hit[1]]().catch(() => undefined);
}
preloadCurrentPage();
const NotFound = lazy(() => import('./pages/NotFound.tsx'));

export function Loading() {
  const { t } = useI18n();
  return <div className="gz-loading"><Spin description={t('common.loading')} /></div>;
}

/**
 * Logged in, and the user's abilities open this page (lib/abilities.ts: the same table as the menu).
 * `shell`: the console's frame around every page, which checks the login only (a page the user may not
 * open shows "not found" inside the frame, with the menu).
 */
function RequireAuth({ children, shell = false }: { children: ReactNode; shell?: boolean }) {
  const { user, ready } = useAuth();
  const loc = useLocation();
  if (!ready) return <Loading />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}${sessionHasEnded() ? '&ended=1' : ''}`} replace />;
  // a generated password: the API answers nothing else until the user has chosen their own
  if (user.passwordChangeRequired) return <PasswordChangeRequired />;
  if (!shell && !mayOpen(user, loc.pathname)) return <NotFound />;
  return <>{children}</>;
}

/** Whether the user asked their system for less motion (prefers-reduced-motion): the console then does not animate. */
function usePrefersReducedMotion(): boolean {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  const [reduced, setReduced] = useState(() => !!query?.matches);
  useEffect(() => {
    if (!query) return;
    const changed = () => setReduced(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return reduced;
}

function Themed({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  const reducedMotion = usePrefersReducedMotion();
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={locale === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        // no zooming dialogs or sliding menus for those who asked their system for less motion (WCAG 2.3.3)
        token: { colorPrimary: '#1f4e8c', borderRadius: 6, fontSize: 14, motion: !reducedMotion },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Themed>
        <AuthProvider>
          <BrowserRouter>
            <PageLoadBoundary>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/login" element={<Login />} />
                <Route path="/portal" element={<PortalHome />} />
                <Route path="/portal/report" element={<PortalReport />} />
                <Route path="/portal/track" element={<PortalTrack />} />
                <Route path="/portal/sign-in" element={<PortalSignIn />} />
                <Route path="/portal/wishes" element={<PortalWishes />} />
                <Route path="/portal/notices" element={<PortalNotices />} />
                <Route path="/notice/:id" element={<PublicNotice />} />
                <Route path="/bigscreen" element={<RequireAuth><BigScreen /></RequireAuth>} />
                <Route element={<RequireAuth shell><AppShell /></RequireAuth>}>
                  <Route index element={<Home />} />
                  <Route path="inbox" element={<Inbox mode="inbox" />} />
                  <Route path="cases" element={<Inbox mode="all" />} />
                  <Route path="cases/new" element={<RequireAuth><NewCase /></RequireAuth>} />
                  <Route path="report" element={<RequireAuth><GridReport /></RequireAuth>} />
                  <Route path="cases/:id" element={<CaseDetail />} />
                  <Route path="map" element={<RequireAuth><MapPage /></RequireAuth>} />
                  <Route path="dashboard" element={<RequireAuth><Dashboard /></RequireAuth>} />
                  <Route path="admin/users" element={<RequireAuth><AdminUsers /></RequireAuth>} />
                  <Route path="admin/units" element={<RequireAuth><AdminUnits /></RequireAuth>} />
                  <Route path="admin/categories" element={<RequireAuth><AdminCategories /></RequireAuth>} />
                  <Route path="admin/responsibilities" element={<RequireAuth><AdminResponsibilities /></RequireAuth>} />
                  <Route path="admin/calendar" element={<RequireAuth><AdminCalendar /></RequireAuth>} />
                  <Route path="registry/persons" element={<RequireAuth><Persons /></RequireAuth>} />
                  <Route path="registry/persons/:id" element={<RequireAuth><PersonDetail /></RequireAuth>} />
                  <Route path="registry/imports" element={<RequireAuth><Imports /></RequireAuth>} />
                  <Route path="registry/audit" element={<RequireAuth><RevealAudit /></RequireAuth>} />
                  <Route path="registry/:kind" element={<RequireAuth><RecordList /></RequireAuth>} />
                  <Route path="registry/:kind/:id" element={<RequireAuth><RecordDetail /></RequireAuth>} />
                  <Route path="grids" element={<RequireAuth><Grids /></RequireAuth>} />
                  <Route path="grids/:code" element={<RequireAuth><GridDetail /></RequireAuth>} />
                  <Route path="grid-layers" element={<RequireAuth><GridLayers /></RequireAuth>} />
                  <Route path="patrols" element={<RequireAuth><Patrols /></RequireAuth>} />
                  <Route path="account/security" element={<RequireAuth><AccountSecurity /></RequireAuth>} />
                  <Route path="mediation" element={<RequireAuth><Mediation /></RequireAuth>} />
                  <Route path="mediation/new" element={<RequireAuth><NewDispute /></RequireAuth>} />
                  <Route path="mediation/disputes/:id" element={<RequireAuth><DisputeDetail /></RequireAuth>} />
                  <Route path="mediation/orgs" element={<RequireAuth><MediationOrgs /></RequireAuth>} />
                  <Route path="mediation/stats" element={<RequireAuth><MediationStats /></RequireAuth>} />
                  <Route path="petitions" element={<RequireAuth><Petitions /></RequireAuth>} />
                  <Route path="petitions/receptions" element={<RequireAuth><Receptions /></RequireAuth>} />
                  <Route path="petitions/:id" element={<RequireAuth><PetitionDetail /></RequireAuth>} />
                  <Route path="meetings" element={<RequireAuth><Meetings /></RequireAuth>} />
                  <Route path="risk/register" element={<RequireAuth><RiskRegister /></RequireAuth>} />
                  <Route path="risk/alerts" element={<RequireAuth><RiskAlerts /></RequireAuth>} />
                  <Route path="risk/checks" element={<RequireAuth><RiskChecks /></RequireAuth>} />
                  <Route path="risk/rules" element={<RequireAuth><RiskRules /></RequireAuth>} />
                  <Route path="risk/sensors" element={<RequireAuth><RiskSensors /></RequireAuth>} />
                  <Route path="risk/weekly" element={<RequireAuth><RiskWeekly /></RequireAuth>} />
                  <Route path="risk/assessments" element={<RequireAuth><RiskAssessments /></RequireAuth>} />
                  <Route path="risk/counselling" element={<RequireAuth><RiskCounselling /></RequireAuth>} />
                  <Route path="visit" element={<RequireAuth><Visit /></RequireAuth>} />
                  <Route path="visit/plans" element={<RequireAuth><Plans /></RequireAuth>} />
                  <Route path="visit/plans/new" element={<RequireAuth><Plans /></RequireAuth>} />
                  <Route path="visits/:id" element={<RequireAuth><VisitDetail /></RequireAuth>} />
                  <Route path="patrol" element={<RequireAuth><Patrol /></RequireAuth>} />
                  <Route path="residents" element={<RequireAuth><Residents /></RequireAuth>} />
                  <Route path="me" element={<RequireAuth><Me /></RequireAuth>} />
                  <Route path="knowledge" element={<RequireAuth><Knowledge /></RequireAuth>} />
                  <Route path="participation" element={<RequireAuth><Participation /></RequireAuth>} />
                  <Route path="participation/manage" element={<RequireAuth><ParticipationManage /></RequireAuth>} />
                  <Route path="participation/volunteers" element={<RequireAuth><PtVolunteers /></RequireAuth>} />
                  <Route path="participation/emergency" element={<RequireAuth><PtEmergency /></RequireAuth>} />
                  <Route path="participation/topics" element={<RequireAuth><PtTopics /></RequireAuth>} />
                  <Route path="participation/announcements" element={<RequireAuth><PtAnnouncements /></RequireAuth>} />
                  <Route path="participation/points" element={<RequireAuth><PtPoints /></RequireAuth>} />
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </Suspense>
            </PageLoadBoundary>
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </I18nProvider>
  );
}
