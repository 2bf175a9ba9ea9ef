// 巡查走访: household visits, patrols and check-ins in a region over a period, for grid workers and those
// who supervise them. Grid workers and community staff (patrol.write) check in with their location and
// record household visits here; patrols with GPS tracks come from the phone app through the same API.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, DatePicker, Descriptions, Form, Grid, Input, List, Modal, Select, Table, Tabs, Tag } from 'antd';
import { AimOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';
import { fmtTime, GridSelect } from '../registry/shared.tsx';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { can } from '../../lib/abilities.ts';

/** policy.ts: patrol.write */
const RESULTS = ['visited', 'not_home', 'refused', 'issue_found'];
const RESULT_COLOURS: Record<string, string> = { visited: 'green', not_home: 'default', refused: 'orange', issue_found: 'red' };
const PAGE_SIZE = 50;

interface Who { id: number; name: string }
interface Visit { id: number; fieldVisitId?: number | null; user: Who; gridCode: string; gridName?: string | null; houseRef: string | null; householdRef: string | null; houseName?: string | null; householdName?: string | null; lat?: number | null; lng?: number | null; visitedAt: string; result: string; note: string | null }
interface CheckInRow { id: number; user: Who; ownRegion: string; gridCode: string | null; insideOwnGrid: boolean; lat: number; lng: number; accuracyM: number | null; at: string }
interface Patrol { id: number; user: Who; startedAt: string; endedAt: string; pointCount: number; distanceM: number; insideOwnShare: number | null; grids: string[]; note: string | null }
interface Page<T> { items: T[]; page: number; pageSize: number }

const gridLink = (c: string | null) => (c ? <Link to={`/grids/${c}`}>{c}</Link> : '—');
/** The API pages without a total: one more page exists while a page comes back full. */
const pager = (page: number, n: number, onChange: (p: number) => void) => ({
  current: page, pageSize: PAGE_SIZE, showSizeChanger: false, total: (page - 1) * PAGE_SIZE + n + (n === PAGE_SIZE ? 1 : 0), onChange,
});

function VisitForm({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const me = useMe();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<Record<string, any>>(form, async (v) => {
    const body: Record<string, unknown> = { result: v.result };
    for (const k of ['houseRef', 'householdRef', 'note']) if (v[k]?.trim()) body[k] = v[k].trim();
    if (v.gridCode) body.gridCode = v.gridCode;
    if (v.visitedAt) body.visitedAt = v.visitedAt.toISOString();
    await api('/api/v1/visits', { body });
    onSaved();
  }, { fields: ['houseRef', 'householdRef', 'gridCode', 'visitedAt', 'result', 'note'] });
  return (
    <Modal open title={t('pt.newVisit')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="visit" initialValues={{ result: 'visited', gridCode: me.role === 'grid_worker' ? me.regionCode : undefined }}>
        <Form.Item name="householdRef" label={t('pt.household')} extra={t('pt.refHint')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="houseRef" label={t('pt.house')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="gridCode" label={t('gm.grid')} rules={[{ required: true, message: t('form.required') }]}>
          <GridSelect allowClear={false} style={{ width: '100%' }} placeholder={t('rg.chooseGrid')} />
        </Form.Item>
        <Form.Item name="result" label={t('pt.result')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={RESULTS.map((r) => ({ value: r, label: t(`pt.result.${r}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="visitedAt" label={t('pt.visitedAt')} extra={t('pt.nowIfEmpty')}>
          <DatePicker showTime style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
        <Form.Item name="note" label={t('rg.f.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 走访详情 of a visit recorded in grid management (by reference, not from the phone): it has no page of its own
 * (a phone visit opens /visits/:id), so its row opens this, with what the list holds of it.
 */
function VisitDetail({ visit, onClose }: { visit: Visit; onClose(): void }) {
  const { t, tk, locale } = useI18n();
  return (
    <Modal open title={t('pt.visitDetail')} onCancel={onClose} footer={<Button onClick={onClose}>{t('common.close')}</Button>} destroyOnHidden>
      <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('pt.visitByGrid')}</p>
      <Descriptions size="small" column={1} bordered data-testid="grid-visit-detail" styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
        <Descriptions.Item label={t('pt.visitedAt')}>{fmtTime(visit.visitedAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('gm.grid')}>{visit.gridCode ? <Link to={`/grids/${visit.gridCode}`}>{visit.gridName ?? visit.gridCode}</Link> : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('pt.household')}>{visit.householdName ?? visit.householdRef ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('pt.house')}>{visit.houseName ?? visit.houseRef ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('pt.result')}><Tag color={RESULT_COLOURS[visit.result]}>{tk('pt.result.', visit.result)}</Tag></Descriptions.Item>
        <Descriptions.Item label={t('pt.worker')}>{visit.user.name}</Descriptions.Item>
        <Descriptions.Item label={t('pt.position')}>{visit.lat != null && visit.lng != null ? `${visit.lat.toFixed(5)}, ${visit.lng.toFixed(5)}` : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('rg.f.note')}>{visit.note || '—'}</Descriptions.Item>
      </Descriptions>
    </Modal>
  );
}

/** Checks in with the device's location and says where that is. */
function CheckInButton({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState<{ gridCode: string | null; gridName: string | null; insideOwnGrid: boolean; distanceToOwnGridM: number | null } | null>(null);
  const go = () => {
    if (!navigator.geolocation) { message.error(t('location.noGps')); return; }
    setBusy(true);
    navigator.geolocation.getCurrentPosition(async (pos) => {
      try {
        const r = await api<NonNullable<typeof out>>('/api/v1/patrols/check-in', {
          body: { lat: pos.coords.latitude, lng: pos.coords.longitude, accuracy: Math.min(pos.coords.accuracy ?? 0, 10_000) },
        });
        setOut(r); onDone();
      } catch (e) { message.error(errorText(e)); } finally { setBusy(false); }
    }, () => { setBusy(false); message.error(t('pt.noLocation')); }, { enableHighAccuracy: true, timeout: 15_000 });
  };
  return (
    <>
      <Button icon={<AimOutlined />} loading={busy} onClick={go}>{t('pt.checkIn')}</Button>
      {out && (
        <Alert type={out.insideOwnGrid ? 'success' : 'warning'} showIcon role="status" style={{ flexBasis: '100%' }} data-testid="check-in-result"
          title={out.gridCode ? t('pt.checkedIn', { grid: out.gridName ?? out.gridCode, code: out.gridCode }) : t('pt.checkedInNowhere')}
          description={out.insideOwnGrid ? t('pt.insideOwn') : t('pt.outsideOwn', { m: out.distanceToOwnGridM == null ? '—' : Math.round(out.distanceToOwnGridM) })} />
      )}
    </>
  );
}

export default function Patrols() {
  const { t, tk, locale } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const region = sp.get('region') ?? undefined;
  const from = sp.get('from') ?? dayjs().startOf('month').format('YYYY-MM-DD');
  const to = sp.get('to') ?? dayjs().format('YYYY-MM-DD');
  const tab = sp.get('tab') ?? 'visits';
  const page = Number(sp.get('page') ?? 1);
  // 我的 → 巡查走访: the worker's own records wherever they lie now (a grid split moves visits with their households)
  const mine = sp.get('mine') === 'true';
  const set = (vals: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(vals)) { if (v) next.set(k, v); else next.delete(k); }
    if (!('page' in vals)) next.delete('page');
    setSp(next, { replace: true });
  };
  const q = { region, from, to, page: String(page), pageSize: String(PAGE_SIZE), mine: mine ? 'true' : undefined };
  // one loader per tab, so that a tab never shows the rows of another while its own load
  const visits = useApi<Page<Visit>>(tab === 'visits' ? withQuery('/api/v1/visits', q) : null);
  const patrols = useApi<Page<Patrol>>(tab === 'patrols' ? withQuery('/api/v1/patrols', q) : null);
  const checkIns = useApi<Page<CheckInRow>>(tab === 'check-ins' ? withQuery('/api/v1/patrols/check-ins', q) : null);
  const list = tab === 'patrols' ? patrols : tab === 'check-ins' ? checkIns : visits;
  const [visiting, setVisiting] = useState(false);
  const [shown, setShown] = useState<Visit | null>(null);
  const writer = can(me, 'grid.patrol.write');
  const items: any[] = list.data?.items ?? [];
  const onPage = (p: number) => set({ page: p > 1 ? String(p) : undefined });
  const who = { title: t('pt.worker'), dataIndex: ['user', 'name'], key: 'who' };
  // on a phone (390 px) the visits read as cards, not a table wider than the screen
  const narrow = !Grid.useBreakpoint().md;
  return (
    <div>
      <PageTitle extra={writer && <Button type="primary" icon={<PlusOutlined />} onClick={() => setVisiting(true)}>{t('pt.newVisit')}</Button>}>{t('nav.patrols')}</PageTitle>
      <div className="gz-toolbar">
        {me.role !== 'grid_worker' && <>
          <label htmlFor="pt-region">{t('gm.regionFilter')}</label>
          <div style={{ width: 300, maxWidth: '100%' }}>
            <RegionCascader id="pt-region" rootCode={me.regionCode} onChange={(v) => set({ region: v[v.length - 1] })} />
          </div>
        </>}
        <label htmlFor="pt-from">{t('rg.audit.from')}</label>
        <DatePicker id="pt-from" allowClear={false} value={dayjs(from)} onChange={(d) => d && set({ from: d.format('YYYY-MM-DD') })} />
        <label htmlFor="pt-to">{t('rg.audit.to')}</label>
        <DatePicker id="pt-to" allowClear={false} value={dayjs(to)} onChange={(d) => d && set({ to: d.format('YYYY-MM-DD') })} />
        {writer && <Checkbox checked={mine} onChange={(e) => set({ mine: e.target.checked ? 'true' : undefined })} data-testid="pt-mine" style={{ minHeight: 44, alignItems: 'center' }}>{t('pt.mineOnly')}</Checkbox>}
        {writer && <CheckInButton onDone={() => { if (tab === 'check-ins') list.reload(); }} />}
      </div>
      {region && <p>{t('pt.regionShown', { region })} <Button type="link" size="small" onClick={() => set({ region: undefined })}>{t('pt.allRegions')}</Button></p>}
      <Tabs activeKey={tab} onChange={(k) => set({ tab: k === 'visits' ? undefined : k })}
        items={[{ key: 'visits', label: t('pt.visits') }, { key: 'patrols', label: t('pt.patrols') }, { key: 'check-ins', label: t('pt.checkIns') }]} />
      <ErrorNote error={list.error} />
      {tab === 'visits' && narrow && (
        <List<Visit> loading={list.loading} dataSource={items} aria-label={t('pt.visits')} data-testid="visits-cards" rowKey="id"
          pagination={items.length === PAGE_SIZE || page > 1 ? pager(page, items.length, onPage) : false}
          renderItem={(v) => (
            <List.Item style={{ padding: '4px 0' }}>
              {/* a visit recorded on the phone opens its page (走访详情); one recorded here its details */}
              {(() => {
                const card = (
                  <Card size="small" style={{ width: '100%' }} hoverable title={[v.householdName ?? v.householdRef, v.houseName ?? v.houseRef].filter(Boolean).join(' · ') || '—'}
                    extra={<Tag color={RESULT_COLOURS[v.result]}>{tk('pt.result.', v.result)}</Tag>}>
                    <div>{fmtTime(v.visitedAt, locale)} · {v.gridName ?? v.gridCode ?? '—'} · {v.user.name}</div>
                    {v.note && <div style={{ color: '#64748b', overflowWrap: 'anywhere' }}>{v.note}</div>}
                  </Card>
                );
                return v.fieldVisitId != null
                  ? <Link to={`/visits/${v.fieldVisitId}`} style={{ display: 'block', width: '100%', color: 'inherit' }} data-testid="visit-card-link">{card}</Link>
                  : (
                    <div role="button" tabIndex={0} aria-label={t('pt.visitDetailOpen')} style={{ width: '100%', cursor: 'pointer' }} data-testid="visit-card-open"
                      onClick={() => setShown(v)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setShown(v); } }}>{card}</div>
                  );
              })()}
            </List.Item>
          )} />
      )}
      {tab === 'visits' && !narrow && (
        <Table<Visit> rowKey="id" size="small" loading={list.loading} dataSource={items} aria-label={t('pt.visits')} data-testid="visits"
          scroll={{ x: 800 }} pagination={pager(page, items.length, onPage)}
          columns={[
            { title: t('pt.visitedAt'), dataIndex: 'visitedAt', render: (at, v) => (v.fieldVisitId != null ? <Link to={`/visits/${v.fieldVisitId}`}>{fmtTime(at, locale)}</Link>
              : <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => setShown(v)} title={t('pt.visitDetailOpen')} data-testid="visit-open">{fmtTime(at, locale)}</Button>) },
            { title: t('gm.grid'), dataIndex: 'gridCode', render: (c: string, v) => (c ? <Link to={`/grids/${c}`}>{v.gridName ?? c}</Link> : '—') },
            // a registry household reads as its address (the server names registry references)
            { title: t('pt.household'), key: 'ref', render: (_, v) => [v.householdName ?? v.householdRef, v.houseName ?? v.houseRef].filter(Boolean).join(' · ') },
            { title: t('pt.result'), dataIndex: 'result', render: (r) => <Tag color={RESULT_COLOURS[r]}>{tk('pt.result.', r)}</Tag> },
            who,
            { title: t('rg.f.note'), dataIndex: 'note' },
          ]} />
      )}
      {tab === 'patrols' && (
        <Table<Patrol> rowKey="id" size="small" loading={list.loading} dataSource={items} aria-label={t('pt.patrols')} data-testid="patrols"
          scroll={{ x: 800 }} pagination={pager(page, items.length, onPage)}
          columns={[
            { title: t('pt.startedAt'), dataIndex: 'startedAt', render: (v) => fmtTime(v, locale) },
            { title: t('pt.endedAt'), dataIndex: 'endedAt', render: (v) => fmtTime(v, locale) },
            who,
            { title: t('pt.distance'), dataIndex: 'distanceM', align: 'right', render: (m: number) => `${(m / 1000).toFixed(2)} km` },
            { title: t('pt.insideShare'), dataIndex: 'insideOwnShare', align: 'right', render: (s: number | null) => (s == null ? '—' : `${Math.round(s * 100)}%`) },
            { title: t('pt.grids'), dataIndex: 'grids', render: (g: string[]) => <>{g.map((c) => <span key={c} style={{ marginRight: 6 }}>{gridLink(c)}</span>)}</> },
            { title: t('rg.f.note'), dataIndex: 'note' },
          ]} />
      )}
      {tab === 'check-ins' && (
        <Table<CheckInRow> rowKey="id" size="small" loading={list.loading} dataSource={items} aria-label={t('pt.checkIns')} data-testid="check-ins"
          scroll={{ x: 800 }} pagination={pager(page, items.length, onPage)}
          columns={[
            { title: t('pt.at'), dataIndex: 'at', render: (v) => fmtTime(v, locale) },
            who,
            { title: t('pt.locatedGrid'), dataIndex: 'gridCode', render: gridLink },
            { title: t('pt.ownGrid'), dataIndex: 'insideOwnGrid', render: (b: boolean) => <Tag color={b ? 'green' : 'orange'}>{b ? t('pt.inside') : t('pt.outside')}</Tag> },
            { title: t('pt.position'), key: 'pos', render: (_, c) => `${c.lat.toFixed(5)}, ${c.lng.toFixed(5)}${c.accuracyM != null ? ` ±${Math.round(c.accuracyM)} m` : ''}` },
          ]} />
      )}
      {shown && <VisitDetail visit={shown} onClose={() => setShown(null)} />}
      {visiting && <VisitForm onClose={() => setVisiting(false)} onSaved={() => { setVisiting(false); message.success(t('common.saved')); if (tab === 'visits') list.reload(); else set({ tab: undefined }); }} />}
    </div>
  );
}
