// 查看授权: administrators let a named grid worker reveal personal data (with a reason, optionally until
// a date), and revoke it; every grant and revocation is audited by the API.
import { useState } from 'react';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type dayjs from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { fmtTime } from './shared.tsx';
import { errorText, useFormSubmit } from '../../lib/forms.ts';

interface Grant {
  id: number; userId: number; username: string; displayName: string; role: string; regionCode: string; reason: string;
  expiresAt: string | null; revokedAt: string | null; createdAt: string;
}

function UserPicker(props: { id?: string; value?: number; onChange?(v: number): void }) {
  const [q, setQ] = useState('');
  const users = useApi<{ items: Array<{ id: number; username: string; displayName: string }> }>(
    withQuery('/api/v1/admin/users', { role: 'grid_worker', q: q || undefined, pageSize: 50 }));
  return (
    <Select {...props} showSearch={{ filterOption: false, onSearch: setQ }} loading={users.loading}
      options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} />
  );
}

export default function RevealGrants() {
  const { t, tk, locale } = useI18n();
  const { message } = App.useApp();
  const list = useApi<{ items: Grant[] }>('/api/v1/registry/reveal-grants');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { busy, error, setError, save } = useFormSubmit<{ userId: number; reason: string; expiresAt?: dayjs.Dayjs }>(form, async (v) => {
    await api('/api/v1/registry/reveal-grants', {
      body: { userId: v.userId, reason: v.reason.trim(), ...(v.expiresAt ? { expiresAt: v.expiresAt.endOf('day').toISOString() } : {}) },
    });
    message.success(t('common.saved'));
    setOpen(false); list.reload();
  }, { fields: ['userId', 'reason', 'expiresAt'] });
  const revoke = async (g: Grant) => {
    try { await api(`/api/v1/registry/reveal-grants/${g.id}`, { method: 'DELETE' }); list.reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <div>
      <div className="gz-toolbar">
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setError(null); setOpen(true); }}>{t('rg.grant.new')}</Button>
      </div>
      <ErrorNote error={list.error} />
      <Table<Grant> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={{ pageSize: 20, showSizeChanger: false }}
        aria-label={t('rg.grant.title')} scroll={{ x: 900 }}
        columns={[
          { title: t('rg.grant.user'), key: 'u', render: (_, g) => <>{g.displayName} ({g.username}) <Tag>{tk('role.', g.role)}</Tag></> },
          { title: t('rg.grant.reason'), dataIndex: 'reason' },
          { title: t('rg.grant.createdAt'), dataIndex: 'createdAt', render: (v) => fmtTime(v, locale) },
          { title: t('rg.grant.expiresAt'), dataIndex: 'expiresAt', render: (v) => fmtTime(v, locale) || '—' },
          {
            title: t('common.actions'), key: 'a',
            render: (_, g) => (g.revokedAt ? <Tag>{t('rg.grant.revoked')}</Tag> : (
              <Popconfirm title={t('rg.grant.revoke')} onConfirm={() => revoke(g)} okText={t('common.yes')} cancelText={t('common.no')}>
                <Button size="small" danger>{t('rg.grant.revoke')}</Button>
              </Popconfirm>
            )),
          },
        ]} />
      <Modal open={open} title={t('rg.grant.new')} onCancel={() => setOpen(false)} onOk={save} confirmLoading={busy}
        okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name="reveal-grant">
          <Form.Item name="userId" label={t('rg.grant.user')} rules={[{ required: true, message: t('form.required') }]}><UserPicker /></Form.Item>
          <Form.Item name="reason" label={t('rg.grant.reason')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('rg.grant.expiresAt')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
