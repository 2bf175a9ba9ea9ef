// 平战转换 for staff: switch a region of the territory to emergency with tasks broadcast to its volunteers,
// follow each task's acceptance and check-in, return the region to normal — and the record of every
// switch, on and off, with who and why. Streets and the command centre switch; communities and grid
// workers follow — those inside a switched region as well as those above it — and see who accepted each
// task and who checked in, by name.
import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { ptError, useRun, useSubmit } from './shared.ts';

interface Switch {
  id: number; regionCode: string; regionName: string | null; reason: string; onAt: string; onBy: string; offAt: string | null; offBy: string | null;
  offNote: string | null; active: boolean; tasks: number; accepted: number; checkedIn: number;
}
interface Person { name: string; acceptedAt: string | null; checkedInAt: string | null }
interface Task { id: number; title: string; hours: number; capacity: number; signedUp: number; checkedIn: number; people: Person[] }
interface Detail { id: number; regionName: string | null; reason: string; active: boolean; tasks: Task[] }

/** One switch's tasks: how many accepted (of the places) and how many checked in (of those who accepted). */
function Tasks({ id }: { id: number }) {
  const { t } = useI18n();
  const d = useApi<Detail>(`/api/v1/participation/mobilisations/${id}`);
  if (!d.data) return <ErrorNote error={d.error} />;
  return (
    <Table<Task> size="small" rowKey="id" pagination={false} dataSource={d.data.tasks} data-testid="emergency-tasks" columns={[
      { title: t('pt.em.task'), dataIndex: 'title' },
      { title: t('pt.em.hours'), dataIndex: 'hours', width: 110 },
      { title: t('pt.em.accepted'), width: 220, render: (_, x) => <Progress size="small" percent={Math.round((100 * x.signedUp) / x.capacity)} format={() => `${x.signedUp}/${x.capacity}`} /> },
      { title: t('pt.em.checkedIn'), width: 220, render: (_, x) => <Progress size="small" status="success" percent={x.signedUp ? Math.round((100 * x.checkedIn) / x.signedUp) : 0} format={() => `${x.checkedIn}/${x.signedUp}`} /> },
      { title: t('pt.em.who'), render: (_, x) => x.people.length
        ? <Space wrap size={4} data-testid="emergency-task-people">{x.people.map((p, i) => (
          <Tag key={i} color={p.checkedInAt ? 'green' : 'blue'}>{p.name} · {t(p.checkedInAt ? 'pt.em.personArrived' : 'pt.em.personAccepted')}</Tag>))}</Space>
        : <Typography.Text type="secondary">{t('pt.em.nobodyYet')}</Typography.Text> },
    ]} />
  );
}

function SwitchOn({ onDone }: { onDone(): void }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const sub = useSubmit();
  const busy = sub.pending;
  const submit = (v: { regionCode: string; reason: string; tasks: Array<{ title: string; hours: number; capacity: number }> }) => sub.submit(async (headers) => {
    try {
      // the toast says whom the broadcast reached: the region's volunteers and its staff
      const r = await api<{ reached?: { volunteers: number; staff: number } }>('/api/v1/participation/mobilisations', { body: v, headers });
      message.success(t('pt.em.switchedOn', { volunteers: r.reached?.volunteers ?? '—', staff: r.reached?.staff ?? '—' }), 6);
      form.resetFields(); onDone();
      return true;
    } catch (e) { message.error(ptError(e, locale)); return false; }
  });
  return (
    <Card size="small" title={t('pt.em.switchOn')} data-testid="emergency-form">
      <Form form={form} layout="vertical" name="mobilise" onFinish={submit} initialValues={{ regionCode: me.regionCode, tasks: [{ hours: 4, capacity: 20 }] }}>
        <Form.Item name="regionCode" label={t('pt.em.region')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
        <Form.Item name="reason" label={t('pt.em.reason')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={500} placeholder={t('pt.em.reasonHint')} /></Form.Item>
        <Typography.Text strong>{t('pt.em.tasks')}</Typography.Text>
        <Form.List name="tasks">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, message: t('form.required') }]} style={{ marginBottom: 0, flex: 1, minWidth: 0 }}>
                    <Input aria-label={t('pt.em.taskN', { n: i + 1 })} placeholder={t('pt.em.task')} maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'hours']} rules={[{ required: true, message: t('form.required') }]} style={{ marginBottom: 0 }}>
                    <InputNumber aria-label={t('pt.em.hoursN', { n: i + 1 })} min={0.5} max={999} step={0.5} suffix={t('pt.em.hoursUnit')} style={{ width: 96 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'capacity']} rules={[{ required: true, message: t('form.required') }]} style={{ marginBottom: 0 }}>
                    <InputNumber aria-label={t('pt.em.capacityN', { n: i + 1 })} min={1} max={100000} suffix={t('pt.em.people')} style={{ width: 96 }} />
                  </Form.Item>
                  {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('pt.em.removeTask')} onClick={() => remove(f.name)} />}
                </div>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={() => add({ hours: 4, capacity: 20 })}>{t('pt.em.addTask')}</Button>
            </>
          )}
        </Form.List>
        <div style={{ marginTop: 16 }}><Button type="primary" danger htmlType="submit" loading={busy}>{t('pt.em.switchOn')}</Button></div>
      </Form>
    </Card>
  );
}

export default function Emergency() {
  const { t, locale } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Switch[] }>('/api/v1/participation/mobilisations');
  const [standing, setStanding] = useState<Switch | null>(null);
  const [note, setNote] = useState('');
  const mayMobilise = can(me, 'participation.mobilise');
  const active = (list.data?.items ?? []).filter((m) => m.active);
  const standDown = async () => {
    if (standing && await run(() => api(`/api/v1/participation/mobilisations/${standing.id}/stand-down`, { body: { note } }), 'pt.em.switchedOff')) {
      setStanding(null); setNote(''); list.reload();
    }
  };
  return (
    <div data-testid="pt-emergency">
      <PageTitle>{t('pt.em.pageTitle')}</PageTitle>
      <ErrorNote error={list.error} />
      {list.data && !active.length && <Alert type="success" showIcon style={{ marginBottom: 16 }} title={t('pt.em.normal')} data-testid="emergency-normal" />}
      {active.map((m) => (
        <Card key={m.id} size="small" style={{ marginBottom: 16, borderColor: '#ff4d4f' }} data-testid="emergency-active"
          title={<Space wrap><Tag color="red">{t('pt.em.on')}</Tag>{m.regionName}<Typography.Text type="secondary">{m.reason}</Typography.Text></Space>}
          extra={mayMobilise && <Button onClick={() => setStanding(m)}>{t('pt.em.switchOff')}</Button>}>
          <Descriptions size="small" column={3} items={[
            { key: 'on', label: t('pt.em.onAt'), children: `${formatDateTime(m.onAt, locale)} · ${m.onBy}` },
            { key: 'acc', label: t('pt.em.acceptedAll'), children: m.accepted },
            { key: 'chk', label: t('pt.em.checkedInAll'), children: m.checkedIn },
          ]} />
          <Tasks id={m.id} />
        </Card>
      ))}
      <Row gutter={[16, 16]}>
        {mayMobilise && <Col xs={24} xl={9}><SwitchOn onDone={list.reload} /></Col>}
        <Col xs={24} xl={mayMobilise ? 15 : 24}>
          <Card size="small" title={t('pt.em.record')}>
            <Table<Switch> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="emergency-record"
              locale={{ emptyText: t('pt.em.empty') }} pagination={{ pageSize: 10, hideOnSinglePage: true }}
              expandable={{ expandedRowRender: (m) => <Tasks id={m.id} /> }}
              columns={[
                { title: t('pt.em.region'), render: (_, m) => <>
                  <Space wrap size={4}>{m.regionName}<Tag color={m.active ? 'red' : 'green'}>{t(m.active ? 'pt.em.on' : 'pt.em.off')}</Tag></Space>
                  <div><Typography.Text type="secondary">{m.reason}</Typography.Text></div>
                </> },
                { title: t('pt.em.when'), render: (_, m) => <>
                  <div>{t('pt.em.onLine', { at: formatDateTime(m.onAt, locale), by: m.onBy })}</div>
                  {m.offAt && <div>{t('pt.em.offLine', { at: formatDateTime(m.offAt, locale), by: m.offBy ?? '' })}</div>}
                  {m.offNote && <div className="gz-typed"><Typography.Text type="secondary">{m.offNote}</Typography.Text></div>}
                </> },
                { title: t('pt.em.tasks'), render: (_, m) => t('pt.em.taskCounts', { tasks: m.tasks, accepted: m.accepted, checked: m.checkedIn }) },
              ]} />
          </Card>
        </Col>
      </Row>
      <Modal open={!!standing} title={t('pt.em.switchOffTitle', { region: standing?.regionName ?? '' })} okText={t('pt.em.switchOff')} okButtonProps={{ disabled: !note.trim() }}
        onOk={standDown} onCancel={() => setStanding(null)} destroyOnHidden>
        <Input.TextArea aria-label={t('pt.em.offNote')} placeholder={t('pt.em.offNoteHint')} rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </div>
  );
}
