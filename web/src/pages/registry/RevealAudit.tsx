// 查看审计: who revealed which personal data, when and why — for administrators, command centres and street centres,
// in their region (the API scopes). Filters by record, region and period; paged.
import { lazy, Suspense } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, DatePicker, Input, Space, Spin, Table, Tabs, Tag } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { fmtTime, useQueryState, type Paged } from './shared.tsx';
import { useMe } from '../../lib/auth.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';
import { can } from '../../lib/abilities.ts';

const RevealGrants = lazy(() => import('./RevealGrants.tsx'));

interface Reveal {
  id: number; at: string; action: string; target: string; regionCode: string; regionName: string | null;
  targetKind: string; targetId: number | null; targetName: string | null; targetExists: boolean;
  actor: { id: number | null; username: string | null; displayName: string | null; role: string | null };
  purpose: string | null; fields: string[] | null; via: string | null;
}

const PATHS: Record<string, string> = { person: '/registry/persons', house: '/registry/houses', room: '/registry/rooms', place: '/registry/places', organisation: '/registry/organisations', case: '/cases' };

/**
 * The object of a reveal by its kind and name (罗** · 500117********1234, an address, a case number), linked
 * to its record; a record removed since keeps the (masked) name it had when revealed. Never its row id.
 */
function TargetLink({ r }: { r: Reveal }) {
  const { t, tk } = useI18n();
  const kind = tk('rw.target.', r.targetKind);
  if (!r.targetExists) return <span>{kind} · {r.targetName ? t('rw.targetRemovedNamed', { name: r.targetName }) : t('rw.targetRemoved')}</span>;
  const text = r.targetName ? `${kind} · ${r.targetName}` : kind;
  return PATHS[r.targetKind] && r.targetId != null ? <Link to={`${PATHS[r.targetKind]}/${r.targetId}`}>{text}</Link> : <span>{text}</span>;
}

/** The audit; administrators also manage reveal grants here. */
export default function RevealAuditPage() {
  const { t } = useI18n();
  const me = useMe();
  const [sp, setSp] = useSearchParams();
  if (!can(me, 'registry.administer')) return <div><PageTitle>{t('rg.audit.title')}</PageTitle><RevealAudit /></div>;
  return (
    <div>
      <PageTitle>{t('rg.audit.title')}</PageTitle>
      <Tabs activeKey={sp.get('tab') ?? 'log'} onChange={(k) => setSp(k === 'log' ? {} : { tab: k }, { replace: true })} items={[
        { key: 'log', label: t('rg.audit.log'), children: <RevealAudit /> },
        { key: 'grants', label: t('rg.grant.title'), children: <Suspense fallback={<Spin />}><RevealGrants /></Suspense> },
      ]} />
    </div>
  );
}

function RevealAudit() {
  const { t, tk, locale } = useI18n();
  const { get, set, page } = useQueryState();
  const me = useMe();
  const from = get('from');
  const to = get('to');
  const list = useApi<Paged<Reveal>>(withQuery('/api/v1/audit/reveals', {
    person: get('person'), viewer: get('viewer'), regionCode: get('region'), page, pageSize: 50,
    from: from ? dayjs(from).startOf('day').toISOString() : undefined,
    to: to ? dayjs(to).add(1, 'day').startOf('day').toISOString() : undefined,
  }));
  return (
    <div>
      <div className="gz-toolbar">
        <label htmlFor="a-person">{t('rw.audit.person')}</label>
        <Input.Search id="a-person" allowClear placeholder={t('rw.audit.personHint')} defaultValue={get('person')} style={{ width: 220 }} autoComplete="off"
          onSearch={(v) => set('person', v.trim() || undefined)} />
        <label htmlFor="a-viewer">{t('rw.audit.viewer')}</label>
        <Input.Search id="a-viewer" allowClear placeholder={t('rw.audit.viewerHint')} defaultValue={get('viewer')} style={{ width: 180 }}
          onSearch={(v) => set('viewer', v.trim() || undefined)} />
        <label htmlFor="a-region">{t('rg.audit.region')}</label>
        {/* picked from the region tree under one's own territory, not typed as a code */}
        <div style={{ width: 260, maxWidth: '100%' }}>
          <RegionCascader id="a-region" rootCode={me.regionCode} onChange={(v) => set('region', v.length ? v[v.length - 1] : undefined)} />
        </div>
        <label htmlFor="a-from">{t('rg.audit.from')}</label>
        <DatePicker id="a-from" value={from ? dayjs(from) : null} onChange={(d) => set('from', d ? d.format('YYYY-MM-DD') : undefined)} />
        <label htmlFor="a-to">{t('rg.audit.to')}</label>
        <DatePicker id="a-to" value={to ? dayjs(to) : null} onChange={(d) => set('to', d ? d.format('YYYY-MM-DD') : undefined)} />
      </div>
      <ErrorNote error={list.error} />
      <Table<Reveal> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={t('rg.audit.title')}
        pagination={false} scroll={{ x: 980 }} data-testid="reveal-audit"
        columns={[
          { title: t('rg.audit.at'), dataIndex: 'at', width: 170, render: (v) => fmtTime(v, locale) },
          { title: t('rg.audit.actor'), key: 'actor', width: 200, render: (_, r) => <span>{r.actor.displayName ?? r.actor.username} {r.actor.role && <Tag>{tk('role.', r.actor.role)}</Tag>}</span> },
          { title: t('rg.audit.target'), dataIndex: 'target', width: 240, render: (_, r) => <TargetLink r={r} /> },
          { title: t('rg.region'), dataIndex: 'regionCode', width: 150, render: (v, r) => r.regionName ?? v },
          { title: t('rg.audit.fields'), dataIndex: 'fields', render: (f: string[] | null) => (f ?? []).map((x) => tk('rw.field.', x)).join('、') },
          { title: t('rg.audit.purpose'), dataIndex: 'purpose' },
          { title: t('rg.audit.via'), dataIndex: 'via', width: 100, render: (v) => (v ? tk('rg.audit.via.', v) : '') },
        ]} />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={page <= 1} onClick={() => set('page', page > 2 ? String(page - 1) : undefined)}>{t('rg.audit.prev')}</Button>
        <span>{page}</span>
        <Button disabled={!list.data?.hasMore} onClick={() => set('page', String(page + 1))}>{t('rg.audit.next')}</Button>
      </Space>
    </div>
  );
}
