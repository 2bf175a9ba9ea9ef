// Registering a dispute: the GB/T 31000 record and its parties (contacts sealed once saved).
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { PageTitle } from '../../components/Page.tsx';
import { CategoryPicker, RegionCascader } from '../../components/Pickers.tsx';
import { PartyFields, partiesBody } from './common.tsx';

const SCALES = ['ordinary', 'larger', 'major', 'especially_major'];
const SOURCES = ['application', 'proactive', 'court', 'procuratorate', 'police', 'petition', 'department'];

export default function NewDispute() {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const region = (v.region as string[] | undefined)?.slice(-1)[0] ?? me.regionCode;
    const body = {
      categoryCode: v.categoryCode, title: v.title, description: v.description, regionCode: region, address: v.address || undefined,
      occurredOn: v.occurredOn ? v.occurredOn.format('YYYY-MM-DD') : undefined, peopleInvolved: v.peopleInvolved ?? undefined,
      scale: v.scale, source: v.source, parties: partiesBody(v.parties),
    };
    const r = await api<{ case: { id: number; caseNo: string } }>('/api/v1/disputes', { body });
    message.success(t('md.created', { no: r.case.caseNo }));
    // a grid worker reports disputes without keeping their records: they follow the case itself
    nav(can(me, 'mediation.read') ? `/mediation/disputes/${r.case.id}` : `/cases/${r.case.id}`);
  });
  return (
    <div data-testid="new-dispute">
      <PageTitle>{t('md.register')}</PageTitle>
      <Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} layout="vertical" initialValues={{ scale: 'ordinary', source: 'application', parties: [{ role: 'applicant', kind: 'person' }, { role: 'respondent', kind: 'person' }] }}>
          <Row gutter={16}>
            <Col xs={24} md={12}><Form.Item name="categoryCode" label={t('md.category')} rules={[{ required: true }]}><CategoryPicker caseType="dispute" /></Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="region" label={t('md.region')} rules={[{ required: me.regionCode.length < 12 }]}><RegionCascader rootCode={me.regionCode} /></Form.Item></Col>
            <Col xs={24}><Form.Item name="title" label={t('md.title')} rules={[{ required: true, max: 200 }]}><Input /></Form.Item></Col>
            <Col xs={24}><Form.Item name="description" label={t('md.description')} rules={[{ required: true, max: 2000 }]}><Input.TextArea rows={3} /></Form.Item></Col>
            <Col xs={24} md={12}><Form.Item name="address" label={t('md.address')}><Input /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="occurredOn" label={t('md.occurredOn')}><DatePicker style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="peopleInvolved" label={t('md.peopleInvolved')}><InputNumber min={1} max={100000} style={{ width: '100%' }} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="scale" label={t('md.scale')}><Select options={SCALES.map((s) => ({ value: s, label: t(`md.scale.${s}` as MessageKey) }))} /></Form.Item></Col>
            <Col xs={12} md={6}><Form.Item name="source" label={t('md.source')}><Select options={SOURCES.map((s) => ({ value: s, label: t(`md.source.${s}` as MessageKey) }))} /></Form.Item></Col>
          </Row>
          <Card size="small" title={t('md.parties')} style={{ marginBottom: 16 }}><PartyFields roles={['applicant', 'respondent', 'third_party', 'agent']} /></Card>
          <Button type="primary" loading={busy} onClick={save}>{t('common.save')}</Button>
        </Form>
      </Card>
    </div>
  );
}
