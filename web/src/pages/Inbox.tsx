// Inbox (what waits for me or my unit) and the case list (everything in my scope): filters, search,
// paging, SLA lights; refreshed live from the events stream.
import { looksLikePhone, normalizePhone } from '../lib/phone.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { invalidFilters } from '../lib/urlFilters.ts';
import { APPEAL_KINDS } from '../components/HotlineDesk.tsx';
import { DatePicker } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { RegionCascader } from '../components/Pickers.tsx';

/** The cascader's path (street, community, grid codes below the user's own region) to a region code. */
const regionPath = (root: string, code: string | undefined): string[] =>
  (code ? [9, 12, 14].filter((n) => n > root.length && n <= code.length).map((n) => code.slice(0, n)) : []);
import { useSearchParams, Link } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { withQuery } from '../api/client.ts';
import { CaseTable } from '../components/CaseTable.tsx';
import { CategoryPicker } from '../components/Pickers.tsx';
import { ErrorNote, PageTitle } from '../components/Page.tsx';
import type { CaseList } from '../api/types.ts';
import { useWorkflows } from '../lib/workflows.ts';
import { reportForm } from '../lib/abilities.ts';

const COUNT_REFRESH_MS = 30_000;

export default function Inbox({ mode }: { mode: 'inbox' | 'all' }) {
  const { t, locale, pick } = useI18n();
  const me = useMe();
  const workflows = useWorkflows();
  const [params, setParams] = useSearchParams();
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  // a filter value from the address the API would refuse is dropped (and said so), never shown raw
  const [ignored, setIgnored] = useState(false);
  const bad = invalidFilters(params);
  useEffect(() => {
    const wrong = invalidFilters(params);
    if (!wrong.length) return;
    const next = new URLSearchParams(params);
    for (const k of wrong) next.delete(k);
    setIgnored(true);
    setParams(next, { replace: true });
  }, [params, setParams]);
  const get = (k: string) => (bad.includes(k) ? undefined : params.get(k) ?? undefined);
  const page = Number(get('page') ?? 1);
  const pageSize = Number(get('pageSize') ?? 20);
  const open = get('open') ?? (mode === 'all' ? 'true' : undefined);
  const filters = useMemo(() => ({
    inbox: mode === 'inbox' ? 'true' : undefined,
    q: get('q'), state: get('state'), group: get('group'), unit: get('unit'), region: get('region'), type: get('type'), sla: get('sla'), category: get('category'),
    appealKind: get('appealKind'), from: get('from'), to: get('to'), overdueHours: get('overdueHours'),
    open: open === 'all' ? undefined : open,
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [params, mode]);
  const sort = get('sort') ?? (mode === 'inbox' ? 'due_at' : '-created_at');
  // The page itself never asks for a count (a count walks every match: seconds for a street at a million
  // cases); the total is asked once per set of filters and, on live changes, at most every 30 s.
  const list = useApi<CaseList>(withQuery('/api/v1/cases', { ...filters, sort, page, pageSize }));
  const count = useApi<CaseList>(withQuery('/api/v1/cases', { ...filters, pageSize: 1, count: 'true' }));
  const lastCount = useRef(0);
  useLiveEvents(() => {
    list.reload();
    setUpdatedAt(new Date());
    if (Date.now() - lastCount.current > COUNT_REFRESH_MS) { lastCount.current = Date.now(); count.reload(); }
  });

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) { if (v == null || v === '') next.delete(k); else next.set(k, v); }
    if (!('page' in patch)) next.delete('page');
    setParams(next, { replace: true });
  };
  const title = mode === 'inbox' ? t('inbox.title') : t('cases.title');
  const form = reportForm(me);

  return (
    <div>
      <PageTitle extra={
        <>
          {form && <Link to={form}><Button type="primary" icon={<PlusOutlined />}>{t(form === '/report' ? 'nav.report' : 'nav.newCase')}</Button></Link>}
        </>
      }>{title}</PageTitle>
      {ignored && <Alert type="warning" showIcon closable role="status" style={{ marginBottom: 12 }} message={t('list.invalidFiltersIgnored')} onClose={() => setIgnored(false)} />}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline" className="gz-filters" aria-label={t('list.filters')} onSubmitCapture={(e) => e.preventDefault()}>
          <Form.Item label={t('list.search')} htmlFor="f-q">
            <Input.Search id="f-q" allowClear defaultValue={get('q')} placeholder={t('list.searchPlaceholder')} onSearch={(v) => set({ q: (looksLikePhone(v) ? normalizePhone(v) : v.trim()) || undefined })} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item label={t('case.state')} htmlFor="f-state">
            <Select id="f-state" allowClear mode="multiple" maxTagCount={2} style={{ minWidth: 180 }} value={get('state')?.split(',') ?? []}
              onChange={(v: string[]) => set({ state: v.join(',') || undefined })}
              options={(workflows?.stateOptions() ?? []).map((s) => ({ value: s.value, label: pick(s.label) }))} placeholder={t('list.any')} />
          </Form.Item>
          <Form.Item label={t('list.group')} htmlFor="f-group">
            <Select id="f-group" allowClear style={{ width: 120 }} value={get('group')} onChange={(v) => set({ group: v })} placeholder={t('list.any')}
              options={(workflows?.groupOptions() ?? []).map((g) => ({ value: g.value, label: pick(g.label) }))} />
          </Form.Item>
          <Form.Item label={t('case.sla')} htmlFor="f-sla">
            <Select id="f-sla" allowClear style={{ width: 110 }} value={get('sla')} onChange={(v) => set({ sla: v })} placeholder={t('list.any')}
              options={(['red', 'yellow', 'green'] as const).map((l) => ({ value: l, label: t(`sla.${l}`) }))} />
          </Form.Item>
          <Form.Item label={t('case.type')} htmlFor="f-type">
            <Select id="f-type" allowClear style={{ width: 150 }} value={get('type')} onChange={(v) => set({ type: v })} placeholder={t('list.any')}
              options={(workflows?.types() ?? []).map((d) => ({ value: d.type, label: pick(d.name) }))} />
          </Form.Item>
          <Form.Item label={t('list.region')} htmlFor="f-region">
            <div style={{ width: 240 }}>
              <RegionCascader id="f-region" rootCode={me.regionCode} value={regionPath(me.regionCode, get('region'))}
                onChange={(v) => set({ region: v?.[v.length - 1] || undefined })} />
            </div>
          </Form.Item>
          <Form.Item label={t('list.reportedBetween')} htmlFor="f-dates">
            <label htmlFor="f-dates-end" className="gz-visually-hidden">{`${t('list.reportedBetween')} · ${t('list.dateEnd')}`}</label>
            <DatePicker.RangePicker id={{ start: 'f-dates', end: 'f-dates-end' }} allowEmpty={[true, true]}
              value={[get('from') ? dayjs(get('from')) : null, get('to') ? dayjs(get('to')).subtract(1, 'day') : null]}
              onChange={(v) => set({
                from: v?.[0] ? `${v[0].format('YYYY-MM-DD')}T00:00:00+08:00` : undefined,
                to: v?.[1] ? `${v[1].add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` : undefined,
              })} />
          </Form.Item>
          <Form.Item label={t('list.overdueBy')} htmlFor="f-overdue">
            <Select id="f-overdue" allowClear style={{ width: 130 }} value={get('overdueHours')} onChange={(v) => set({ overdueHours: v })} placeholder={t('list.any')}
              options={[0, 24, 72, 168].map((h) => ({ value: String(h), label: h === 0 ? t('list.overdueAny') : t('list.overdueHours', { n: h / 24 }) }))} />
          </Form.Item>
          <Form.Item label={t('hd.appealKind')} htmlFor="f-appeal-kind">
            <Select id="f-appeal-kind" allowClear mode="multiple" maxTagCount={2} style={{ minWidth: 120 }} value={get('appealKind')?.split(',') ?? []}
              onChange={(v: string[]) => set({ appealKind: v.join(',') || undefined })} placeholder={t('list.any')}
              options={APPEAL_KINDS.map((k) => ({ value: k, label: t(`hd.kind.${k}`) }))} />
          </Form.Item>
          <Form.Item label={t('case.category')} htmlFor="f-category">
            <div style={{ width: 200 }}><CategoryPicker id="f-category" value={get('category')} onChange={(v) => set({ category: v })} placeholder={t('list.any')} /></div>
          </Form.Item>
          {mode === 'all' && (
            <Form.Item label={t('list.openness')} htmlFor="f-open">
              <Select id="f-open" style={{ width: 110 }} value={open ?? 'all'} onChange={(v) => set({ open: v })}
                options={[{ value: 'true', label: t('list.openOnly') }, { value: 'false', label: t('list.closedOnly') }, { value: 'all', label: t('list.all') }]} />
            </Form.Item>
          )}
          <Form.Item>
            <Space>
              <Button icon={<ReloadOutlined />} onClick={() => { list.reload(); count.reload(); }}>{t('common.refresh')}</Button>
              <Button icon={<DownloadOutlined />} href={withQuery('/api/v1/cases/export.xlsx', { ...filters, sort })} data-testid="export-xlsx">{t('list.exportXlsx')}</Button>
              <Typography.Text type="secondary" role="status" aria-live="polite" data-testid="list-updated">
                {updatedAt ? t('list.updatedLive', { at: updatedAt.toLocaleTimeString(locale) }) : ''}
              </Typography.Text>
            </Space>
          </Form.Item>
        </Form>
      </Card>
      <ErrorNote error={list.error} />
      <Card size="small">
        <CaseTable
          caption={title}
          items={list.data?.items ?? []}
          loading={list.loading && !list.data}
          paging={{ page, pageSize, total: count.data?.total, hasMore: !!list.data?.hasMore, onChange: (p, s) => set({ page: String(p), pageSize: String(s) }) }}
          onSort={(sort) => set({ sort })}
          sort={sort}
        />
      </Card>
    </div>
  );
}
