// The category tree with time limits, filing and closing conditions; edit, add a child, switch off.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { useApi } from '../../lib/useApi.ts';
import { forgetLookups } from '../../lib/lookups.ts';
import { formatMinutes } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import type { Category } from '../../api/types.ts';
import { useWorkflows } from '../../lib/workflows.ts';

type Row = Category & { leaf: boolean; children?: Row[] };

export default function Categories() {
  const { t, pick, locale } = useI18n();
  const workflows = useWorkflows();
  const typeOptions = (workflows?.types() ?? []).map((d) => ({ value: d.type, label: pick(d.name) }));
  const { message } = App.useApp();
  const [type, setType] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const list = useApi<{ items: Row[] }>(`/api/v1/admin/categories${type ? `?type=${type}` : ''}`);
  const [editing, setEditing] = useState<{ mode: 'edit' | 'child'; c: Row } | null>(null);
  const [form] = Form.useForm();

  const tree = useMemo(() => {
    const items = (list.data?.items ?? []).map((c) => ({ ...c, children: undefined as Row[] | undefined }));
    const needle = q.trim().toLowerCase();
    const match = (c: Row) => !needle || c.code.includes(needle) || c.name.zh.includes(needle) || c.name.en.toLowerCase().includes(needle);
    if (needle) return items.filter(match);
    const byCode = new Map(items.map((c) => [c.code, c]));
    const roots: Row[] = [];
    for (const c of items) {
      const parent = c.parentCode ? byCode.get(c.parentCode) : undefined;
      if (parent) (parent.children ??= []).push(c); else roots.push(c);
    }
    return roots;
  }, [list.data, q]);

  const open = (mode: 'edit' | 'child', c: Row) => {
    setEditing({ mode, c }); setError(null); form.resetFields();
    if (mode === 'edit') {
      form.setFieldsValue({ nameZh: c.name.zh, nameEn: c.name.en, limitHours: c.limitMinutes != null ? c.limitMinutes / 60 : undefined, filingCondition: c.filingCondition, closingCondition: c.closingCondition, active: c.active !== false });
    } else {
      form.setFieldsValue({ code: `${c.code}`, caseTypes: c.caseTypes, leaf: true });
    }
  };
  const { busy, error, setError, save } = useFormSubmit<any>(form, async (v) => {
    if (!editing) return;
    if (editing.mode === 'edit') {
      const body: Record<string, unknown> = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), filingCondition: v.filingCondition?.trim() || null, closingCondition: v.closingCondition?.trim() || null, active: v.active };
      if (editing.c.leaf && v.limitHours) body.limitMinutes = Math.round(v.limitHours * 60);
      await api(`/api/v1/admin/categories/${editing.c.code}`, { method: 'PATCH', body });
    } else {
      await api('/api/v1/admin/categories', {
        body: {
          code: v.code.trim(), parentCode: editing.c.code, nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), caseTypes: v.caseTypes,
          ...(v.leaf ? { limitMinutes: Math.round((v.limitHours ?? 7) * 60) } : {}),
          ...(v.filingCondition?.trim() ? { filingCondition: v.filingCondition.trim() } : {}),
          ...(v.closingCondition?.trim() ? { closingCondition: v.closingCondition.trim() } : {}),
        },
      });
    }
    forgetLookups();
    message.success(t('common.saved'));
    setEditing(null); list.reload();
  });

  return (
    <div>
      <PageTitle>{t('nav.adminCategories')}</PageTitle>
      <div className="gz-toolbar">
        <label htmlFor="cat-q">{t('common.search')}</label>
        <Input id="cat-q" allowClear value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 220 }} />
        <label htmlFor="cat-type">{t('case.type')}</label>
        <Select id="cat-type" allowClear style={{ width: 170 }} value={type} onChange={setType} placeholder={t('list.any')}
          options={typeOptions} />
      </div>
      <ErrorNote error={list.error} />
      <Table<Row> rowKey="code" size="small" loading={list.loading} dataSource={tree} aria-label={t('nav.adminCategories')} pagination={{ pageSize: 30, showSizeChanger: false }} scroll={{ x: 1000 }}
        columns={[
          { title: t('admin.code'), dataIndex: 'code', width: 160 },
          { title: t('admin.name'), key: 'name', render: (_, c) => <span>{pick(c.name)}{c.active === false && <Tag style={{ marginLeft: 6 }}>{t('admin.inactive')}</Tag>}</span> },
          { title: t('case.type'), dataIndex: 'caseTypes', render: (ts: string[]) => ts.map((x) => <Tag key={x}>{pick(workflows?.def(x)?.name, x)}</Tag>) },
          { title: t('admin.limit'), dataIndex: 'limitMinutes', width: 120, render: (m) => (m != null ? formatMinutes(m, locale) : '—') },
          { title: t('action.filingCondition'), dataIndex: 'filingCondition', ellipsis: true },
          {
            title: t('common.actions'), key: 'a', width: 170,
            render: (_, c) => (
              <span style={{ display: 'flex', gap: 6 }}>
                <Button size="small" onClick={() => open('edit', c)} aria-label={`${t('common.edit')} ${pick(c.name)}`}>{t('common.edit')}</Button>
                {!c.leaf && <Button size="small" onClick={() => open('child', c)}>{t('admin.addChild')}</Button>}
              </span>
            ),
          },
        ]} />
      <Modal open={!!editing} title={editing ? `${editing.mode === 'edit' ? t('common.edit') : t('admin.addChild')} · ${pick(editing.c.name)}` : ''}
        onCancel={() => setEditing(null)} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={640}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" name="admin-category">
          {editing?.mode === 'child' && (
            <>
              <Form.Item name="code" label={t('admin.code')} extra={t('admin.childCodeHint', { parent: editing.c.code })}
                rules={[{ required: true, message: t('form.required') }, { pattern: new RegExp(`^${editing.c.code}\\d{2}$`), message: t('admin.childCodeHint', { parent: editing.c.code }) }]}>
                <Input inputMode="numeric" />
              </Form.Item>
              <Form.Item name="caseTypes" label={t('case.type')}>
                <Checkbox.Group options={typeOptions} />
              </Form.Item>
              <Form.Item name="leaf" valuePropName="checked"><Checkbox>{t('admin.isLeaf')}</Checkbox></Form.Item>
            </>
          )}
          <Form.Item name="nameZh" label={t('admin.nameZh')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="nameEn" label={t('admin.nameEn')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
          {(editing?.mode === 'child' || editing?.c.leaf) && (
            <Form.Item name="limitHours" label={t('admin.limitHours')} extra={t('action.extensionHint')}>
              <InputNumber min={0.25} max={8760} step={0.5} style={{ width: 160 }} />
            </Form.Item>
          )}
          <Form.Item name="filingCondition" label={t('action.filingCondition')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          <Form.Item name="closingCondition" label={t('action.closingCondition')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
          {editing?.mode === 'edit' && <Form.Item name="active" label={t('admin.active')} valuePropName="checked"><Switch /></Form.Item>}
        </Form>
        <Typography.Paragraph type="secondary">{t('admin.categoryNote')}</Typography.Paragraph>
      </Modal>
    </div>
  );
}
