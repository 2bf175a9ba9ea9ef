// 今日: the grid worker's day in due order — cases waiting for them, their own open reports, key-person
// follow-ups due, the visits planned (走访计划), households to visit and the patrol target. The report
// button stays at the top; an emergency in force where the worker works (平战转换) shows above the day.
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Button, Empty, Progress, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { CameraOutlined, InfoCircleOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useLiveEvents } from '../../lib/live.ts';
import { formatShortDateTime } from '../../lib/format.ts';
import { can } from '../../lib/abilities.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { OutboxList } from './Outbox.tsx';
import { useOnline, useOutbox } from '../../lib/offline.ts';
import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import type { GridMove, Today as TodayT, TodayItem } from './types.ts';
import { EmergencyNow } from '../participation/EmergencyNow.tsx';

const KIND_COLOR: Record<TodayItem['kind'], string> = { case: 'blue', report: 'geekblue', followup: 'volcano', plan: 'purple', visit: 'cyan', patrol: 'green' };

function Item({ item }: { item: TodayItem }) {
  const { t, pick, locale } = useI18n();
  const title = item.kind === 'patrol'
    ? t('fw.today.patrolTarget', { minutes: item.ref.targetMinutes, share: Math.round(item.ref.targetCoverage * 100) })
    : item.title;
  const detail = item.kind === 'patrol'
    ? t('fw.today.patrolSoFar', { minutes: item.ref.minutes, share: item.ref.coverage == null ? '—' : Math.round(item.ref.coverage * 100) })
    : item.kind === 'plan'
      ? [item.ref.plannedOn === dayjs().format('YYYY-MM-DD') ? t('fw.plan.today') : item.ref.plannedOn, pick(item.ref.purposeName), item.ref.note].filter(Boolean).join(' · ')
      : item.kind === 'visit'
      ? (item.ref.lastVisitedAt ? t('fw.today.lastVisited', { day: item.ref.lastVisitedAt.slice(0, 10) }) : t('fw.today.neverVisited'))
      : item.kind === 'followup'
        ? `${item.ref.overdueDays > 0 ? t('fw.today.overdueDays', { n: item.ref.overdueDays }) : t('fw.today.dueOn', { day: item.ref.dueOn })} · ${t('fw.today.every', { n: item.ref.intervalDays })}`
        : `${item.ref.caseNo} · ${pick(item.ref.stateLabel, item.ref.state)}`;
  return (
    <Link to={item.link} className={`gz-today-item${item.overdue ? ' gz-overdue' : ''}`} data-kind={item.kind} data-testid="today-item">
      <span className="gz-today-kind"><Tag color={KIND_COLOR[item.kind]}>{t(`fw.kind.${item.kind}` as MessageKey)}</Tag></span>
      <span className="gz-today-main">
        <div className="gz-today-title">{title}</div>
        <div className="gz-today-detail">{detail}</div>
      </span>
      <span className="gz-today-due">
        {item.overdue ? <Tag color="red">{t('fw.overdue')}</Tag> : item.kind === 'case' || item.kind === 'report' ? formatShortDateTime(item.dueAt, locale) : null}
      </span>
    </Link>
  );
}

const SEEN_KEY = 'gz.gridMovesSeen';
const seenMoves = (user: number): number[] => {
  try { return (JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}')[user] ?? []) as number[]; } catch { return []; }
};

/**
 * 你的网格已拆分: a split or merge moved the worker's account; her households and key persons may now be on
 * another grid, gone from this list. Said once, until she closes it (remembered on this device).
 */
function GridMoveNotes({ moves, user }: { moves: GridMove[]; user: number }) {
  const { t, locale } = useI18n();
  const [seen, setSeen] = useState(() => seenMoves(user));
  const close = (id: number) => {
    const next = [...seen, id];
    setSeen(next);
    try { localStorage.setItem(SEEN_KEY, JSON.stringify({ ...JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}'), [user]: next.slice(-20) })); } catch { /* private mode: closed for this visit */ }
  };
  const join = (xs: string[]) => xs.join(locale === 'en' ? ', ' : '、');
  return <>{moves.filter((m) => !seen.includes(m.changeId)).map((m) => (
    <Alert key={m.changeId} type="info" showIcon closable={{ onClose: () => close(m.changeId) }} role="status" data-testid="today-grid-move" style={{ marginBottom: 8 }}
      title={t(m.kind === 'split' ? 'fw.move.split' : 'fw.move.merge', {
        day: dayjs(m.at).format('YYYY-MM-DD'), from: join(m.fromGrids.map((g) => g.name)), to: join(m.toGrids.map((g) => g.name)), grid: m.grid.name,
      })}
      description={m.others.filter((o) => o.households || o.keyPersons).map((o) => (
        <div key={o.code} data-testid="today-grid-move-others">
          {t(o.keyPersons ? 'fw.move.othersKey' : 'fw.move.others', { grid: o.name, households: o.households, keyPersons: o.keyPersons })}
          {/* registered households, not the grid list's count by area: say which, and why they differ */}
          {' '}<Tooltip title={t('fw.move.registeredTip')}><InfoCircleOutlined tabIndex={0} aria-label={t('fw.move.registeredTip')} /></Tooltip>
        </div>
      ))} />
  ))}</>;
}

/** 今日排查：未提交 / 已提交 — the grid's daily check (日排查), one tap away. */
function DailyCheckLink({ region }: { region: string }) {
  const { t } = useI18n();
  const r = useApi<{ items: Array<{ regionCode: string }> }>(`/api/v1/risk/checks?region=${region}`);
  // a load that failed offline is tried again when the connection returns (else the card stayed an empty box)
  const online = useOnline();
  useEffect(() => { if (online && !r.data) r.reload(); }, [online]); // eslint-disable-line react-hooks/exhaustive-deps
  const done = !!r.data?.items.length;
  return (
    <Link to="/risk/checks" className="gz-today-item" data-testid="today-daily-check" data-done={r.data ? String(done) : undefined}>
      <span className="gz-today-kind"><Tag color={done ? 'green' : 'orange'}>{t('fw.kind.check')}</Tag></span>
      <span className="gz-today-main"><div className="gz-today-title">{r.data ? t(done ? 'fw.today.checkDone' : 'fw.today.checkMissing') : t('fw.today.checkTitle')}</div></span>
      <span className="gz-today-due">{r.data && !done ? <Tag color="orange">{t('fw.today.checkTodo')}</Tag> : !r.data && !online ? <Tag>{t('fw.today.checkOffline')}</Tag> : null}</span>
    </Link>
  );
}

export default function Today() {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const r = useApi<TodayT>('/api/v1/fieldwork/today');
  useLiveEvents(() => r.reload(), 1500);
  // back online, or a report sent from the outbox: the plan changed
  const online = useOnline();
  const sent = useOutbox().filter((i) => i.state === 'sent').length;
  useEffect(() => { if (online) r.reload(); }, [online, sent]); // eslint-disable-line react-hooks/exhaustive-deps
  const d = r.data;
  return (
    <div data-testid={`home-${me.role}`} className="gz-mobile-first gz-today">
      <Button type="primary" size="large" block icon={<CameraOutlined />} onClick={() => nav('/report')} className="gz-big-button" data-testid="today-report">
        {t('home.reportEvent')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0' }} data-testid="home-scope">
        {t('fw.today.greeting', { name: me.displayName, region: d?.regionName ?? '' })}
      </Typography.Paragraph>
      <ErrorNote error={r.error} />
      {/* an emergency switched on where the worker works comes first (平战转换) */}
      {can(me, 'participation.read') && <EmergencyNow />}
      {d?.gridChanges?.length ? <GridMoveNotes moves={d.gridChanges} user={me.id} /> : null}
      <div className="gz-kpis">
        <Link to="/inbox" data-testid="kpi-waiting"><div className="gz-kpi-value">{d?.counts.waitingForMe ?? '—'}</div><div className="gz-kpi-label">{t('home.waitingForMe')}</div></Link>
        <div className="gz-kpi-cell" data-testid="kpi-followups"><div className="gz-kpi-value" style={{ color: d?.counts.overdueFollowUps ? '#d93025' : undefined }}>{d?.counts.followUps ?? '—'}</div><div className="gz-kpi-label">{t('fw.today.followUps')}</div></div>
        <Link to="/patrol" data-testid="kpi-patrol">
          <Progress type="circle" size={40} percent={d ? Math.min(100, Math.round((d.patrol.minutes / d.patrol.targetMinutes) * 100)) : 0} format={() => `${d?.patrol.minutes ?? 0}′`} />
          <div className="gz-kpi-label">{t('fw.today.patrolMinutes')}</div>
        </Link>
      </div>
      {can(me, 'risk.check.fill') && <DailyCheckLink region={me.regionCode} />}
      <OutboxList />
      {r.loading && !d && <Skeleton active />}
      {d && !d.items.length && <Empty description={t('fw.today.nothing')} />}
      <section aria-label={t('fw.today.list')} data-testid="today-list">
        {d?.items.map((i, n) => <Item key={`${i.kind}-${n}`} item={i} />)}
      </section>
      {can(me, 'fieldwork.residents') && (
        <Button block icon={<SearchOutlined />} onClick={() => nav('/residents')} style={{ marginTop: 8 }}>{t('fw.residents.title')}</Button>
      )}
    </div>
  );
}
