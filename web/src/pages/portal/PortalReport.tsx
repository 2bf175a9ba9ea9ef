// Report a problem without an account: photo, category, words, where (map pick or GPS), optional contact.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, List, Result, Typography } from 'antd';
import { LikeOutlined } from '@ant-design/icons';
import { AddressField, type GeoCandidate } from '../../components/AddressField.tsx';
import type { LocationValue } from '../../components/LocationField.tsx';
import type { Label } from '../../i18n/index.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { api, ApiError } from '../../api/client.ts';
import { CategoryPicker } from '../../components/Pickers.tsx';
import { PhotoUpload, type Uploaded } from '../../components/PhotoUpload.tsx';
import { LocationField } from '../../components/LocationField.tsx';
import { PortalLayout, saveReport } from './PortalLayout.tsx';

interface NearbyReport { caseNo: string; title: string; stateLabel: Label; createdAt: string; distanceMetres: number; supporters: number; category: { code: string; name: Label | null } }

export default function PortalReport() {
  const { t, pick } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ caseNo: string; trackingToken: string; joined?: boolean; supporters?: number; concerned?: number } | null>(null);
  const loc = Form.useWatch('location', form) as LocationValue | undefined;
  const categoryCode = Form.useWatch('categoryCode', form) as string | undefined;
  const [nearby, setNearby] = useState<NearbyReport[]>([]);
  const [joining, setJoining] = useState<string | null>(null);

  // open reports of the same kind near the point: join one instead of filing a duplicate
  useEffect(() => {
    if (loc?.lat == null || loc.lng == null || !categoryCode) { setNearby([]); return; }
    let live = true;
    api<{ items: NearbyReport[] }>('/api/v1/portal/nearby', { query: { lat: loc.lat, lng: loc.lng, category: categoryCode } })
      .then((r) => { if (live) setNearby(r.items); }, () => { if (live) setNearby([]); });
    return () => { live = false; };
  }, [loc?.lat, loc?.lng, categoryCode]);

  // "use my location" / a map pick: the nearest standard address fills an empty address box
  useEffect(() => {
    if (loc?.nearest && !loc.byAddress && !String(form.getFieldValue('address') ?? '').trim()) form.setFieldValue('address', t('portal.nearAddress', { address: loc.nearest }));
  }, [loc?.nearest, loc?.byAddress, form, t]);

  const placeBy = (c: GeoCandidate) => {
    if (c.lat == null || c.lng == null) return;
    form.setFieldValue('location', { lat: c.lat, lng: c.lng, gridCode: c.regionCode.length >= 14 ? c.regionCode : undefined, path: c.regionPath, byAddress: true } satisfies LocationValue);
    void form.validateFields(['location']).catch(() => undefined);
  };

  const join = async (caseNo: string) => {
    setJoining(caseNo);
    setError(null);
    const v = form.getFieldsValue();
    const contact: Record<string, string> = {};
    if (v.name?.trim()) contact.name = v.name.trim();
    if (v.phone?.trim() && /^\+?[\d-]{5,20}$/.test(v.phone.trim())) contact.phone = v.phone.trim();
    try {
      const r = await api<{ caseNo: string; trackingToken: string; supporters: number; concerned?: number }>(`/api/v1/portal/cases/${encodeURIComponent(caseNo)}/join`, { body: Object.keys(contact).length ? { contact } : {} });
      const item = nearby.find((n) => n.caseNo === caseNo);
      saveReport({ caseNo: r.caseNo, token: r.trackingToken, title: item?.title ?? r.caseNo, at: new Date().toISOString() });
      setDone({ ...r, joined: true });
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'already_joined' ? t('portal.alreadyJoined') : e instanceof ApiError ? e.message : String(e));
    } finally {
      setJoining(null);
    }
  };

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
        <Result status="success" title={done.joined ? t('portal.joinedThanks', { n: done.concerned ?? (done.supporters ?? 1) + 1 }) : t('portal.thanks')}
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
          <Form.Item name="address" label={t('case.address')}>
            <AddressField geocodeUrl="/api/v1/portal/geocode" onPlace={placeBy} placeholder={t('portal.addressPlaceholder')} />
          </Form.Item>
          <Form.Item name="location" label={t('case.location')} required
            rules={[{ validator: (_, v) => (v?.lat != null ? Promise.resolve() : Promise.reject(new Error(t('portal.locationRequired')))) }]}>
            <LocationField gridsUrl="/api/v1/portal/grids" locateUrl="/api/v1/portal/locate" reverseUrl="/api/v1/portal/geocode/reverse" allowCascader={false} showGps mapOpenByDefault />
          </Form.Item>
          {nearby.length > 0 && (
            <Card size="small" title={t('portal.nearbyTitle')} style={{ marginBottom: 16 }} data-testid="portal-nearby">
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('portal.nearbyHint')}</Typography.Paragraph>
              <List size="small" dataSource={nearby} renderItem={(n) => (
                <List.Item data-testid="nearby-report" actions={[
                  <Button key="join" icon={<LikeOutlined />} loading={joining === n.caseNo} onClick={() => join(n.caseNo)} data-testid="join-report">{t('portal.join')}</Button>,
                ]}>
                  <List.Item.Meta title={n.title}
                    description={t('portal.nearbyLine', { distance: n.distanceMetres, state: pick(n.stateLabel), supporters: n.supporters })} />
                </List.Item>
              )} />
            </Card>
          )}
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
