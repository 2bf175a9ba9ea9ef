// 权责清单: category × region → lead and assisting units; the dispatch suggestion reads it.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type Label } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { useApi } from '../../lib/useApi.ts';
import { CategoryPicker, RegionTreeSelect } from '../../components/Pickers.tsx';
import { useMe } from '../../lib/auth.tsx';
import { useCategories } from '../../lib/lookups.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { useAdminUnits } from './Users.tsx';

interface Rule { id: number; categoryCode: string; categoryName: Label; regionPrefix: string; regionName: string | null; leadUnit: { id: string; name: string }; assistUnits: Array<{ id: string; name: string }>; note: string | null }

export default function Responsibilities() {
  const { t, pick } = useI18n();
  const me = useMe();
  const cats = useCategories('staff');
  const { message } = App.useApp();
  const [category, setCategory] = useState<string | undefined>();
  const list = useApi<{ items: Rule[] }>(withQuery('/api/v1/admin/responsibilities', { category }));
  const units = useAdminUnits();
  // null: closed; 'new': a new rule; a rule: editing it
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const open = editing !== null;
  const setOpen = (v: boolean) => { if (!v) setEditing(null); };
  const [existing, setExisting] = useState<number | null>(null);
  const startEdit = (r: Rule | 'new') => {
    setEditing(r); setError(null); setExisting(null); form.resetFields();
    if (r !== 'new') form.setFieldsValue({ categoryCode: r.categoryCode, regionPrefix: r.regionPrefix, leadUnitId: r.leadUnit?.id, assistUnitIds: r.assistUnits.map((u) => u.id), note: r.note ?? '' });
  };
  const [form] = Form.useForm();
  const unitOptions = (units.data?.items ?? []).filter((u) => u.active && ['department', 'street_centre', 'community', 'district_gov'].includes(u.kind)).map((u) => ({ value: u.id, label: u.name }));
  const { busy, error, setError, save } = useFormSubmit<any>(form, async (v) => {
    setExisting(null);
    const fields = { categoryCode: v.categoryCode, regionPrefix: v.regionPrefix, leadUnitId: v.leadUnitId, assistUnitIds: v.assistUnitIds ?? [] };
    if (editing === 'new') await api('/api/v1/admin/responsibilities', { body: { ...fields, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } });
    else if (editing) await api(`/api/v1/admin/responsibilities/${editing.id}`, { method: 'PATCH', body: { ...fields, note: v.note?.trim() ?? '' } });
    message.success(t('common.saved'));
    setOpen(false); list.reload();
  }, {
    // another rule holds this category × region: say so in the user's language, and offer to edit that rule
    describe: (e) => {
      if (!(e instanceof ApiError) || e.code !== 'responsibility_exists') return null;
      const code = String(e.extra.categoryCode ?? form.getFieldValue('categoryCode'));
      const cat = cats?.byCode.get(code);
      setExisting(typeof e.extra.id === 'number' ? e.extra.id : null);
      return t('admin.ruleExists', { category: cat ? `${pick(cat.name)} (${code})` : code, region: String(e.extra.regionPrefix ?? form.getFieldValue('regionPrefix')) });
    },
  });
  const editExisting = () => {
    const r = (list.data?.items ?? []).find((x) => x.id === existing);
    if (r) startEdit(r);
  };
  const remove = async (id: number) => {
    try { await api(`/api/v1/admin/responsibilities/${id}`, { method: 'DELETE' }); list.reload(); }
    catch (e) { message.error(errorText(e)); }
  };
  return (
    <div>
      <PageTitle extra={<Space wrap>
        {/* the XLSX template of the responsibility import (npx gongzhi import responsibilities FILE --as admin), its 事项分类 sheet listing every code */}
        <Button icon={<DownloadOutlined />} href="/api/v1/admin/setup-templates/responsibilities" data-testid="rule-template">{t('admin.ruleTemplate')}</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => startEdit('new')}>{t('admin.newRule')}</Button>
      </Space>}>{t('nav.adminResponsibilities')}</PageTitle>
      <div className="gz-toolbar">
        <label htmlFor="rule-cat">{t('case.category')}</label>
        <div style={{ width: 260 }}><CategoryPicker id="rule-cat" value={category} onChange={setCategory} placeholder={t('list.any')} /></div>
      </div>
      <ErrorNote error={list.error} />
      <Table<Rule> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={t('nav.adminResponsibilities')}
        pagination={{ pageSize: 20, showSizeChanger: false }} scroll={{ x: 900 }}
        columns={[
          { title: t('case.category'), key: 'c', render: (_, r) => `${pick(r.categoryName)} (${r.categoryCode})` },
          { title: t('admin.region'), key: 'r', render: (_, r) => r.regionName ?? r.regionPrefix },
          { title: t('action.leadUnit'), key: 'l', render: (_, r) => r.leadUnit?.name ?? '—' },
          { title: t('action.assistUnits'), key: 'as', render: (_, r) => r.assistUnits.map((u) => u.name).join('、') || '—' },
          { title: t('admin.note'), dataIndex: 'note' },
          {
            title: t('common.actions'), key: 'a', render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => startEdit(r)}>{t('common.edit')}</Button>
                <Popconfirm title={t('admin.confirmDelete')} onConfirm={() => remove(r.id)} okText={t('common.delete')} cancelText={t('common.cancel')}>
                  <Button size="small" danger>{t('common.delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      <Modal open={open} title={editing === 'new' ? t('admin.newRule') : t('admin.editRule')} onCancel={() => setOpen(false)} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert"
          action={existing != null && (list.data?.items ?? []).some((x) => x.id === existing) ? <Button size="small" onClick={editExisting}>{t('admin.openExistingRule')}</Button> : undefined} />}
        <Form form={form} layout="vertical" name="admin-rule">
          <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('form.required') }]}><CategoryPicker /></Form.Item>
          <Form.Item name="regionPrefix" label={t('admin.region')} extra={t('admin.regionPrefixHint')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
          <Form.Item name="leadUnitId" label={t('action.leadUnit')} rules={[{ required: true, message: t('form.required') }]}><Select showSearch={{ optionFilterProp: 'label' }} options={unitOptions} /></Form.Item>
          <Form.Item name="assistUnitIds" label={t('action.assistUnits')}><Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} /></Form.Item>
          <Form.Item name="note" label={t('admin.note')}><Input maxLength={500} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
