// Splitting a grid (拆分网格): the user draws a cutting line across it on the map (two clicks) or pastes the
// parts as GeoJSON, names the parts, and the API checks that they tile the grid. The old grid is retired;
// the result names the new grids, and the grid's history shows the split.
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Col, Form, Input, InputNumber, Radio, Row, Space } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import type { FC } from '../../components/map/index.tsx';

type Pos = [number, number];
type Area = GeoJSON.Polygon | GeoJSON.MultiPolygon;
export interface SplitResult {
  retired: string[];
  /** staff: active grid staff on the new grid after the split carried them (absent from older servers);
   * keyPersons, overdueFollowUps: the key persons with follow-ups now on it, and those overdue */
  created: Array<{ code: string; name: string; areaM2: number; households: number | null; staff?: number; keyPersons?: number; overdueFollowUps?: number }>;
  accountsOnRetiredGrids?: Array<{ username: string; displayName?: string | null }>;
  /** how many people and records the split could not place: they wait on the review list (待安置) */
  toReview?: number;
}

/** Where the grids page lists what a grid change could not place (ChangeReview's card). */
export const REVIEW_LINK = '/grids#grid-review';

/**
 * Cuts a simple polygon (one ring, no holes) by the line through p and q into the part on each side.
 * Both parts get the very same intersection points, so they share the cut edge exactly (the API checks
 * that the parts tile the grid). Null when the line does not cross the outline exactly twice.
 */
export function cutPolygon(geometry: Area, p: Pos, q: Pos): [GeoJSON.Polygon, GeoJSON.Polygon] | null {
  if (geometry.type !== 'Polygon' || geometry.coordinates.length !== 1) return null;
  const ring = geometry.coordinates[0].slice(0, -1) as Pos[];
  const a = p[1] - q[1];
  const b = q[0] - p[0];
  const t = a * p[0] + b * p[1];
  const side = (x: Pos) => a * x[0] + b * x[1] - t;
  const left: Pos[] = [];
  const right: Pos[] = [];
  let crossings = 0;
  for (let i = 0; i < ring.length; i++) {
    const u = ring[i];
    const v = ring[(i + 1) % ring.length];
    const fu = side(u);
    const fv = side(v);
    if (fu <= 0) left.push(u);
    if (fu >= 0) right.push(u);
    if ((fu < 0 && fv > 0) || (fu > 0 && fv < 0)) {
      const s = fu / (fu - fv);
      const x: Pos = [u[0] + (v[0] - u[0]) * s, u[1] + (v[1] - u[1]) * s];
      left.push(x);
      right.push(x);
      crossings++;
    }
  }
  if (crossings !== 2 || left.length < 3 || right.length < 3) return null;
  const close = (r: Pos[]): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [[...r, r[0]]] });
  return [close(left), close(right)];
}

/** The parts of a pasted FeatureCollection (or a bare list of geometries). */
function partsFromText(text: string): Array<{ geometry: Area; name?: string }> {
  const doc = JSON.parse(text);
  const list: any[] = doc?.type === 'FeatureCollection' ? doc.features : Array.isArray(doc) ? doc : [doc];
  return list.map((f) => (f?.type === 'Feature' ? { geometry: f.geometry, name: f.properties?.name } : { geometry: f }));
}

/** 新网格一, 新网格二 …: the parts before they are named (digits in English). */
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** Rough area in hectares, for the preview (the API computes the real one). */
function hectares(g: Area): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let sum = 0;
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const lat0 = (ring[0][1] * Math.PI) / 180;
      let twice = 0;
      for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) twice += (ring[j][0] - ring[k][0]) * (ring[j][1] + ring[k][1]);
      const m2 = (Math.abs(twice) / 2) * 111_320 * 111_320 * Math.cos(lat0);
      sum += i === 0 ? m2 : -m2;
    });
  }
  return sum / 10_000;
}

export function SplitPanel({ grid, line, onPreview, onCancel, onDone }: {
  grid: { code: string; name: string; geometry: Area };
  /** the points of the cutting line clicked on the map so far */
  line: Pos[];
  /** the parts to show on the map (null: none yet) */
  onPreview(parts: FC | null): void;
  onCancel(): void;
  onDone(result: SplitResult): void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm();
  // the preview map labels each part by the name typed for it (else 新网格一, 新网格二 …), never an internal key
  // (every value, the part names registered as the parts appear: preserve reads them all; the map's label
  // markers take the new text under the same key, GovMap)
  const typed = Form.useWatch((values: Record<string, unknown>) => values, { form, preserve: true }) as Record<string, unknown> | undefined;
  const [mode, setMode] = useState<'line' | 'geojson'>(grid.geometry.type === 'Polygon' && grid.geometry.coordinates.length === 1 ? 'line' : 'geojson');
  const [text, setText] = useState('');
  const parsed = useMemo<{ parts: Array<{ geometry: Area; name?: string }>; problem: string | null }>(() => {
    if (mode === 'line') {
      if (line.length < 2) return { parts: [], problem: null };
      const cut = cutPolygon(grid.geometry, line[0], line[1]);
      return cut ? { parts: cut.map((geometry) => ({ geometry })), problem: null } : { parts: [], problem: t('gm.splitCrossing') };
    }
    if (!text.trim()) return { parts: [], problem: null };
    // the parser's own words (Unexpected end of JSON input) are for developers: say it in the user's language
    try { return { parts: partsFromText(text), problem: null }; } catch { return { parts: [], problem: t('gm.splitBadJson') }; }
  }, [mode, line, text, grid.geometry, t]);
  useEffect(() => {
    onPreview(parsed.parts.length ? {
      type: 'FeatureCollection',
      features: parsed.parts.map((p, i) => {
        const name = String(typed?.[`name${i}`] ?? '').trim() || p.name || t('gm.newPart', { n: locale === 'en' ? String(i + 1) : NUMERALS[i] ?? String(i + 1) });
        return { type: 'Feature', geometry: p.geometry, properties: { code: `${grid.code}#${i + 1}`, name, shortName: name, value: (i + 1) / parsed.parts.length } };
      }),
    } : null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parsed, typed]);
  // name the parts after the grid unless the pasted features bring names
  useEffect(() => {
    parsed.parts.forEach((p, i) => {
      const key = `name${i}`;
      if (p.name || !form.getFieldValue(key)) form.setFieldValue(key, p.name ?? `${grid.name}（${i + 1}）`);
    });
  }, [parsed, form, grid.name]);
  const { busy, error, save } = useFormSubmit<Record<string, any>>(form, async (v) => {
    const parts = parsed.parts.map((p, i) => ({
      geometry: p.geometry, name: String(v[`name${i}`]).trim(), ...(v[`households${i}`] != null ? { households: v[`households${i}`] } : {}),
    }));
    const out = await api<SplitResult>(`/api/v1/grids/${grid.code}/split`, { body: { parts, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } });
    onDone(out);
  }, { fields: ['note'] });
  return (
    <div data-testid="split-panel">
      <p style={{ marginTop: 0 }}>{t('gm.splitHint')}</p>
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} optionType="button" aria-label={t('gm.split')}
        options={[{ value: 'line', label: t('gm.splitDraw'), disabled: grid.geometry.type !== 'Polygon' }, { value: 'geojson', label: t('gm.splitGeoJson') }]} />
      {mode === 'line' && grid.geometry.type === 'Polygon' && <p role="status" aria-live="polite" style={{ marginTop: 8 }}>{t('gm.splitDrawHint', { n: Math.min(line.length, 2) })}</p>}
      {mode === 'line' && grid.geometry.type !== 'Polygon' && <Alert type="info" showIcon title={t('gm.splitNotSimple')} style={{ marginTop: 8 }} />}
      {mode === 'geojson' && (
        <div style={{ marginTop: 8 }}>
          <label htmlFor="gm-split-json">{t('gm.splitGeoJsonLabel')}</label>
          <Input.TextArea id="gm-split-json" rows={5} value={text} onChange={(e) => setText(e.target.value)} style={{ fontFamily: 'monospace' }} />
        </div>
      )}
      {parsed.problem && <Alert type="warning" showIcon role="alert" title={parsed.problem} style={{ marginTop: 8 }} />}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 8 }} />}
      <Form form={form} layout="vertical" name="grid-split" style={{ marginTop: 8 }}>
        {parsed.parts.length > 0 && <strong>{t('gm.splitParts')}</strong>}
        {parsed.parts.map((p, i) => (
          <Row gutter={12} key={i}>
            <Col xs={24} md={14}>
              <Form.Item name={`name${i}`} label={t('gm.partName', { n: i + 1 })} extra={t('gm.partArea', { ha: hectares(p.geometry).toFixed(2) })}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name={`households${i}`} label={t('gm.partHouseholds', { n: i + 1 })} extra={t('gm.householdsAuto')}>
                <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        ))}
        <Form.Item name="note" label={t('gm.splitNote')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
      <Space>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" danger disabled={parsed.parts.length < 2} loading={busy} onClick={save}>{t('gm.splitConfirm')}</Button>
      </Space>
    </div>
  );
}

export function SplitResultNote({ result, onClose }: { result: SplitResult; onClose(): void }) {
  const { t } = useI18n();
  const accounts = result.accountsOnRetiredGrids ?? [];
  // a new grid nobody staffs: what lands on it (a key person's overdue follow-up) would go unnoticed
  const unstaffed = result.created.filter((c) => c.staff === 0);
  return (
    <div style={{ marginBottom: 16 }}>
      <Alert type="success" showIcon closable={{ onClose }} role="status" data-testid="split-result"
        title={t('gm.splitDone', { n: result.created.length })}
        description={<>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {result.created.map((c) => (
              <li key={c.code}>
                <Link to={`/grids/${c.code}`}>{c.name}</Link> ({c.code}) · {(c.areaM2 / 10_000).toFixed(2)} ha · {t('gm.householdsByArea')} {c.households ?? '—'}
              </li>
            ))}
          </ul>
          {result.toReview != null && (
            <p style={{ margin: '8px 0 0' }} data-testid="split-to-review">
              {result.toReview > 0
                ? <>{t('gm.splitToReview', { n: result.toReview })} <Link to={REVIEW_LINK}>{t('gm.splitToReviewLink')}</Link></>
                : t('gm.splitNoneToReview')}
            </p>
          )}
          {/* people by their names; the account name only for an account that has none */}
          {accounts.length > 0 && <p style={{ margin: '8px 0 0' }}>{t(result.toReview ? 'gm.splitAccountsReview' : 'gm.splitAccounts', { names: accounts.map((a) => a.displayName || a.username).join('、') })}</p>}
        </>} />
      {unstaffed.map((c) => (
        <Alert key={c.code} type="warning" showIcon role="alert" data-testid="split-no-staff" style={{ marginTop: 8 }}
          title={<>
            {t('gm.splitNoStaff', { name: c.name })}
            {/* what waits there: key persons to follow up, some overdue already */}
            {c.keyPersons ? (c.overdueFollowUps ? t('gm.splitNoStaffKeyOverdue', { n: c.keyPersons, m: c.overdueFollowUps }) : t('gm.splitNoStaffKey', { n: c.keyPersons })) : ''}
            <Link to={`/grids/${c.code}#grid-staff`}>{t('gm.splitNoStaffLink')}</Link>
          </>} />
      ))}
    </div>
  );
}
