// Users and roles: search, create, change role/unit/region, deactivate, reset password.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { useMe } from '../../lib/auth.tsx';
import { ApiError } from '../../api/client.ts';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import type { Role } from '../../api/types.ts';

const ROLES: Role[] = ['admin', 'command_centre', 'street_centre', 'community', 'grid_worker', 'hotline_operator', 'department', 'resident'];

interface User { id: number; username: string; displayName: string; role: Role; unitId: string | null; unitName: string | null; regionCode: string; regionName: string | null; locale: string; active: boolean }
interface AdminUnit { id: string; name: string; kind: string; regionCode: string; active: boolean }

export function useAdminUnits() {
  return useApi<{ items: AdminUnit[] }>('/api/v1/admin/units');
}

export default function Users() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [q, setQ] = useState<string | undefined>();
  const [role, setRole] = useState<Role | undefined>();
  const [page, setPage] = useState(1);
  const list = useApi<{ items: User[]; total: number }>(withQuery('/api/v1/admin/users', { q, role, page, pageSize: 20 }));
  const units = useAdminUnits();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [form] = Form.useForm();
  const unitOptions = (units.data?.items ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: `${u.name} (${u.id})` }));

  const open = (u: User | 'new') => {
    setEditing(u);
    setError(null);
    form.resetFields();
    if (u !== 'new') form.setFieldsValue({ displayName: u.displayName, role: u.role, unitId: u.unitId, regionCode: u.regionCode, active: u.active, locale: u.locale });
    else form.setFieldsValue({ active: true, locale: 'zh-CN' });
  };
  const { busy, error, setError, save } = useFormSubmit<any>(form, async (v) => {
    if (editing === 'new') {
      await api('/api/v1/admin/users', { body: { username: v.username.trim(), displayName: v.displayName.trim(), password: v.password, role: v.role, unitId: v.unitId ?? null, regionCode: v.regionCode, locale: v.locale } });
    } else if (editing) {
      const body: Record<string, unknown> = { displayName: v.displayName.trim(), role: v.role, unitId: v.unitId ?? null, regionCode: v.regionCode, active: v.active, locale: v.locale };
      if (v.password) body.password = v.password;
      await api(`/api/v1/admin/users/${editing.id}`, { method: 'PATCH', body });
    }
    message.success(t('common.saved'));
    setEditing(null);
    list.reload();
  }, {
    describe: (e) => (e instanceof ApiError && e.code === 'username_taken' ? t('admin.usernameTaken', { name: form.getFieldValue('username') ?? '' })
      : e instanceof ApiError && e.code === 'outside_scope' ? t('admin.regionOutside') : null),
  });

  return (
    <div>
      <PageTitle extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>{t('admin.newUser')}</Button>}>{t('nav.adminUsers')}</PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <label htmlFor="u-q">{t('common.search')}</label>
          <Input.Search id="u-q" allowClear onSearch={(v) => { setQ(v.trim() || undefined); setPage(1); }} style={{ width: 220 }} />
          <label htmlFor="u-role">{t('admin.role')}</label>
          <Select id="u-role" allowClear style={{ width: 160 }} value={role} onChange={(v) => { setRole(v); setPage(1); }} placeholder={t('list.any')}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        </Space>
      </Card>
      <ErrorNote error={list.error} />
      <Table<User> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={t('nav.adminUsers')} scroll={{ x: 900 }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('auth.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.role'), dataIndex: 'role', render: (r) => t(`role.${r}` as MessageKey) },
          { title: t('case.unit'), dataIndex: 'unitName', render: (v, u) => v ?? u.unitId ?? '—' },
          { title: t('admin.region'), dataIndex: 'regionName', render: (v, u) => v ?? u.regionCode },
          { title: t('admin.status'), dataIndex: 'active', render: (a) => (a ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>) },
          { title: t('common.actions'), key: 'a', render: (_, u) => <Button size="small" onClick={() => open(u)}>{t('common.edit')}</Button> },
        ]} />
      <Modal open={!!editing} title={editing === 'new' ? t('admin.newUser') : t('admin.editUser', { name: editing ? (editing as User).username ?? '' : '' })}
        onCancel={() => setEditing(null)} onOk={save} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" name="admin-user">
          {editing === 'new' && (
            <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('form.required') }, { pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]{2,63}$/, message: t('admin.usernameRule') }]}>
              <Input autoComplete="off" />
            </Form.Item>
          )}
          <Form.Item name="displayName" label={t('admin.displayName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="role" label={t('admin.role')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="unitId" label={t('case.unit')} extra={t('admin.unitDefault')}><Select allowClear showSearch={{ optionFilterProp: 'label' }} options={unitOptions} /></Form.Item>
          <Form.Item name="regionCode" label={t('admin.userRegion')} extra={t('admin.userRegionHint')} rules={[{ required: true, message: t('form.required') }]}>
            <RegionTreeSelect rootCode={me.regionCode} />
          </Form.Item>
          <Form.Item name="locale" label={t('common.language')}><Select options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} /></Form.Item>
          <Form.Item name="password" label={editing === 'new' ? t('auth.password') : t('admin.newPassword')} extra={t('admin.passwordChangeAtLogin')}
            rules={[...(editing === 'new' ? [{ required: true, message: t('form.required') }] : []), { min: 10, message: t('admin.passwordRule') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {editing !== 'new' && <Form.Item name="active" label={t('admin.active')} valuePropName="checked"><Switch /></Form.Item>}
        </Form>
      </Modal>
    </div>
  );
}
