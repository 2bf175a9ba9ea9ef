// 志愿服务 for staff: the registry of volunteers with their skills, availability, team and hours (the hours
// ledger, credited at check-in); the teams; the activities with their sign-ups and check-ins. Communities
// and the centres above form teams and set up activities; grid workers read.
import { useState } from 'react';
import dayjs from 'dayjs';
import { Button, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { useRun, useSubmit } from './shared.ts';

interface Volunteer { id: number; name: string; regionName: string | null; skills: string[]; availability: string | null; team: string | null; hours: number; activities: number; joinedAt: string }
interface Team { id: number; name: string; regionName: string | null; members: number; hours: number }
interface Activity { id: number; title: string; regionName: string | null; startsAt: string; hours: number; capacity: number; signedUp: number; checkedIn: number; emergency: boolean }
interface Signup { volunteerId: number; name: string; team: string | null; skills: string[]; signedUpAt: string; checkedInAt: string | null; hours: number | null }

function Registry() {
  const { t } = useI18n();
  const [skill, setSkill] = useState('');
  const list = useApi<{ items: Volunteer[] }>(`/api/v1/participation/volunteers${skill ? `?skill=${encodeURIComponent(skill)}` : ''}`);
  const total = (list.data?.items ?? []).reduce((s, v) => s + v.hours, 0);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search aria-label={t('pt.volm.bySkill')} placeholder={t('pt.volm.bySkill')} allowClear onSearch={(v) => setSkill(v.trim())} style={{ width: 260 }} />
        {list.data && <Typography.Text type="secondary">{t('pt.volm.summary', { n: list.data.items.length, hours: Math.round(total * 10) / 10 })}</Typography.Text>}
      </Space>
      <ErrorNote error={list.error} />
      <Table<Volunteer> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="volunteer-registry"
        locale={{ emptyText: t('pt.volm.empty') }} pagination={{ pageSize: 20, hideOnSinglePage: true }} columns={[
          { title: t('pt.volm.name'), dataIndex: 'name' },
          { title: t('pt.volm.region'), render: (_, v) => v.regionName ?? '—' },
          { title: t('pt.volm.skills'), render: (_, v) => v.skills.map((s) => <Tag key={s}>{s}</Tag>) },
          { title: t('pt.volm.availability'), render: (_, v) => v.availability ?? '—' },
          { title: t('pt.volm.team'), render: (_, v) => v.team ?? '—' },
          { title: t('pt.volm.activityCount'), dataIndex: 'activities', width: 90 },
          { title: t('pt.volm.hours'), dataIndex: 'hours', width: 110, sorter: (a, b) => a.hours - b.hours },
        ]} />
    </>
  );
}

function Teams() {
  const { t } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Team[] }>('/api/v1/participation/volunteer-teams');
  const [form] = Form.useForm();
  const sub = useSubmit();
  const create = (v: { regionCode: string; name: string }) => sub.submit(async (headers) => {
    const ok = await run(() => api('/api/v1/participation/volunteer-teams', { body: v, headers }), 'pt.volm.teamCreated');
    if (ok) { form.resetFields(); list.reload(); }
    return ok;
  });
  return (
    <>
      {can(me, 'participation.volunteer.manage') && (
        <Card size="small" title={t('pt.volm.newTeam')} style={{ marginBottom: 12 }}>
          <Form form={form} layout="inline" name="team" onFinish={create} initialValues={{ regionCode: me.regionCode }}>
            <Form.Item name="regionCode" label={t('pt.volm.region')} rules={[{ required: true, message: t('form.required') }]} style={{ minWidth: 280 }}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
            <Form.Item name="name" label={t('pt.volm.teamName')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={100} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={sub.pending}>{t('pt.volm.newTeam')}</Button>
          </Form>
        </Card>
      )}
      <ErrorNote error={list.error} />
      <Table<Team> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} locale={{ emptyText: t('pt.volm.noTeams') }}
        pagination={false} columns={[
          { title: t('pt.volm.teamName'), dataIndex: 'name' },
          { title: t('pt.volm.region'), render: (_, x) => x.regionName ?? '—' },
          { title: t('pt.volm.members'), dataIndex: 'members', width: 100 },
          { title: t('pt.volm.hours'), dataIndex: 'hours', width: 120 },
        ]} />
    </>
  );
}

function Signups({ id }: { id: number }) {
  const { t, locale } = useI18n();
  const s = useApi<{ items: Signup[] }>(`/api/v1/participation/activities/${id}/signups`);
  if (!s.data) return <ErrorNote error={s.error} />;
  return (
    <Table<Signup> size="small" rowKey="volunteerId" pagination={false} dataSource={s.data.items} locale={{ emptyText: t('pt.volm.noSignups') }} data-testid="signups" columns={[
      { title: t('pt.volm.name'), dataIndex: 'name' },
      { title: t('pt.volm.team'), render: (_, x) => x.team ?? '—' },
      { title: t('pt.volm.signedUpAt'), render: (_, x) => formatDateTime(x.signedUpAt, locale) },
      { title: t('pt.volm.checkIn'), render: (_, x) => (x.checkedInAt ? <Tag color="green">{formatDateTime(x.checkedInAt, locale)}</Tag> : <Tag>{t('pt.volm.notCheckedIn')}</Tag>) },
      { title: t('pt.volm.credited'), render: (_, x) => (x.hours == null ? '—' : t('pt.volm.hoursN', { n: x.hours })) },
    ]} />
  );
}

function Activities() {
  const { t, locale } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Activity[] }>('/api/v1/participation/activities');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const sub = useSubmit();
  const create = (v: { regionCode: string; title: string; place?: string; startsAt: dayjs.Dayjs; hours: number; capacity: number }) => sub.submit(async (headers) => {
    const ok = await run(() => api('/api/v1/participation/activities', { headers, body: { ...v, place: v.place?.trim() || undefined, startsAt: v.startsAt.toISOString() } }), 'pt.volm.activityCreated');
    if (ok) { setOpen(false); form.resetFields(); list.reload(); }
    return ok;
  });
  return (
    <>
      {can(me, 'participation.volunteer.manage') && <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setOpen(true)}>{t('pt.volm.newActivity')}</Button>}
      <ErrorNote error={list.error} />
      <Table<Activity> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="activities"
        locale={{ emptyText: t('pt.vol.empty') }} pagination={{ pageSize: 20, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (a) => <Signups id={a.id} /> }} columns={[
          { title: t('pt.volm.activity'), render: (_, a) => <Space wrap>{a.emergency && <Tag color="red">{t('pt.vol.emergency')}</Tag>}{a.title}</Space> },
          { title: t('pt.volm.region'), render: (_, a) => a.regionName ?? '—' },
          { title: t('pt.volm.startsAt'), width: 150, render: (_, a) => formatDateTime(a.startsAt, locale) },
          { title: t('pt.volm.hoursEach'), dataIndex: 'hours', width: 110 },
          { title: t('pt.volm.signedUp'), width: 110, render: (_, a) => `${a.signedUp}/${a.capacity}` },
          { title: t('pt.volm.checkedIn'), dataIndex: 'checkedIn', width: 90 },
        ]} />
      <Modal open={open} title={t('pt.volm.newActivity')} onOk={() => form.submit()} onCancel={() => setOpen(false)} okText={t('common.save')} confirmLoading={sub.pending} destroyOnHidden>
        <Form form={form} layout="vertical" name="activity" onFinish={create} initialValues={{ regionCode: me.regionCode, hours: 2, capacity: 20, startsAt: dayjs().add(3, 'day').hour(9).minute(0) }}>
          <Form.Item name="title" label={t('pt.volm.activity')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="regionCode" label={t('pt.volm.region')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
          <Form.Item name="place" label={t('pt.volm.place')}><Input maxLength={200} /></Form.Item>
          <Form.Item name="startsAt" label={t('pt.volm.startsAt')} rules={[{ required: true, message: t('form.required') }]}><DatePicker showTime format="YYYY-MM-DD HH:mm" /></Form.Item>
          <Space wrap>
            <Form.Item name="hours" label={t('pt.volm.hoursEach')} rules={[{ required: true, message: t('form.required') }]}><InputNumber min={0.5} max={999} step={0.5} /></Form.Item>
            <Form.Item name="capacity" label={t('pt.volm.capacity')} rules={[{ required: true, message: t('form.required') }]}><InputNumber min={1} max={100000} /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

export default function Volunteers() {
  const { t } = useI18n();
  return (
    <div data-testid="pt-volunteers">
      <PageTitle>{t('pt.volm.pageTitle')}</PageTitle>
      <Card size="small">
        <Tabs items={[
          { key: 'registry', label: t('pt.volm.registry'), children: <Registry /> },
          { key: 'teams', label: t('pt.volm.teams'), children: <Teams /> },
          { key: 'activities', label: t('pt.volm.activities'), children: <Activities /> },
        ]} />
      </Card>
    </div>
  );
}
