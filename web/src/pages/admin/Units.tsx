// Units: departments, centres, communities; create, rename, move, deactivate.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { useApi } from '../../lib/useApi.ts';
import { forgetLookups } from '../../lib/lookups.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { useMe } from '../../lib/auth.tsx';

const KINDS = ['command_centre', 'street_centre', 'community', 'department', 'hotline', 'grid_team', 'district_gov', 'city_gov'];
interface Unit { id: string; name: string; nameEn: string | null; kind: string; regionCode: string; regionName: string | null; parentId: string | null; active: boolean }

export default function Units() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [kind, setKind] = useState<string | undefined>();
  const [q, setQ] = useState<string | undefined>();
  const me = useMe();
  const list = useApi<{ items: Unit[] }>(withQuery('/api/v1/admin/units', { kind, q }));
  // every unit, for the parent picker (the list above may be filtered)
  const all = useApi<{ items: Unit[] }>('/api/v1/admin/units');
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [form] = Form.useForm();
  const open = (u: Unit | 'new') => {
    setEditing(u); setError(null); form.resetFields();
    if (u !== 'new') form.setFieldsValue(u);
  };
  const { busy, error, setError, save } = useFormSubmit<any>(form, async (v) => {
    const body = { name: v.name.trim(), nameEn: v.nameEn?.trim() || null, kind: v.kind, regionCode: v.regionCode.trim(), parentId: v.parentId || null };
    if (editing === 'new') await api('/api/v1/admin/units', { body: { id: v.id.trim(), ...body } });
    else if (editing) await api(`/api/v1/admin/units/${editing.id}`, { method: 'PATCH', body: { ...body, active: v.active } });
    forgetLookups();
    message.success(t('common.saved'));
    setEditing(null); list.reload(); all.reload();
  });
  return (
    <div>
      <PageTitle extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('admin.newUnit')}</Button>}>{t('nav.adminUnits')}</PageTitle>
      <div className="gz-toolbar">
        <label htmlFor="unit-q">{t('common.search')}</label>
        <Input.Search id="unit-q" allowClear onSearch={(v) => setQ(v.trim() || undefined)} style={{ width: 220 }} />
        <label htmlFor="unit-kind">{t('admin.kind')}</label>
        <Select id="unit-kind" allowClear style={{ width: 180 }} value={kind} onChange={setKind} placeholder={t('list.any')}
          options={KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}` as MessageKey) }))} />
      </div>
      <ErrorNote error={list.error} />
      <Table<Unit> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={t('nav.adminUnits')}
        pagination={{ pageSize: 20, showSizeChanger: false }} scroll={{ x: 900 }}
        columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('admin.unitName'), dataIndex: 'name' },
          { title: t('admin.kind'), dataIndex: 'kind', render: (k) => t(`unitKind.${k}` as MessageKey) },
          { title: t('admin.region'), dataIndex: 'regionName', render: (v, u) => v ?? u.regionCode },
          { title: t('admin.status'), dataIndex: 'active', render: (a) => (a ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>) },
          { title: t('common.actions'), key: 'a', render: (_, u) => <Button size="small" onClick={() => open(u)}>{t('common.edit')}</Button> },
        ]} />
      <Modal open={!!editing} title={editing === 'new' ? t('admin.newUnit') : t('admin.editUnit')} onCancel={() => setEditing(null)} onOk={save}
        confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" name="admin-unit">
          {editing === 'new' && <Form.Item name="id" label="ID" rules={[{ required: true, message: t('form.required') }, { pattern: /^[\w.-]+$/, message: t('admin.idRule') }]}><Input /></Form.Item>}
          <Form.Item name="name" label={t('admin.unitName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="nameEn" label={t('admin.unitNameEn')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="kind" label={t('admin.kind')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="regionCode" label={t('admin.region')} extra={t('admin.unitRegionHint')} rules={[{ required: true, message: t('form.required') }]}>
            <RegionTreeSelect rootCode={me.regionCode} />
          </Form.Item>
          <Form.Item name="parentId" label={t('admin.parentUnit')}>
            <Select allowClear showSearch optionFilterProp="label" placeholder={t('admin.parentUnitNone')}
              options={(all.data?.items ?? []).filter((u) => u.active && (editing === 'new' || u.id !== editing?.id)).map((u) => ({ value: u.id, label: `${u.name} (${u.regionName ?? u.regionCode})` }))} />
          </Form.Item>
          {editing !== 'new' && <Form.Item name="active" label={t('admin.active')} valuePropName="checked"><Switch /></Form.Item>}
        </Form>
      </Modal>
    </div>
  );
}
