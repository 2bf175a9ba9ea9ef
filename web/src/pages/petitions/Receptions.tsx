// Leader reception days (领导接访日) and the petitioners booked on each.
import { useState } from 'react';
import dayjs from 'dayjs';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, List, Modal, Space, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { api } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';

export default function Receptions() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const res = useApi<{ items: any[] }>('/api/v1/reception-days');
  const [dayOpen, setDayOpen] = useState(false);
  const [bookFor, setBookFor] = useState<number | null>(null);
  const [dForm] = Form.useForm();
  const [bForm] = Form.useForm();
  const day = useFormSubmit<any>(dForm, async (v) => {
    await api('/api/v1/reception-days', { body: { ...v, regionCode: me.regionCode, day: v.day.format('YYYY-MM-DD'), topics: v.topics || undefined } });
    setDayOpen(false); dForm.resetFields(); res.reload();
  });
  const book = useFormSubmit<any>(bForm, async (v) => {
    await api(`/api/v1/reception-days/${bookFor}/bookings`, { body: { name: v.name, phone: v.phone || undefined, matter: v.matter } });
    setBookFor(null); bForm.resetFields(); res.reload();
  });
  const update = async (id: number, status: string) => {
    try { await api(`/api/v1/reception-bookings/${id}`, { method: 'PUT', body: { status } }); res.reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <div data-testid="receptions">
      <PageTitle extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setDayOpen(true)}>{t('pt.newDay')}</Button>}>{t('pt.receptions')}</PageTitle>
      <ErrorNote error={res.error} />
      {(res.data?.items ?? []).map((d) => (
        <Card key={d.id} size="small" style={{ marginBottom: 12 }} title={`${d.day} ${d.startsAt}–${d.endsAt} · ${d.leaderTitle} ${d.leaderName} · ${d.place}`}
          extra={<Space><Tag>{t('pt.booked', { n: d.booked, max: d.capacity })}</Tag><Button size="small" disabled={d.booked >= d.capacity} onClick={() => setBookFor(d.id)}>{t('pt.book')}</Button></Space>}>
          <List size="small" dataSource={d.bookings} locale={{ emptyText: '—' }} renderItem={(b: any) => (
            <List.Item><Space wrap>{b.nameMasked} {b.phoneMasked ?? ''} · {b.matter}<Tag>{t(`pt.booking.${b.status}` as MessageKey)}</Tag>
              {b.status === 'booked' && <><Button size="small" onClick={() => update(b.id, 'received')}>{t('pt.receive')}</Button><Button size="small" onClick={() => update(b.id, 'cancelled')}>{t('pt.cancel')}</Button></>}
            </Space></List.Item>
          )} />
        </Card>
      ))}
      <Modal open={dayOpen} title={t('pt.newDay')} onCancel={() => setDayOpen(false)} onOk={day.save} confirmLoading={day.busy} destroyOnHidden>
        <Form form={dForm} layout="vertical" initialValues={{ day: dayjs().add(7, 'day'), startsAt: '09:00', endsAt: '12:00', capacity: 10 }}>
          {day.error && <Alert type="error" showIcon title={day.error} />}
          <Form.Item name="leaderName" label={t('pt.leader')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="leaderTitle" label={t('pt.leaderTitle')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="day" label={t('pt.day')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Space><Form.Item name="startsAt" label={t('pt.startsAt')}><Input /></Form.Item><Form.Item name="endsAt" label={t('pt.endsAt')}><Input /></Form.Item><Form.Item name="capacity" label={t('pt.capacity')}><InputNumber min={1} max={500} /></Form.Item></Space>
          <Form.Item name="place" label={t('md.place')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="topics" label={t('pt.topics')}><Input /></Form.Item>
        </Form>
      </Modal>
      <Modal open={bookFor != null} title={t('pt.book')} onCancel={() => setBookFor(null)} onOk={book.save} confirmLoading={book.busy} destroyOnHidden>
        <Form form={bForm} layout="vertical">
          {book.error && <Alert type="error" showIcon title={book.error} />}
          <Form.Item name="name" label={t('md.party.name')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="phone" label={t('md.party.phone')}><Input /></Form.Item>
          <Form.Item name="matter" label={t('pt.matter')} rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
