// The registry of mediation bodies (矛调中心, 调委会, 调解室) serving my territory with their mediators:
// level, specialties, 品牌 and 金牌 designations, workload and success rate.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionCascader } from '../../components/Pickers.tsx';

interface Mediator { id: number; name: string; title: string | null; gold: boolean; workload: number; maxLoad: number; successRate: number | null; specialties: string[] }
interface Org { id: number; name: string; level: string; kind: string; regionCode: string; brand: boolean; brandName: string | null; specialties: string[]; mediators: Mediator[] }

export default function Orgs() {
  const { t } = useI18n();
  const me = useMe();
  const res = useApi<{ items: Org[] }>('/api/v1/mediation/orgs');
  const [orgOpen, setOrgOpen] = useState(false);
  const [mediatorFor, setMediatorFor] = useState<Org | null>(null);
  const [orgForm] = Form.useForm();
  const [mForm] = Form.useForm();
  const manage = can(me, 'mediation.orgs.manage');
  const levelOf = (code: string) => (code.length <= 6 ? 'district' : code.length <= 9 ? 'street' : 'community');
  const org = useFormSubmit<any>(orgForm, async (v) => {
    const regionCode = (v.region as string[] | undefined)?.slice(-1)[0] ?? me.regionCode;
    await api('/api/v1/mediation/orgs', { body: { regionCode, level: levelOf(regionCode), kind: v.kind, name: v.name, brand: !!v.brand, brandName: v.brand ? v.name : undefined } });
    setOrgOpen(false); orgForm.resetFields(); res.reload();
  });
  const med = useFormSubmit<any>(mForm, async (v) => {
    await api('/api/v1/mediation/mediators', { body: { orgId: mediatorFor!.id, name: v.name, title: v.title || undefined, phone: v.phone || undefined, gold: !!v.gold, maxLoad: v.maxLoad ?? 10 } });
    setMediatorFor(null); mForm.resetFields(); res.reload();
  });
  return (
    <div data-testid="mediation-orgs">
      <PageTitle extra={manage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOrgOpen(true)}>{t('md.newOrg')}</Button>}>{t('md.orgs')}</PageTitle>
      <ErrorNote error={res.error} />
      {(res.data?.items ?? []).map((o) => (
        <Card key={o.id} size="small" style={{ marginBottom: 12 }} title={<Space>{o.name}<Tag>{t(`md.orgKind.${o.kind}` as MessageKey)}</Tag><Tag>{t(`md.level.${o.level}` as MessageKey)}</Tag>{o.brand && <Tag color="gold">{t('md.brand')}</Tag>}</Space>}
          extra={manage && <Button size="small" onClick={() => setMediatorFor(o)}>{t('md.newMediator')}</Button>}>
          <Table size="small" rowKey="id" pagination={false} dataSource={o.mediators} columns={[
            { title: t('md.mediator'), render: (_, m) => <Space>{m.name}{m.gold && <Tag color="gold">{t('md.gold')}</Tag>}</Space> },
            { title: t('pt.leaderTitle'), render: (_, m) => m.title ?? '—' },
            { title: t('md.s.backlog'), render: (_, m) => t('md.workload', { n: m.workload, max: m.maxLoad }) },
            { title: t('md.successRate'), render: (_, m) => (m.successRate == null ? '—' : `${m.successRate}%`) },
          ]} />
        </Card>
      ))}
      <Modal open={orgOpen} title={t('md.newOrg')} onCancel={() => setOrgOpen(false)} onOk={org.save} confirmLoading={org.busy} destroyOnHidden>
        <Form form={orgForm} layout="vertical" initialValues={{ kind: 'room' }}>
          {org.error && <Alert type="error" showIcon title={org.error} />}
          <Form.Item name="name" label={t('md.orgName')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="kind" label={t('md.orgKind')}><Select options={['centre', 'committee', 'room'].map((k) => ({ value: k, label: t(`md.orgKind.${k}` as MessageKey) }))} /></Form.Item>
          <Form.Item name="region" label={t('md.region')}><RegionCascader rootCode={me.regionCode} /></Form.Item>
          <Form.Item name="brand" label={t('md.brand')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!mediatorFor} title={t('md.newMediator')} onCancel={() => setMediatorFor(null)} onOk={med.save} confirmLoading={med.busy} destroyOnHidden>
        <Form form={mForm} layout="vertical" initialValues={{ maxLoad: 10 }}>
          {med.error && <Alert type="error" showIcon title={med.error} />}
          <Form.Item name="name" label={t('pt.leaderName')} rules={[{ required: true }]}><Input /></Form.Item>
          <Form.Item name="title" label={t('pt.leaderTitle')}><Input /></Form.Item>
          <Form.Item name="phone" label={t('md.party.phone')}><Input /></Form.Item>
          <Form.Item name="maxLoad" label={t('md.s.backlog')}><InputNumber min={1} max={200} /></Form.Item>
          <Form.Item name="gold" label={t('md.gold')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
