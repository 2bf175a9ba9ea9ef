// The grid worker's phone-friendly report form (also residents with an account): photo first, category,
// a few words, where. Small matters handled on the spot are closed at once (小事不出村).
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Result } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { api, ApiError } from '../api/client.ts';
import { useApi } from '../lib/useApi.ts';
import { CategoryPicker } from '../components/Pickers.tsx';
import { PhotoUpload, type Uploaded } from '../components/PhotoUpload.tsx';
import { LocationField, type LocationValue } from '../components/LocationField.tsx';
import { AddressField, useAddressMismatch, type GeoCandidate } from '../components/AddressField.tsx';
import { SimilarWarning } from '../components/SimilarWarning.tsx';
import { PageTitle } from '../components/Page.tsx';
import type { CaseView, Region } from '../api/types.ts';
import { errorText } from '../lib/forms.ts';
import { useWorkflows } from '../lib/workflows.ts';
import { currentPosition, dropDraft, enqueue, isNetworkError, loadDraft, newKey, photosFromDraft, photosToDraft, saveDraft, useOnline } from '../lib/offline.ts';

const DRAFT = 'report';
/** Form fields kept as a draft on the phone (the photos too, as blobs: a reload loses none). */
const DRAFT_FIELDS = ['categoryCode', 'title', 'description', 'address', 'location', 'handled', 'handledNote', 'urgency'];

export default function GridReport() {
  const { t } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ c: CaseView; closed: boolean } | null>(null);
  const [queued, setQueued] = useState(false);
  const online = useOnline();
  // one Idempotency-Key per report: a second tap or a retry after a lost answer files no second case
  const key = useRef(newKey('report'));
  // the draft: restored on opening, saved as the worker types (a reload loses nothing)
  useEffect(() => {
    void loadDraft(DRAFT).then((v) => {
      if (!v) return;
      const { photos, ...rest } = v;
      form.setFieldsValue({ ...rest, ...(Array.isArray(photos) && photos.length ? { photos: photosFromDraft(photos) } : {}) });
    }).catch(() => undefined);
  }, [form]);
  const keepDraft = () => {
    const v = form.getFieldsValue(DRAFT_FIELDS);
    const photos = photosToDraft(form.getFieldValue('photos') as Uploaded[] | undefined);
    void saveDraft(DRAFT, { ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)), ...(photos.length ? { photos } : {}) }).catch(() => undefined);
  };
  const isWorker = me.role === 'grid_worker';
  const workflows = useWorkflows();
  // the type this role reports (the server picks the same one when the report names none)
  const caseType = workflows?.reportable(me.role)[0]?.type;
  const myRegion = useApi<Region>('/api/v1/regions/mine');
  const handled = Form.useWatch('handled', form) as boolean | undefined;
  const loc = Form.useWatch('location', form) as LocationValue | undefined;
  const categoryCode = Form.useWatch('categoryCode', form) as string | undefined;
  const gridsUrl = useMemo(() => `/api/v1/regions/${me.regionCode}/grids`, [me]);
  const address = Form.useWatch('address', form) as string | undefined;
  const mismatch = useAddressMismatch(address, loc);
  const { modal } = App.useApp();
  const placeBy = (c: GeoCandidate) => {
    form.setFieldValue('location', {
      lat: c.kind === 'region' ? undefined : c.lat ?? undefined, lng: c.kind === 'region' ? undefined : c.lng ?? undefined,
      gridCode: c.regionCode.length >= 14 ? c.regionCode : undefined, regionCode: c.regionCode, path: c.regionPath, byAddress: true,
    } satisfies LocationValue);
  };

  const submit = async (v: any) => {
    if (mismatch && !(await modal.confirm({
      title: t('geo.mismatchConfirmTitle'), content: t('geo.mismatchConfirm', { ...mismatch, level: t(mismatch.level === 'street' ? 'geo.level.street' : 'geo.level.community') }), okText: t('geo.submitAnyway'), cancelText: t('geo.checkAgain'),
    }))) return;
    setBusy(true);
    setError(null);
    const photos = (v.photos ?? []) as Uploaded[];
    const body: Record<string, unknown> = {
      categoryCode: v.categoryCode, title: v.title.trim(), description: v.description.trim(), urgency: v.urgency ?? 'normal',
      attachmentIds: photos.map((p) => p.id),
    };
    if (v.address?.trim()) body.address = v.address.trim();
    const l = v.location as LocationValue | undefined;
    // no place chosen: where the phone is at the time of the report (GPS, when allowed; it works offline too),
    // and the worker's own region should the server refuse that point
    const here = l?.lat == null && !l?.regionCode ? await currentPosition() : null;
    let fallbackBody: Record<string, unknown> | undefined;
    if (l?.lat != null) { body.lat = l.lat; body.lng = l.lng; } else if (here) {
      fallbackBody = { ...body, regionCode: me.regionCode };
      body.lat = here.lat; body.lng = here.lng;
    } else body.regionCode = l?.regionCode ?? me.regionCode;
    const pending = photos.filter((p) => p.file);
    body.attachmentIds = photos.filter((p) => !p.file).map((p) => p.id);
    if (fallbackBody) fallbackBody.attachmentIds = body.attachmentIds;
    const closeNote = v.handled ? v.handledNote.trim() : undefined;
    const toOutbox = async () => {
      await enqueue({
        key: key.current, kind: 'report', url: '/api/v1/cases', body, fallbackBody, title: body.title as string,
        photos: pending.map((p) => ({ name: p.name, type: p.file!.type, blob: p.file! })),
        selfCloseNote: closeNote, selfCloseActions: workflows?.selfCloseActions(caseType) ?? [],
      });
      await dropDraft(DRAFT);
      key.current = newKey('report');
      setQueued(true);
    };
    if (!navigator.onLine || pending.length) {
      try { await toOutbox(); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
      return;
    }
    try {
      const send = (b: Record<string, unknown>) => api<CaseView>('/api/v1/cases', { body: b, headers: { 'idempotency-key': key.current } });
      const c = await send(body).catch((e) => {
        if (fallbackBody && e instanceof ApiError && (e.code === 'outside_area' || e.code === 'outside_scope')) return send(fallbackBody);
        throw e;
      });
      void dropDraft(DRAFT);
      key.current = newKey('report');
      let closed = false;
      const selfClose = v.handled ? workflows?.openSelfClose(c) : null;
      if (selfClose) {
        await api(`/api/v1/cases/${c.id}/actions/${selfClose}`, { body: { note: v.handledNote.trim() } });
        closed = true;
      }
      message.success(t('newCase.created', { caseNo: c.caseNo }));
      setDone({ c, closed });
    } catch (e) {
      // no answer at all: the report waits on the phone and goes when the connection is back
      if (isNetworkError(e)) { try { await toOutbox(); } catch (e2) { setError(errorText(e2)); } } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (queued) {
    return (
      <div className="gz-mobile-form">
        <Result status="info" title={t('fw.report.queuedTitle')} subTitle={online ? t('fw.outbox.online') : t('fw.outbox.offline')}
          extra={[
            <Button key="home" type="primary" onClick={() => nav('/')} data-testid="queued-home">{t('fw.tab.today')}</Button>,
            <Button key="again" onClick={() => { setQueued(false); form.resetFields(); }}>{t('report.another')}</Button>,
          ]} />
      </div>
    );
  }

  if (done) {
    return (
      <div className="gz-mobile-form">
        <Result status="success" title={done.closed ? t('report.closedTitle') : t('report.sentTitle')}
          subTitle={<span data-testid="reported-case-no">{t('report.caseNo', { caseNo: done.c.caseNo })}</span>}
          extra={[
            <Button key="detail" type="primary" onClick={() => nav(`/cases/${done.c.id}`)}>{t('report.viewCase')}</Button>,
            <Button key="again" onClick={() => { setDone(null); form.resetFields(); void dropDraft(DRAFT); }}>{t('report.another')}</Button>,
          ]} />
      </div>
    );
  }

  return (
    <div className="gz-mobile-form">
      <PageTitle>{me.role === 'resident' ? t('report.residentTitle') : t('report.title')}</PageTitle>
      <Card size="small">
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <Form form={form} layout="vertical" name="grid-report" onFinish={submit} size="large" requiredMark onValuesChange={keepDraft}
          initialValues={{ urgency: 'normal', handled: false }}>
          <Form.Item name="photos" label={t('action.photos')}>
            <PhotoUpload offlineOk />
          </Form.Item>
          <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('form.required') }]}>
            <CategoryPicker caseType={caseType} />
          </Form.Item>
          <Form.Item name="title" label={t('case.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input maxLength={200} placeholder={t('report.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={3} maxLength={5000} placeholder={t('report.descriptionPlaceholder')} />
          </Form.Item>
          <Form.Item name="address" label={t('case.address')}>
            <AddressField onPlace={placeBy} />
          </Form.Item>
          <Form.Item name="location" label={t('case.location')}
            extra={!loc?.lat && !loc?.regionCode && me.role !== 'resident' ? t('report.defaultLocation', { region: myRegion.data?.name ?? '' }) : undefined}
            rules={me.role === 'resident' ? [{ validator: (_, v) => (v?.lat != null ? Promise.resolve() : Promise.reject(new Error(t('newCase.locationRequired')))) }] : []}>
            <LocationField rootCode={me.role === 'resident' ? undefined : me.regionCode} gridsUrl={gridsUrl} showGps allowCascader={!isWorker && me.role !== 'resident'}
              mapOpenByDefault={me.role === 'resident'} />
          </Form.Item>
          {mismatch && <Alert type="warning" showIcon role="alert" data-testid="address-mismatch" style={{ marginBottom: 12 }} title={t('geo.mismatch', { ...mismatch, level: t(mismatch.level === 'street' ? 'geo.level.street' : 'geo.level.community') })} />}
          <SimilarWarning lat={loc?.lat} lng={loc?.lng} categoryCode={categoryCode} />
          {isWorker && (
            <>
              <Form.Item name="handled" valuePropName="checked">
                <Checkbox>{t('report.handledOnSpot')}</Checkbox>
              </Form.Item>
              {handled && (
                <Form.Item name="handledNote" label={t('report.handledNote')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
            </>
          )}
          {!isWorker && (
            <Form.Item name="urgency" label={t('case.urgency')}>
              <Radio.Group optionType="button" options={(['normal', 'urgent'] as const).map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
            </Form.Item>
          )}
          <div className="gz-phone-actions">
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="submit-report">
              {!online ? t('fw.report.saveOffline') : handled ? t('report.submitAndClose') : t('report.submit')}
            </Button>
          </div>
        </Form>
      </Card>
      <div style={{ marginTop: 12, textAlign: 'center' }}><Link to="/inbox" className="gz-row-link" style={{ justifyContent: 'center' }}>{t('nav.inbox')}</Link></div>
    </div>
  );
}
