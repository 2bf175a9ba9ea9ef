// 网格管理: the grids of a region (street → community) with households, households visited and
// 巡查覆盖率 over a period; GeoJSON import for those who draw grids (admin, command and street centres).
import { useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Collapse, DatePicker, Form, Input, Modal, Progress, Select, Table } from 'antd';
import { MergeCellsOutlined, UploadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';
import { useFormSubmit } from '../../lib/forms.ts';
import { can } from '../../lib/abilities.ts';
import { ChangeReview } from './ChangeReview.tsx';
import { HouseholdsByArea } from './households-label.tsx';

interface GridRef { code: string; name: string }
interface CoverageRow {
  gridCode: string; name: string; kind: string; retired: boolean; households: number; visited: number; coverage: number | null;
  /** a retired grid: when, by which change, and the grids that replaced it */
  retiredAt?: string | null; retiredBy?: 'split' | 'merge' | null; successorGrids?: GridRef[];
}
interface Coverage {
  regionCode: string; from: string; to: string; items: CoverageRow[];
  total?: { grids: number; gridsWithHouseholds: number; households: number; visited: number; coverage: number | null };
}


function GeoJsonImport({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<'create' | 'upsert'>('create');
  const [error, setError] = useState<{ text: string; list: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true); setError(null);
    try {
      const body = JSON.parse(await file.text());
      const out = await api<{ count: number }>(withQuery('/api/v1/grids/import', { mode }), { body });
      message.success(t('gm.imported', { n: out.count }));
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        const errs = (e.extra.errors as Array<{ path: string; message: string }> | undefined) ?? [];
        setError({ text: e.message, list: errs.slice(0, 20).map((x) => `${x.path}: ${x.message}`) });
      } else setError({ text: String((e as Error).message ?? e), list: [] });
    } finally { setBusy(false); if (input.current) input.current.value = ''; }
  };
  return (
    <>
      <Select id="gm-geo-mode" value={mode} onChange={setMode} style={{ width: 150 }} aria-label={t('gm.importMode')}
        options={[{ value: 'create', label: t('gm.mode.create') }, { value: 'upsert', label: t('gm.mode.upsert') }]} />
      <input ref={input} id="gm-geo-file" type="file" accept=".json,.geojson,application/geo+json,application/json" hidden
        aria-label={t('gm.importFile')} onChange={(e) => pick(e.target.files?.[0])} />
      <Button icon={<UploadOutlined />} loading={busy} onClick={() => input.current?.click()}>{t('gm.importGeo')}</Button>
      {error && <Alert type="error" showIcon role="alert" title={error.text} style={{ flexBasis: '100%' }}
        description={error.list.length ? <ul style={{ margin: 0 }}>{error.list.map((l) => <li key={l}>{l}</li>)}</ul> : undefined} />}
    </>
  );
}

/** 已撤销网格: grids a split or merge retired, apart from the current ones, each with when and into which grids (collapsed). */
function RetiredGrids({ rows, from, to }: { rows: CoverageRow[]; from: string; to: string }) {
  const { t } = useI18n();
  if (!rows.length) return null;
  const fate = (g: CoverageRow) => {
    // the sentence with the new grids as links in place of {grids}
    const [before, after] = t(`gm.retiredBy.${g.retiredBy ?? 'none'}` as MessageKey, { day: g.retiredAt ? dayjs(g.retiredAt).format('YYYY-MM-DD') : '—', grids: '\u0000' }).split('\u0000');
    const links = (g.successorGrids ?? []).map((x, i) => <span key={x.code}>{i > 0 && '、'}<Link to={`/grids/${x.code}`} title={x.code}>{x.name}</Link></span>);
    return <>{before}{after != null && <>{links}{after}</>}</>;
  };
  return (
    <Collapse style={{ marginTop: 16 }} data-testid="retired-grids" items={[{
      key: 'retired', label: t('gm.retiredGrids', { n: rows.length }), children: (
        <>
          <p style={{ marginTop: 0, color: 'rgba(0,0,0,0.55)' }}>{t('gm.retiredGridsHint')}</p>
          <Table<CoverageRow> rowKey="gridCode" size="small" pagination={false} dataSource={rows} aria-label={t('gm.retiredGrids', { n: rows.length })}
            columns={[
              { title: t('gm.grid'), dataIndex: 'name', render: (v, g) => <Link to={`/grids/${g.gridCode}`}>{v}</Link> },
              { title: t('rg.gridCode'), dataIndex: 'gridCode' },
              { title: t('gm.retiredInto'), key: 'fate', render: (_, g) => fate(g) },
              { title: t('gm.visited'), dataIndex: 'visited', align: 'right', render: (n: number, g) => <Link to={`/patrols?region=${g.gridCode}&from=${from}&to=${to}`}>{n}</Link> },
            ]} />
        </>
      ),
    }]} />
  );
}

/** Merges grids of one community into a new grid; the API computes the outline from their shared edges. */
function MergeDialog({ codes, onClose }: { codes: string[]; onClose(): void }) {
  const { t } = useI18n();
  const nav = useNavigate();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<{ name: string; note?: string }>(form, async (v) => {
    const out = await api<{ created: Array<{ code: string }> }>('/api/v1/grids/merge', { body: { codes, name: v.name.trim(), ...(v.note?.trim() ? { note: v.note.trim() } : {}) } });
    onClose();
    nav(`/grids/${out.created[0].code}`);
  }, { fields: ['name', 'note'] });
  return (
    <Modal open title={t('gm.merge')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('gm.merge')} cancelText={t('common.cancel')} destroyOnHidden>
      <p>{t('gm.mergeHint', { codes: codes.join(', ') })}</p>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="grid-merge">
        <Form.Item name="name" label={t('gm.newName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="note" label={t('rg.f.note')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

export default function Grids() {
  const { t, tk } = useI18n();
  const me = useMe();
  const [sp, setSp] = useSearchParams();
  const region = sp.get('region') ?? me.regionCode;
  const from = sp.get('from') ?? dayjs().startOf('month').format('YYYY-MM-DD');
  const to = sp.get('to') ?? dayjs().format('YYYY-MM-DD');
  const set = (vals: Record<string, string | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(vals)) { if (v) next.set(k, v); else next.delete(k); }
    setSp(next, { replace: true });
  };
  const cov = useApi<Coverage>(withQuery('/api/v1/grids/coverage', { region, from, to }));
  const [selected, setSelected] = useState<string[]>([]);
  const [merging, setMerging] = useState(false);
  const writer = can(me, 'grid.write');
  // the count above the list is of current grids: so is the list; retired ones are listed apart
  const current = (cov.data?.items ?? []).filter((g) => !g.retired);
  const retired = (cov.data?.items ?? []).filter((g) => g.retired);
  return (
    <div>
      <PageTitle>{t('nav.grids')}</PageTitle>
      <div className="gz-toolbar">
        <label htmlFor="gm-region">{t('gm.regionFilter')}</label>
        <div style={{ width: 300 }}>
          <RegionCascader id="gm-region" rootCode={me.regionCode} onChange={(v) => set({ region: v[v.length - 1] })} />
        </div>
        <label htmlFor="gm-from">{t('rg.audit.from')}</label>
        <DatePicker id="gm-from" allowClear={false} value={dayjs(from)} onChange={(d) => d && set({ from: d.format('YYYY-MM-DD') })} />
        <label htmlFor="gm-to">{t('rg.audit.to')}</label>
        <DatePicker id="gm-to" allowClear={false} value={dayjs(to)} onChange={(d) => d && set({ to: d.format('YYYY-MM-DD') })} />
        {writer && <GeoJsonImport onDone={cov.reload} />}
        {writer && <Button icon={<MergeCellsOutlined />} disabled={selected.length < 2} onClick={() => setMerging(true)}>{t('gm.merge')}</Button>}
      </div>
      <ErrorNote error={cov.error} />
      <ChangeReview onResolved={cov.reload} />
      {cov.data?.total && (
        <p data-testid="coverage-total">{t(cov.data.total.gridsWithHouseholds === 0 ? 'gm.totalNoHouseholds'
          : cov.data.total.gridsWithHouseholds < cov.data.total.grids ? 'gm.totalPartial' : 'gm.total', {
          grids: cov.data.total.grids, households: cov.data.total.households, visited: cov.data.total.visited,
          missing: cov.data.total.grids - cov.data.total.gridsWithHouseholds,
          rate: cov.data.total.coverage == null ? '—' : `${Math.round(cov.data.total.coverage * 1000) / 10}%`, from: cov.data.from, to: cov.data.to,
        })}</p>
      )}
      <Table<CoverageRow> rowKey="gridCode" size="small" loading={cov.loading} dataSource={current} aria-label={t('gm.list')}
        pagination={{ pageSize: 20, showSizeChanger: false }} scroll={{ x: 800 }} data-testid="grid-coverage"
        rowSelection={writer ? {
          selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]),
          getCheckboxProps: (g) => ({ 'aria-label': g.name }),
        } : undefined}
        columns={[
          { title: t('gm.grid'), dataIndex: 'name', render: (v, g) => <Link to={`/grids/${g.gridCode}`}>{v}</Link> },
          { title: t('rg.gridCode'), dataIndex: 'gridCode' },
          { title: t('gm.kind'), dataIndex: 'kind', render: (v) => tk('gm.kind.', v) },
          { title: <HouseholdsByArea />, dataIndex: 'households', align: 'right' },
          { title: t('gm.visited'), dataIndex: 'visited', align: 'right', render: (n: number, g) => <Link to={`/patrols?region=${g.gridCode}&from=${from}&to=${to}`}>{n}</Link> },
          {
            title: t('gm.coverage'), dataIndex: 'coverage', width: 200,
            render: (c: number | null) => (c == null ? '—' : <Progress percent={Math.round(c * 1000) / 10} size="small" aria-label={t('gm.coverage')} />),
          },
        ]} />
      <RetiredGrids rows={retired} from={from} to={to} />
      {merging && <MergeDialog codes={selected} onClose={() => { setMerging(false); setSelected([]); cov.reload(); }} />}
    </div>
  );
}
