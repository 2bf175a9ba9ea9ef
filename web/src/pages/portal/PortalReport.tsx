// Report a problem without an account: photo, category, words, where (map pick or GPS), optional contact.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { CategoryPicker } from '../../components/Pickers.tsx';
import { PhotoUpload, type Uploaded } from '../../components/PhotoUpload.tsx';
import { LocationField } from '../../components/LocationField.tsx';
import { PortalLayout, saveReport } from './PortalLayout.tsx';

export default function PortalReport() {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ caseNo: string; trackingToken: string } | null>(null);

  const submit = async (v: any) => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      categoryCode: v.categoryCode, title: v.title.trim(), description: v.description.trim(), lat: v.location.lat, lng: v.location.lng,
    };
    if (v.address?.trim()) body.address = v.address.trim();
    const contact: Record<string, string> = {};
    if (v.name?.trim()) contact.name = v.name.trim();
    if (v.phone?.trim()) contact.phone = v.phone.trim();
    if (Object.keys(contact).length) body.contact = contact;
    const photos = (v.photos ?? []) as Uploaded[];
    if (photos.length) body.attachments = photos.map((p) => ({ id: p.id, token: p.token }));
    try {
      const r = await api<{ caseNo: string; trackingToken: string }>('/api/v1/portal/cases', { body });
      saveReport({ caseNo: r.caseNo, token: r.trackingToken, title: body.title as string, at: new Date().toISOString() });
      setDone(r);
    } catch (e) {
      setError(e instanceof ApiError ? (e.code === 'outside_area' ? t('location.outside') : e.message) : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <PortalLayout>
        <Result status="success" title={t('portal.thanks')}
          subTitle={t('portal.keepThese')}
          extra={
            <Card size="small" style={{ textAlign: 'left' }}>
              <div>{t('portal.caseNo')}</div>
              <div className="gz-tracking" data-testid="portal-case-no">{done.caseNo}</div>
              <div style={{ marginTop: 8 }}>{t('portal.token')}</div>
              <div className="gz-tracking" data-testid="portal-token">{done.trackingToken}</div>
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t('portal.tokenOnce')}</Typography.Paragraph>
              <Link to={`/portal/track?caseNo=${done.caseNo}&token=${encodeURIComponent(done.trackingToken)}`}>
                <Button type="primary" block>{t('portal.followNow')}</Button>
              </Link>
            </Card>
          } />
      </PortalLayout>
    );
  }

  return (
    <PortalLayout>
      <Typography.Title level={2} style={{ fontSize: 20 }}>{t('portal.report')}</Typography.Title>
      <Card size="small">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" name="portal-report" onFinish={submit} size="large" requiredMark>
          <Form.Item name="photos" label={t('portal.photos')}>
            <PhotoUpload endpoint="/api/v1/portal/attachments" />
          </Form.Item>
          <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('form.required') }]}>
            <CategoryPicker source="portal" caseType="hotline" />
          </Form.Item>
          <Form.Item name="title" label={t('case.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input maxLength={200} placeholder={t('report.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={4} maxLength={5000} />
          </Form.Item>
          <Form.Item name="location" label={t('case.location')} required
            rules={[{ validator: (_, v) => (v?.lat != null ? Promise.resolve() : Promise.reject(new Error(t('portal.locationRequired')))) }]}>
            <LocationField gridsUrl="/api/v1/portal/grids" locateUrl="/api/v1/portal/locate" allowCascader={false} showGps mapOpenByDefault />
          </Form.Item>
          <Form.Item name="address" label={t('case.address')}><Input maxLength={300} /></Form.Item>
          <Typography.Paragraph type="secondary">{t('portal.contactHint')}</Typography.Paragraph>
          <Form.Item name="name" label={t('portal.contactName')}><Input maxLength={50} autoComplete="name" /></Form.Item>
          <Form.Item name="phone" label={t('portal.contactPhone')} rules={[{ pattern: /^\+?[\d-]{5,20}$/, message: t('newCase.phoneInvalid') }]}>
            <Input inputMode="tel" autoComplete="tel" maxLength={20} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="portal-submit">{t('portal.submit')}</Button>
        </Form>
      </Card>
    </PortalLayout>
  );
}
