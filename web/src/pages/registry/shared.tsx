// Pieces the registry and grid pages share: the reveal dialog (purpose first, audited by the API),
// the grid picker of the user's region, and server validation errors placed next to their fields.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Checkbox, Form, Input, Modal, Select, type FormInstance } from 'antd';
import { ErrorNote } from '../../components/Page.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { useMe } from '../../lib/auth.tsx';

/** Roles that may reveal by role (the API also honours per-user grants for grid workers). */
export const POPULATION_TYPES = ['registered', 'floating', 'overseas', 'left_behind'];
export const LABEL_TYPES = ['released_prisoner', 'community_correction', 'severe_mental_disorder', 'drug_user', 'key_youth', 'hiv_risk', 'petitioner', 'custom'];

/**
 * Filters and the page number kept in the URL (so a list can be linked and survives a reload): `get` reads
 * one, `set` changes one and, unless it is the page itself, goes back to the first page.
 */
export function useQueryState() {
  const [sp, setSp] = useSearchParams();
  const get = (k: string) => sp.get(k) ?? undefined;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v); else next.delete(k);
    if (k !== 'page') next.delete('page');
    setSp(next, { replace: true });
  };
  return { get, set, page: Number(get('page') ?? 1) };
}

/**
 * One page of a registry list and the list's total. The page is asked for without a count and the total once
 * per set of filters (a count walks every match: a district's million persons), so turning a page is one short
 * query. While a count is on its way the pager works from what the page itself says (is there a next page).
 */
export function usePagedList<T>(path: string | null, filters: Record<string, string | undefined>, page: number, onPage: (page: number) => void, pageSize = 20) {
  const { t } = useI18n();
  const list = useApi<Paged<T>>(path ? withQuery(path, { ...filters, page, pageSize }) : null);
  const count = useApi<Paged<T>>(path ? withQuery(path, { ...filters, pageSize: 1, count: 'true' }) : null);
  const counted = !count.loading && count.data?.total != null;
  const shown = (page - 1) * pageSize + (list.data?.items.length ?? 0) + (list.data?.hasMore ? 1 : 0);
  const pagination = {
    current: page, pageSize, showSizeChanger: false, total: counted ? count.data!.total! : shown,
    showTotal: (n: number) => (counted ? t('rg.total', { n }) : ''), onChange: onPage,
  };
  return { list, pagination };
}

export interface Paged<T> { items: T[]; page: number; pageSize: number; hasMore: boolean; total?: number }

/** Asks for a purpose, posts it to `path`, and hands the revealed values back. */
export function RevealDialog({ path, open, onClose, onRevealed, fields }: {
  path: string; open: boolean; onClose(): void; onRevealed(values: Record<string, any>): void;
  /** the personal fields one may ask for; only those chosen are revealed (and audited) */
  fields?: string[];
}) {
  const { t, tk } = useI18n();
  const [form] = Form.useForm();
  const { busy, error, save: submit } = useFormSubmit<{ purpose: string; fields?: string[] }>(form, async (v) => {
    const out = await api<Record<string, any>>(path, { body: { purpose: v.purpose.trim(), ...(fields ? { fields: v.fields } : {}) } });
    onRevealed(out); form.resetFields();
  }, { describe: (e) => (e instanceof ApiError && e.code === 'reveal_not_permitted' ? t('rg.revealNotPermitted') : null) });
  return (
    <Modal open={open} title={t('rg.revealTitle')} onCancel={onClose} onOk={submit} confirmLoading={busy}
      okText={t('rg.reveal')} cancelText={t('common.cancel')} destroyOnHidden>
      <p>{t('rg.revealHint')}</p>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="reveal" onFinish={submit}>
        {fields && (
          <Form.Item name="fields" label={t('rw.revealFields')} rules={[{ required: true, type: 'array', min: 1, message: t('rw.revealFieldsRule') }]}>
            <Checkbox.Group options={fields.map((f) => ({ value: f, label: tk('rw.field.', f) }))} />
          </Form.Item>
        )}
        <Form.Item name="purpose" label={t('rg.purpose')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('rg.purposeRule') }]}>
          <Input maxLength={200} autoFocus autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export interface GridOption { value: string; label: string }

/** The grids of the user's region (for filters and forms). */
export function useGridOptions(): GridOption[] {
  const me = useMe();
  const [opts, setOpts] = useState<GridOption[]>([]);
  useEffect(() => {
    let live = true;
    api<{ features: Array<{ properties: { code: string; name: string } }> }>(`/api/v1/regions/${me.regionCode}/grids`)
      .then((fc) => { if (live) setOpts(fc.features.map((f) => ({ value: f.properties.code, label: `${f.properties.name} (${f.properties.code})` }))); })
      .catch(() => undefined);
    return () => { live = false; };
  }, [me.regionCode]);
  return opts;
}

export function GridSelect({ id, value, onChange, allowClear = true, style, placeholder }: {
  id?: string; value?: string; onChange?(v: string | undefined): void; allowClear?: boolean; style?: React.CSSProperties; placeholder?: string;
}) {
  const { t } = useI18n();
  const options = useGridOptions();
  return (
    <Select id={id} showSearch={{ optionFilterProp: 'label' }} allowClear={allowClear} value={value} onChange={onChange}
      placeholder={placeholder ?? t('rg.any')} options={options} style={style ?? { width: 260 }} />
  );
}

export function fmtTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}

interface DictEntry { code: string; labelZh: string; labelEn: string | null }
const dictCache = new Map<string, Promise<Map<string, DictEntry>>>();

/** Code → label of the named code tables (性别, 民族 …), fetched once per page load. */
export function useDicts(names: string[]): (dict: string, code: unknown) => string {
  const { locale } = useI18n();
  const [dicts, setDicts] = useState<Record<string, Map<string, DictEntry>>>({});
  const key = names.join(',');
  useEffect(() => {
    let live = true;
    for (const n of names) {
      if (!dictCache.has(n)) {
        dictCache.set(n, api<{ entries: DictEntry[] }>(`/api/v1/dictionaries/${n}?all=true`)
          .then((d) => new Map(d.entries.map((e) => [e.code, e])))
          .catch(() => { dictCache.delete(n); return new Map<string, DictEntry>(); }));
      }
      void dictCache.get(n)!.then((m) => { if (live) setDicts((d) => ({ ...d, [n]: m })); });
    }
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return (dict, code) => {
    if (code == null || code === '') return '';
    const e = dicts[dict]?.get(String(code));
    if (!e) return String(code);
    return locale === 'en' ? (e.labelEn ?? e.labelZh) : e.labelZh;
  };
}

/** A record that does not exist and one outside the user's region look the same (the API answers 404 for both). */
export function RecordError({ error }: { error: ApiError | null }) {
  const { t } = useI18n();
  if (error?.status === 404) return <Alert type="error" showIcon title={t('common.notFound')} description={t('rg.notInScope')} role="alert" style={{ marginBottom: 16 }} />;
  return <ErrorNote error={error} />;
}

/** The active entries of a code table as select options. */
export function useDictOptions(name: string): Array<{ value: string; label: string }> {
  const { locale } = useI18n();
  const [opts, setOpts] = useState<DictEntry[]>([]);
  useEffect(() => {
    let live = true;
    api<{ entries: DictEntry[] }>(`/api/v1/dictionaries/${name}`).then((d) => { if (live) setOpts(d.entries); }).catch(() => undefined);
    return () => { live = false; };
  }, [name]);
  // the same array while nothing changed, so that an open dropdown is not rebuilt under the pointer
  return useMemo(() => opts.map((e) => ({ value: e.code, label: locale === 'en' ? (e.labelEn ?? e.labelZh) : e.labelZh })), [opts, locale]);
}
