// The hotline operator's fast entry form (also used by street and command centres): caller, phone,
// searchable category tree, text, address or map pick with automatic grid lookup, duplicate warning.
import { isPhone, normalizePhone } from '../lib/phone.ts';
import { clearDraft, loadDraft, saveDraft } from '../lib/draft.ts';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, Radio, Row, Select, Space } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { api } from '../api/client.ts';
import { CategoryPicker } from '../components/Pickers.tsx';
import { LocationField, type LocationValue } from '../components/LocationField.tsx';
import { AddressField, pathText, useAddressMismatch, type GeoCandidate } from '../components/AddressField.tsx';
import { SimilarWarning } from '../components/SimilarWarning.tsx';
import { PageTitle } from '../components/Page.tsx';
import type { CaseView } from '../api/types.ts';
import { errorText } from '../lib/forms.ts';
import { useWorkflows } from '../lib/workflows.ts';
import { can } from '../lib/abilities.ts';
import { CategorySuggest } from '../components/CategorySuggest.tsx';
import { AnswerOnCall, APPEAL_KINDS, CallerHistory } from '../components/HotlineDesk.tsx';

/** Candidates scoring at least this share of the best one tie with it (营盘街社区3栋: two 3栋 in two grids). */
const AMBIGUOUS_SHARE = 0.9;

const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export default function NewCase() {
  const { t, pick } = useI18n();
  const me = useMe();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [idemKey, setIdemKey] = useState(newKey);
  const isHotline = me.role === 'hotline_operator';
  const workflows = useWorkflows();
  // the types this role reports, its default first
  const reportable = workflows?.reportable(me.role) ?? [];
  const type = (Form.useWatch('type', form) as string | undefined) ?? reportable[0]?.type;
  const loc = Form.useWatch('location', form) as LocationValue | undefined;
  const categoryCode = Form.useWatch('categoryCode', form) as string | undefined;
  const description = Form.useWatch('description', form) as string | undefined;
  const address = Form.useWatch('address', form) as string | undefined;
  const mismatch = useAddressMismatch(address, loc);
  const { modal } = App.useApp();
  const placeBy = (c: GeoCandidate) => {
    if (c.lat == null && !c.regionCode) return;
    form.setFieldValue('location', {
      // a division itself (a community named, no address) is placed by its code, not by its centroid
      lat: c.kind === 'region' ? undefined : c.lat ?? undefined, lng: c.kind === 'region' ? undefined : c.lng ?? undefined,
      gridCode: c.regionCode.length >= 14 ? c.regionCode : undefined,
      regionCode: c.regionCode, path: c.regionPath, byAddress: true,
    } satisfies LocationValue);
    void form.validateFields(['location']).catch(() => undefined);
  };
  const callerPhone = Form.useWatch('callerPhone', form) as string | undefined;
  const titleText = Form.useWatch('title', form) as string | undefined;
  const [answer, setAnswer] = useState('');
  const gridsUrl = useMemo(() => `/api/v1/regions/${me.regionCode}/grids`, [me.regionCode]);
  // a ticket half-typed when the session ended mid-call comes back after logging in again (same user, same tab)
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const draft = loadDraft('new-case', me.id);
    if (draft) { form.setFieldsValue(draft); setRestored(true); }
  }, [form, me.id]);

  /** 即时办结: the fields the ticket needs, without a location; closed by the answer given on the call. */
  const closeOnCall = async () => {
    let v: any;
    try { v = await form.validateFields(['categoryCode', 'title', 'description', 'callerPhone', 'appealKind']); } catch { return; }
    await submit({ ...form.getFieldsValue(), ...v, location: undefined }, { note: answer.trim() });
  };

  /** The geocoder's best places for the address; when the best ones (near-)tie in different grids, the operator picks. */
  const askWhichPlace = async (text: string): Promise<GeoCandidate | null | 'cancel'> => {
    let candidates: GeoCandidate[] = [];
    try { candidates = (await api<{ candidates: GeoCandidate[] }>('/api/v1/geocode', { query: { q: text.slice(0, 200), limit: 6 } })).candidates; } catch { return null; }
    const [best] = candidates;
    if (!best) return null;
    const grid = (c: GeoCandidate) => c.regionPath.find((x) => x.level === 'grid')?.code ?? c.regionCode;
    const close = candidates.filter((c) => c.score >= best.score * AMBIGUOUS_SHARE && c.kind !== 'region');
    if (new Set(close.map(grid)).size < 2) return null;
    let choice = -1;
    const ok = await modal.confirm({
      title: t('geo.whichPlaceTitle'), okText: t('geo.whichPlaceOk'), cancelText: t('geo.checkAgain'), width: 560,
      content: (
        <div data-testid="which-place">
          <p>{t('geo.whichPlace', { address: text })}</p>
          <Radio.Group onChange={(e) => { choice = Number(e.target.value); }} aria-label={t('geo.whichPlaceTitle')}>
            <Space direction="vertical">
              {close.map((c, i) => <Radio key={i} value={i} style={{ minHeight: 44, alignItems: 'center' }}>{c.label}（{pathText(c.regionPath)}）</Radio>)}
            </Space>
          </Radio.Group>
        </div>
      ),
      onOk: () => (choice < 0 ? Promise.reject(new Error('no choice')) : Promise.resolve()),
    });
    return ok && choice >= 0 ? close[choice]! : 'cancel';
  };

  const submit = async (v: any, answerOnCall?: { note: string }) => {
    // the typed address and the map point name different communities: ask before filing (not for a ticket closed on the call)
    if (!answerOnCall && mismatch && !(await modal.confirm({
      title: t('geo.mismatchConfirmTitle'), content: t('geo.mismatchConfirm', { ...mismatch, level: t(mismatch.level === 'street' ? 'geo.level.street' : 'geo.level.community') }), okText: t('geo.submitAnyway'), cancelText: t('geo.checkAgain'),
    }))) return;
    // an address typed without a point that names two places in different grids (two 3栋): ask which one
    if (!answerOnCall && v.address?.trim() && v.location?.lat == null && !v.location?.regionCode) {
      const picked = await askWhichPlace(v.address.trim());
      if (picked === 'cancel') return;
      if (picked) { placeBy(picked); v = { ...v, location: form.getFieldValue('location') }; }
    }
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      type: v.type ?? type, categoryCode: v.categoryCode, title: v.title.trim(), description: v.description.trim(), urgency: v.urgency,
      channel: isHotline ? v.channel : undefined, appealKind: v.appealKind, answerOnCall,
    };
    if (v.address?.trim()) body.address = v.address.trim();
    if (v.location?.byAddress && v.location.lat == null && v.location.regionCode) body.regionCode = v.location.regionCode;
    else if (v.location?.lat != null) { body.lat = v.location.lat; body.lng = v.location.lng; } else if (v.location?.regionCode) body.regionCode = v.location.regionCode;
    const reporter: Record<string, string> = {};
    if (v.callerName?.trim()) reporter.name = v.callerName.trim();
    if (v.callerPhone?.trim()) reporter.phone = normalizePhone(v.callerPhone.trim());
    if (Object.keys(reporter).length) body.reporter = reporter;
    try {
      const c = await api<CaseView>('/api/v1/cases', { body, headers: { 'idempotency-key': idemKey } });
      message.success(answerOnCall ? t('hd.closedOnCall', { caseNo: c.caseNo }) : t('newCase.created', { caseNo: c.caseNo }));
      setAnswer('');
      setIdemKey(newKey());
      clearDraft('new-case', me.id);
      setRestored(false);
      nav(`/cases/${c.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageTitle>{isHotline ? t('newCase.hotlineTitle') : t('newCase.title')}</PageTitle>
      <Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        {restored && (
          <Alert type="info" showIcon closable title={t('newCase.draftRestored')} style={{ marginBottom: 12 }} data-testid="draft-restored"
            action={<Button size="small" onClick={() => { clearDraft('new-case', me.id); form.resetFields(); setRestored(false); }}>{t('newCase.draftDiscard')}</Button>} />
        )}
        <Form form={form} layout="vertical" name="new-case" onFinish={(v) => submit(v)} requiredMark
          onValuesChange={(_, all) => saveDraft('new-case', me.id, all)}
          initialValues={{ urgency: 'normal', channel: 'hotline', appealKind: 'help' }}>
          <Row gutter={16}>
            {isHotline ? (
              <>
                <Col xs={24} md={8}>
                  <Form.Item name="callerName" label={t('newCase.callerName')}><Input maxLength={50} autoFocus /></Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="callerPhone" label={t('newCase.callerPhone')}
                    rules={[{ validator: (_, v?: string) => (!v || isPhone(v) ? Promise.resolve() : Promise.reject(new Error(t('newCase.phoneInvalid')))) }]}>
                    <Input inputMode="tel" maxLength={20} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={8}>
                  <Form.Item name="channel" label={t('case.channel')}>
                    <Select options={['hotline', 'web', 'wechat'].map((c) => ({ value: c, label: t(`channel.${c}` as 'channel.hotline') }))} />
                  </Form.Item>
                </Col>
                <Col xs={24}>
                  <Form.Item name="appealKind" label={t('hd.appealKind')} rules={[{ required: true, message: t('form.required') }]}>
                    <Radio.Group optionType="button" data-testid="appeal-kind" options={APPEAL_KINDS.map((k) => ({ value: k, label: t(`hd.kind.${k}`) }))} />
                  </Form.Item>
                </Col>
              </>
            ) : (
              <Col xs={24} md={8}>
                <Form.Item name="type" label={t('case.type')}>
                  <Select options={reportable.map((d) => ({ value: d.type, label: pick(d.name) }))} placeholder={reportable[0] ? pick(reportable[0].name) : undefined} />
                </Form.Item>
              </Col>
            )}
          </Row>
          {isHotline && <CallerHistory phone={callerPhone} />}
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="categoryCode" label={t('case.category')} rules={[{ required: true, message: t('form.required') }]}>
                <CategoryPicker caseType={type} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="urgency" label={t('case.urgency')}>
                <Radio.Group optionType="button" options={(['normal', 'urgent', 'emergency'] as const).map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="title" label={t('case.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input maxLength={200} showCount placeholder={t('newCase.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="description" label={t('case.description')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('newCase.descriptionPlaceholder')} />
          </Form.Item>
          {can(me, 'intelligence.read') && (
            <CategorySuggest text={`${titleText ?? ''} ${description ?? ''}`} caseType={type} value={categoryCode}
              onPick={(code) => form.setFieldsValue({ categoryCode: code })} />
          )}
          <Form.Item name="address" label={t('case.address')} extra={!loc?.lat && !loc?.regionCode && address?.trim() ? t('geo.addressOnly') : undefined}>
            <AddressField placeholder={t('newCase.addressPlaceholder')} onPlace={placeBy} />
          </Form.Item>
          <Form.Item name="location" label={t('case.location')} required dependencies={['address']}
            rules={[{ validator: (_, v) => (v?.lat != null || v?.regionCode || form.getFieldValue('address')?.trim() ? Promise.resolve() : Promise.reject(new Error(t('newCase.locationRequired')))) }]}>
            <LocationField rootCode={me.regionCode} gridsUrl={gridsUrl} />
          </Form.Item>
          {mismatch && <Alert type="warning" showIcon role="alert" data-testid="address-mismatch" style={{ marginBottom: 12 }} title={t('geo.mismatch', { ...mismatch, level: t(mismatch.level === 'street' ? 'geo.level.street' : 'geo.level.community') })} />}
          <SimilarWarning lat={loc?.lat} lng={loc?.lng} categoryCode={categoryCode} text={description} />
          {isHotline && <AnswerOnCall value={answer} onChange={setAnswer} onClose={closeOnCall} busy={busy} knowledge={can(me, 'knowledge.read')}
            text={`${titleText ?? ''} ${description ?? ''}`} />}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} size="large" data-testid="submit-case">{t('newCase.submit')}</Button>
            <Button onClick={() => { form.resetFields(); setError(null); }}>{t('common.reset')}</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
