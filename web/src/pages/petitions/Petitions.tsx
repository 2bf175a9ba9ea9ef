// Petitions in my territory (or assigned to my unit): all, repeat petitions, backlog cases; registering a
// letter, visit, call or online petition with its petitioners.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Row, Col, Segmented, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { CategoryPicker, RegionCascader } from '../../components/Pickers.tsx';
import { PartyFields, partiesBody } from '../mediation/common.tsx';
import { DeadlineTags, OverdueTag, type Deadline } from './PetitionDetail.tsx';

interface Item { id: number; caseNo: string; title: string; createdAt: string; stateLabel?: { zh: string; en: string }; petition: { form: string; repeat: boolean; firstTime: boolean; backlog: boolean; overdue?: boolean; daysOver?: number; dueStep?: string | null; deadlines: Deadline[] } | null }

export default function Petitions() {
  const { t, pick, locale } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [view, setView] = useState('all');
  const res = useApi<{ items: Item[] }>(`/api/v1/petitions?pageSize=50${view === 'repeat' ? '&repeat=true' : view === 'backlog' ? '&backlog=true' : view === 'overdue' ? '&overdue=true' : ''}`, [view]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const regionCode = (v.region as string[] | undefined)?.slice(-1)[0] ?? me.regionCode;
    const r = await api<{ case: { id: number; caseNo: string } }>('/api/v1/petitions', {
      body: { categoryCode: v.categoryCode, title: v.title, description: v.description, regionCode, form: v.form, petitioners: v.petitioners ?? 1, respondent: v.respondent || undefined, parties: partiesBody(v.parties) },
    });
    message.success(t('pt.created', { no: r.case.caseNo }));
    nav(`/petitions/${r.case.id}`);
  });
  return (
    <div data-testid="petitions">
      <PageTitle extra={can(me, 'petition.register') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('pt.register')}</Button>}>{t('pt.petitions')}</PageTitle>
      <Card size="small" title={<Segmented value={view} onChange={(v) => setView(String(v))} options={[{ value: 'all', label: t('pt.all') }, { value: 'repeat', label: t('pt.repeats') }, { value: 'backlog', label: t('pt.backlog') }, { value: 'overdue', label: t('pt.overdueList') }]} />}>
        <ErrorNote error={res.error} />
        {/* fits the page at 1366×768 (fixed widths, long titles cut with an ellipsis, tags wrapping); narrower, it scrolls inside the card */}
        <Table<Item> size="small" rowKey="id" loading={res.loading} dataSource={res.data?.items ?? []} tableLayout="fixed" scroll={{ x: 880 }} data-testid="petition-list"
          onRow={(r) => ({ onClick: () => nav(`/petitions/${r.id}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('case.caseNo'), width: 170, render: (_, r) => <Link to={`/petitions/${r.id}`}>{r.caseNo}</Link> },
            { title: t('case.title'), dataIndex: 'title', ellipsis: true },
            { title: t('pt.form'), width: 84, render: (_, r) => (r.petition ? t(`pt.form.${r.petition.form}` as MessageKey) : '—') },
            { title: t('case.state'), width: 128, render: (_, r) => (r.stateLabel ? <Tag style={{ marginInlineEnd: 0 }}>{pick(r.stateLabel)}</Tag> : null) },
            {
              title: t('pt.deadlines'), width: 300, render: (_, r) => r.petition && (
                <Space size={[4, 4]} wrap>
                  {r.petition.repeat && <Tag color="red">{t('pt.repeat')}</Tag>}{r.petition.firstTime && <Tag color="blue">{t('pt.firstTime')}</Tag>}
                  {r.petition.backlog && <Tag color="volcano">{t('pt.backlog')}</Tag>}
                  {r.petition.overdue && <OverdueTag days={r.petition.daysOver ?? 0} step={r.petition.dueStep} />}
                  <DeadlineTags deadlines={r.petition.deadlines.filter((d) => !d.done)} />
                </Space>
              ),
            },
            { title: t('md.receivedAt'), width: 136, render: (_, r) => formatDateTime(r.createdAt, locale) },
          ]} />
      </Card>
      <Modal open={open} width={900} title={t('pt.register')} onCancel={() => setOpen(false)} onOk={save} confirmLoading={busy} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ form: 'visit', petitioners: 1, parties: [{ role: 'petitioner', kind: 'person' }] }}>
          {error && <Alert type="error" showIcon title={error} />}
          <Row gutter={8}>
            <Col xs={12}><Form.Item name="categoryCode" label={t('pt.category')} rules={[{ required: true }]}><CategoryPicker caseType="petition" /></Form.Item></Col>
            <Col xs={12}><Form.Item name="region" label={t('md.region')}><RegionCascader rootCode={me.regionCode} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="form" label={t('pt.form')}><Select options={['letter', 'visit', 'call', 'online'].map((f) => ({ value: f, label: t(`pt.form.${f}` as MessageKey) }))} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="petitioners" label={t('pt.petitioners')}><InputNumber min={1} max={100000} /></Form.Item></Col>
            <Col xs={8}><Form.Item name="respondent" label={t('pt.respondent')}><Input /></Form.Item></Col>
          </Row>
          <Form.Item name="title" label={t('case.title')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="description" label={t('md.description')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <PartyFields roles={['petitioner', 'agent']} />
        </Form>
      </Modal>
    </div>
  );
}
