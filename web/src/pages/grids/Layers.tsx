// 专业网格 (多网合一): the professional grid layers of the user's region (城管, 安监, 环保, 消防, 警务 …); one
// layer's grids on a map and the comprehensive grids each maps onto. Administrators and command centres
// create layers and give them grids: composed from comprehensive grids, or uploaded as GeoJSON.
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, Modal, Row, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';
import { LazyMap, type FC } from '../../components/map/index.tsx';
import { useGridOptions } from '../registry/shared.tsx';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { can } from '../../lib/abilities.ts';

const LAYER_KINDS = ['urban_management', 'work_safety', 'environment', 'fire', 'police', 'market', 'emergency', 'other'];
/** Who may create layers and change their grids (policy.ts: layer.write). */

interface Layer { id: string; kind: string; name: string; regionCode: string; unitId: string | null; unitName: string | null; cells?: number }
interface MapRow { cellCode: string; cellName: string; gridCode: string; gridName: string; source: 'explicit' | 'computed' }
interface CellRow { cellCode: string; cellName: string; grids: MapRow[] }
interface Cell { type: 'Feature'; geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon; properties: { code: string; name: string; grids: string[] } }
interface Cells { type: 'FeatureCollection'; features: Cell[] }

function NewLayer({ onClose, onSaved }: { onClose(): void; onSaved(id: string): void }) {
  const { t } = useI18n();
  const me = useMe();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<{ id: string; kind: string; name: string; region?: string[]; unitId?: string }>(form, async (v) => {
    const body = {
      id: v.id.trim(), kind: v.kind, name: v.name.trim(), regionCode: v.region?.length ? v.region[v.region.length - 1] : me.regionCode,
      ...(v.unitId?.trim() ? { unitId: v.unitId.trim() } : {}),
    };
    await api('/api/v1/grid-layers', { body });
    onSaved(body.id);
  }, { fields: ['id', 'kind', 'name', 'unitId'] });
  return (
    <Modal open title={t('gl.new')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="grid-layer" initialValues={{ kind: undefined }}>
        <Form.Item name="kind" label={t('gl.kind')} rules={[{ required: true, message: t('form.required') }]}>
          <Select options={LAYER_KINDS.map((k) => ({ value: k, label: t(`gl.kind.${k}` as MessageKey) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('gl.name')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="id" label={t('gl.id')} extra={t('gl.idHint')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
          <Input maxLength={48} autoComplete="off" />
        </Form.Item>
        <Form.Item name="region" label={t('gl.region')}><RegionCascader rootCode={me.regionCode} /></Form.Item>
        <Form.Item name="unitId" label={t('gl.unitId')}><Input maxLength={64} autoComplete="off" /></Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * A layer grid made of comprehensive grids: its outline is theirs (a MultiPolygon) and it maps onto them
 * explicitly. The API replaces a layer's grids as a whole, so the layer's other grids are sent along unchanged.
 */
function ComposeCell({ layer, cells, mapping, onClose, onSaved }: {
  layer: Layer; cells: Cells; mapping: MapRow[]; onClose(): void; onSaved(out: { cells: number; mappings: number }): void;
}) {
  const { t } = useI18n();
  const grids = useGridOptions();
  const [form] = Form.useForm();
  // the layer's errors name features, not this form's fields: they go above the form
  const { busy, error, save } = useFormSubmit<{ code: string; name: string; grids: string[] }>(form, async (v) => {
    const shapes = await Promise.all(v.grids.map((c) => api<{ geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon }>(`/api/v1/grids/${c}`)));
    const polygons = shapes.flatMap((g) => (g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates));
    const explicit = (code: string) => mapping.filter((m) => m.cellCode === code && m.source === 'explicit').map((m) => m.gridCode);
    const kept = cells.features.filter((f) => f.properties.code !== v.code.trim()).map((f) => {
      const given = explicit(f.properties.code);
      return { type: 'Feature', geometry: f.geometry, properties: { code: f.properties.code, name: f.properties.name, ...(given.length ? { grids: given } : {}) } };
    });
    const added = {
      type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: polygons },
      properties: { code: v.code.trim(), name: v.name.trim(), grids: v.grids },
    };
    const out = await api<{ cells: number; mappings: number }>(`/api/v1/grid-layers/${layer.id}/grids`, {
      method: 'PUT', body: { type: 'FeatureCollection', features: [...kept, added] },
    });
    onSaved(out);
  }, { fields: [] });
  return (
    <Modal open title={t('gl.addCell')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={640}>
      <p>{t('gl.addCellHint')}</p>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="layer-cell">
        <Form.Item name="code" label={t('gl.cellCode')} rules={[{ required: true, whitespace: true, message: t('form.required') }, { pattern: /^\s*[\w.-]{1,40}\s*$/, message: t('gl.cellCode') }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('gl.cellName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="grids" label={t('gl.cellGrids')} rules={[{ required: true, message: t('form.required') }]}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={grids} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function LayerPanel({ layer, writer, onChanged }: { layer: Layer; writer: boolean; onChanged(): void }) {
  const { t, tk } = useI18n();
  const { message } = App.useApp();
  const cells = useApi<Cells>(`/api/v1/grid-layers/${layer.id}/grids`);
  const mapping = useApi<{ items: MapRow[] }>(`/api/v1/grid-layers/${layer.id}/mapping`);
  const [composing, setComposing] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const reload = () => { cells.reload(); mapping.reload(); onChanged(); };
  const saved = (out: { cells: number; mappings: number }) => { message.success(t('gl.saved', out)); reload(); };
  const upload = async (f: File | undefined) => {
    if (!f) return;
    setBusy(true); setUploadError(null);
    try { saved(await api(`/api/v1/grid-layers/${layer.id}/grids`, { method: 'PUT', body: JSON.parse(await f.text()) })); } catch (e) { setUploadError(errorText(e)); } finally {
      setBusy(false); if (file.current) file.current.value = '';
    }
  };
  // one row per layer grid, with the comprehensive grids it maps onto
  const rows: CellRow[] = [];
  for (const m of mapping.data?.items ?? []) {
    const last = rows[rows.length - 1];
    if (last?.cellCode === m.cellCode) last.grids.push(m); else rows.push({ cellCode: m.cellCode, cellName: m.cellName, grids: [m] });
  }
  for (const f of cells.data?.features ?? []) {
    if (!rows.some((r) => r.cellCode === f.properties.code)) rows.push({ cellCode: f.properties.code, cellName: f.properties.name, grids: [] });
  }
  return (
    <Card size="small" style={{ marginTop: 16 }} data-testid="layer-panel"
      title={<>{layer.name} <Tag color="blue">{tk('gl.kind.', layer.kind)}</Tag></>}
      extra={writer && <Space wrap>
        <Button size="small" icon={<PlusOutlined />} disabled={!cells.data || !mapping.data} onClick={() => setComposing(true)}>{t('gl.addCell')}</Button>
        <input ref={file} type="file" hidden accept=".json,.geojson,application/geo+json,application/json" aria-label={t('gl.uploadFile')}
          onChange={(e) => upload(e.target.files?.[0])} />
        <Button size="small" icon={<UploadOutlined />} loading={busy} onClick={() => file.current?.click()}>{t('gl.upload')}</Button>
      </Space>}>
      {uploadError && <Alert type="error" showIcon role="alert" title={uploadError} style={{ marginBottom: 12 }} />}
      <ErrorNote error={cells.error ?? mapping.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Table<CellRow> rowKey="cellCode" size="small" pagination={false} loading={mapping.loading} dataSource={rows}
            aria-label={t('gl.mapping')} locale={{ emptyText: t('gl.noMapping') }} data-testid="layer-mapping"
            columns={[
              { title: t('gl.cellCode'), dataIndex: 'cellCode' },
              { title: t('gl.cellName'), dataIndex: 'cellName' },
              {
                title: t('gl.grids'), key: 'grids',
                render: (_, r) => <Space wrap size={[4, 4]}>{r.grids.map((g) => (
                  <span key={g.gridCode}><Link to={`/grids/${g.gridCode}`}>{g.gridName}</Link> <Tag>{tk('gl.source.', g.source)}</Tag></span>
                ))}</Space>,
              },
            ]} />
        </Col>
        <Col xs={24} lg={12}>
          <LazyMap ariaLabel={t('gl.onMap')} grids={cells.data as FC | null} fit="grids" />
        </Col>
      </Row>
      {composing && cells.data && mapping.data && (
        <ComposeCell layer={layer} cells={cells.data} mapping={mapping.data.items} onClose={() => setComposing(false)}
          onSaved={(out) => { setComposing(false); saved(out); }} />
      )}
    </Card>
  );
}

export default function GridLayers() {
  const { t, tk } = useI18n();
  const me = useMe();
  const [sp, setSp] = useSearchParams();
  const selected = sp.get('layer');
  const layers = useApi<{ items: Layer[] }>('/api/v1/grid-layers');
  const [creating, setCreating] = useState(false);
  const writer = can(me, 'grid.layer.write');
  const open = (id: string) => setSp({ layer: id }, { replace: true });
  const layer = layers.data?.items.find((l) => l.id === selected);
  return (
    <div>
      <PageTitle extra={writer && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('gl.new')}</Button>}>{t('gl.title')}</PageTitle>
      {!writer && <Alert type="info" showIcon title={t('gl.readOnly')} style={{ marginBottom: 12 }} />}
      <ErrorNote error={layers.error} />
      <Table<Layer> rowKey="id" size="small" loading={layers.loading} dataSource={layers.data?.items ?? []} aria-label={t('gl.list')}
        pagination={false} data-testid="layers" scroll={{ x: 700 }}
        columns={[
          { title: t('gl.name'), dataIndex: 'name', render: (v, l) => (
            <Button type="link" style={{ padding: 0, fontWeight: l.id === selected ? 600 : undefined }} aria-current={l.id === selected || undefined} onClick={() => open(l.id)}>{v}</Button>
          ) },
          { title: t('gl.id'), dataIndex: 'id' },
          { title: t('gl.kind'), dataIndex: 'kind', render: (k) => tk('gl.kind.', k) },
          { title: t('gl.region'), dataIndex: 'regionCode' },
          { title: t('gl.unit'), dataIndex: 'unitName', render: (v, l) => v ?? l.unitId ?? '' },
          { title: t('gl.cells'), dataIndex: 'cells', align: 'right' },
        ]} />
      {layer ? <LayerPanel key={layer.id} layer={layer} writer={writer && layer.regionCode.startsWith(me.regionCode)} onChanged={layers.reload} /> : <p style={{ marginTop: 12 }}>{t('gl.choose')}</p>}
      {creating && <NewLayer onClose={() => setCreating(false)} onSaved={(id) => { setCreating(false); layers.reload(); open(id); }} />}
    </div>
  );
}
