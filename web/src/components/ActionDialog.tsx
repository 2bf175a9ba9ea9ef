// One dialog per case action, with exactly the fields the action needs (contracts.ts requiredFields).
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { errorText, useFormSubmit } from '../lib/forms.ts';
import { useCategories, useUnits } from '../lib/lookups.ts';
import { PhotoUpload, type Uploaded } from './PhotoUpload.tsx';
import { DuplicateCandidates, TextSuggestions } from './Intelligence.tsx';
import type { CaseView, Routing } from '../api/types.ts';

type Field = 'note' | 'noteRequired' | 'reason' | 'lead' | 'assist' | 'extension' | 'extensionOptional' | 'rating'
  | 'units' | 'intoCase' | 'conditionMet' | 'photos' | 'reveal';

export const ACTION_FIELDS: Record<string, Field[]> = {
  accept: ['note'],
  reject: ['reason'],
  file: ['conditionMet', 'note'],
  dispatch: ['lead', 'assist', 'note'],
  sign: ['note'],
  return: ['reason'],
  request_extension: ['extension', 'reason'],
  approve_extension: ['extensionOptional', 'note'],
  reject_extension: ['reason'],
  suspend: ['reason'],
  resume: ['note'],
  reply: ['noteRequired', 'photos'],
  verify_pass: ['note', 'photos'],
  verify_fail: ['reason', 'photos'],
  close: ['note'],
  call_back: ['reveal', 'rating', 'note'],
  rate: ['rating', 'note'],
  supervise: ['note'],
  urge: ['note'],
  merge: ['intoCase', 'note'],
  whistle: ['units', 'note'],
  escalate: ['note'],
  report_in: ['note'],
  whistle_reply: ['noteRequired', 'photos'],
  answer_directly: ['noteRequired'],
  self_close: ['noteRequired', 'photos'],
};

/** Forward actions get the primary button; refusals the danger style. */
export const PRIMARY_ACTIONS = new Set(['accept', 'file', 'dispatch', 'sign', 'reply', 'verify_pass', 'close', 'call_back', 'rate', 'self_close', 'report_in', 'whistle_reply', 'answer_directly', 'approve_extension', 'resume']);
export const DANGER_ACTIONS = new Set(['reject', 'return', 'verify_fail', 'reject_extension']);

const HANDLER_KINDS = new Set(['department', 'street_centre', 'community', 'district_gov']);

export function ActionDialog({ c, action, open, onClose, onDone, preset }: {
  c: CaseView; action: string | null; open: boolean; onClose(): void; onDone(result: { to: string }): void;
  /** Field values to start from (e.g. the duplicate picked to merge into). */
  preset?: Record<string, unknown>;
}) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [routing, setRouting] = useState<Routing | null>(null);
  const [revealed, setRevealed] = useState<{ name: string | null; phone: string | null } | null>(null);
  const units = useUnits();
  const cats = useCategories();
  const fields = action ? ACTION_FIELDS[action] ?? ['note'] : [];
  const selectedLead = Form.useWatch('leadUnitId', form) as string | undefined;
  const label = action ? t(`action.${action}` as MessageKey) : '';

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (preset) form.setFieldsValue(preset);
    setError(null);
    setRevealed(null);
    if (action === 'dispatch') {
      api<Routing>(`/api/v1/cases/${c.id}/routing`).then((r) => {
        setRouting(r);
        if (r.leadUnitId) form.setFieldsValue({ leadUnitId: r.leadUnitId, assistUnitIds: r.assistUnitIds });
      }, () => setRouting(null));
    }
    if (action === 'approve_extension' && c.extensionRequest) form.setFieldsValue({ extensionHours: c.extensionRequest.minutes / 60 });
  }, [open, action, c.id, c.extensionRequest, form, preset]);

  const unitOptions = useMemo(() => [...(units?.values() ?? [])]
    .filter((u) => HANDLER_KINDS.has(u.kind))
    .map((u) => ({ value: u.id, label: u.name, kind: u.kind })), [units]);
  const whistleOptions = useMemo(() => [...(units?.values() ?? [])]
    .filter((u) => u.kind !== 'hotline' && u.kind !== 'grid_team')
    .map((u) => ({ value: u.id, label: u.name })), [units]);

  // the action's errors (a state that moved on, a unit that may not) go above the form
  const { busy, error, setError, save: submit } = useFormSubmit<any>(form, async (v) => {
    if (!action) return;
    const body: Record<string, unknown> = {};
    if (v.note) body.note = v.note;
    if (v.reason) body.reason = v.reason;
    if (v.leadUnitId) body.leadUnitId = v.leadUnitId;
    if (v.assistUnitIds?.length) body.assistUnitIds = v.assistUnitIds;
    if (v.extensionHours) body.extensionMinutes = Math.round(v.extensionHours * 60);
    if (v.rating) body.rating = v.rating;
    if (v.intoCaseId) body.intoCaseId = v.intoCaseId;
    if (fields.includes('conditionMet')) body.conditionMet = !!v.conditionMet;
    if (v.units?.length) body.units = v.units.map((unitId: string) => ({ unitId, reportInMinutes: (v.reportInHours ?? 1) * 60, limitMinutes: (v.limitHours ?? 7) * 60 }));
    if (v.photos?.length) body.attachmentIds = (v.photos as Uploaded[]).map((p) => p.id);
    const r = await api<{ to: string }>(`/api/v1/cases/${c.id}/actions/${action}`, { body });
    message.success(t('action.done', { action: label }));
    onDone(r);
  }, { fields: [] });

  const reveal = async () => {
    try { setRevealed(await api(`/api/v1/cases/${c.id}/reporter/reveal`, { body: { purpose: t('action.revealPurposeCallBack') } })); }
    catch (e) { setError(errorText(e)); }
  };

  const category = cats?.byCode.get(c.categoryCode);
  return (
    <Modal
      open={open}
      title={`${label} · ${c.caseNo}`}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>{t('common.cancel')}</Button>,
        <Button key="ok" type="primary" danger={!!action && DANGER_ACTIONS.has(action)} loading={busy} onClick={submit} data-testid="action-submit">{t('action.confirm', { action: label })}</Button>,
      ]}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" requiredMark onFinish={submit} name={`action-${action}`}>
        {fields.includes('conditionMet') && (
          <>
            {category?.filingCondition && <Alert type="info" style={{ marginBottom: 12 }} title={t('action.filingCondition')} description={category.filingCondition} />}
            <Form.Item name="conditionMet" valuePropName="checked" rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('action.conditionRequired')))) }]}>
              <Checkbox>{t('action.conditionMet')}</Checkbox>
            </Form.Item>
          </>
        )}
        {fields.includes('lead') && (
          <>
            <TextSuggestions caseId={c.id} selectedLead={selectedLead}
              onUse={(leadUnitId, assistUnitIds) => form.setFieldsValue({ leadUnitId, assistUnitIds })} />
            {routing && (
              <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="routing-suggestion"
                title={t('action.suggestion', { unit: routing.lead?.name ?? '—' })}
                description={[
                  routing.assists.length ? t('action.suggestionAssists', { units: routing.assists.map((a) => a.name).join('、') }) : null,
                  routing.source ? t('action.suggestionSource', { source: t(`routingSource.${routing.source}` as MessageKey) }) : null,
                ].filter(Boolean).join(' · ') || undefined} />
            )}
            <Form.Item name="leadUnitId" label={t('action.leadUnit')} rules={[{ required: true, message: t('form.required') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={unitOptions} placeholder={t('action.leadUnitPlaceholder')} />
            </Form.Item>
          </>
        )}
        {fields.includes('assist') && (
          <Form.Item name="assistUnitIds" label={t('action.assistUnits')}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} />
          </Form.Item>
        )}
        {fields.includes('units') && (
          <>
            <Form.Item name="units" label={t('action.summonUnits')} rules={[{ required: true, message: t('form.required') }]}>
              <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={whistleOptions} />
            </Form.Item>
            <Space wrap>
              <Form.Item name="reportInHours" label={t('action.reportInHours')} initialValue={1}>
                <InputNumber min={0.5} max={168} step={0.5} />
              </Form.Item>
              <Form.Item name="limitHours" label={t('action.limitHours')} initialValue={7}>
                <InputNumber min={1} max={2160} />
              </Form.Item>
            </Space>
          </>
        )}
        {(fields.includes('extension') || fields.includes('extensionOptional')) && (
          <Form.Item name="extensionHours" label={t('action.extensionHours')} extra={t('action.extensionHint')}
            rules={fields.includes('extension') ? [{ required: true, message: t('form.required') }] : []}>
            <InputNumber min={1} max={2160} style={{ width: 160 }} />
          </Form.Item>
        )}
        {fields.includes('reveal') && (
          <div style={{ marginBottom: 12 }}>
            <Typography.Text>{t('case.reporter')}: {c.reporter.nameMasked ?? '—'} {c.reporter.phoneMasked ?? ''}</Typography.Text>{' '}
            {revealed
              ? <Typography.Text strong data-testid="revealed-phone">{revealed.name} {revealed.phone}</Typography.Text>
              : (c.reporter.phoneMasked && <Button size="small" onClick={reveal}>{t('case.revealForCallBack')}</Button>)}
          </div>
        )}
        {fields.includes('rating') && (
          <Form.Item name="rating" label={t('action.rating')} rules={[{ required: true, message: t('form.required') }]}>
            <Radio.Group optionType="button" buttonStyle="solid"
              options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => ({ value: r, label: t(`rating.${r}`) }))} />
          </Form.Item>
        )}
        {fields.includes('intoCase') && <DuplicateCandidates caseId={c.id} onPick={(intoCaseId) => form.setFieldsValue({ intoCaseId })} />}
        {fields.includes('intoCase') && (
          <Form.Item name="intoCaseId" label={t('action.intoCase')} rules={[{ required: true, message: t('form.required') }]}>
            <InputNumber min={1} style={{ width: 200 }} />
          </Form.Item>
        )}
        {fields.includes('reason') && (
          <Form.Item name="reason" label={t('action.reason')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
        {(fields.includes('note') || fields.includes('noteRequired')) && (
          <Form.Item name="note" label={action === 'reply' || action === 'self_close' || action === 'whistle_reply' ? t('action.handlingResult') : action === 'answer_directly' ? t('action.answer') : t('action.note')}
            rules={fields.includes('noteRequired') ? [{ required: true, whitespace: true, message: t('form.required') }] : []}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        )}
        {fields.includes('photos') && (
          <Form.Item name="photos" label={t('action.photos')} valuePropName="value">
            <PhotoUpload />
          </Form.Item>
        )}
        {action === 'close' && category?.closingCondition && <Alert type="info" title={t('action.closingCondition')} description={category.closingCondition} />}
        {action === 'dispatch' && category && <Typography.Paragraph type="secondary">{t('case.category')}: {pick(category.name)}</Typography.Paragraph>}
      </Form>
    </Modal>
  );
}
