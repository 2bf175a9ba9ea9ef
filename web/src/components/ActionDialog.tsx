// One dialog per case action, built from the action's definition: its fields (each kind has one
// widget here), its labels, its button style and what to show beside the form (routing suggestions,
// duplicate candidates, the category's conditions).
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { errorText, useFormSubmit } from '../lib/forms.ts';
import { useCategories, useUnits } from '../lib/lookups.ts';
import { useWorkflows, type FieldDef } from '../lib/workflows.ts';
import { PhotoUpload, type Uploaded } from './PhotoUpload.tsx';
import { CategoryPicker } from './Pickers.tsx';
import { DuplicateCandidates, TextSuggestions } from './Intelligence.tsx';
import type { CaseView, Routing, Unit } from '../api/types.ts';

const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

/** The request body from the form's values, field by field as the definition declares them. */
function bodyOf(fields: FieldDef[], v: Record<string, any>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const x = v[f.name];
    switch (f.kind) {
      case 'reveal': break;
      case 'confirm': body[f.name] = !!x; break;
      case 'minutes': if (x) body[f.name] = Math.round(x * 60); break;
      case 'summons': if (x?.length) body[f.name] = x.map((unitId: string) => ({ unitId, reportInMinutes: Math.round((v.reportInHours ?? 1) * 60), limitMinutes: Math.round((v.limitHours ?? 7) * 60) })); break;
      case 'photos': if (x?.length) body[f.name] = (x as Uploaded[]).map((p) => p.id); break;
      case 'units': if (x?.length) body[f.name] = x; break;
      default: if (x != null && x !== '') body[f.name] = typeof x === 'string' ? x.trim() : x;
    }
  }
  return body;
}

export function ActionDialog({ c, action, open, onClose, onDone, preset }: {
  c: CaseView; action: string | null; open: boolean; onClose(): void; onDone(result: { to: string }): void;
  /** Field values to start from (e.g. the duplicate picked to merge into). */
  preset?: Record<string, unknown>;
}) {
  const { t, pick } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [routing, setRouting] = useState<Routing | null>(null);
  /** The units this user may name for the action (派遣的范围, from the server: GET /cases/:id/targets); null until loaded. */
  const [targets, setTargets] = useState<Unit[] | null>(null);
  const [revealed, setRevealed] = useState<{ name: string | null; phone: string | null; mergedCallers?: Array<{ caseId: number; caseNo: string; name: string | null; phone: string }> } | null>(null);
  const units = useUnits();
  const cats = useCategories();
  const workflows = useWorkflows();
  const def = action ? workflows?.action(c, action) : undefined;
  const fields = def?.fields ?? [];
  const context = new Set(def?.context ?? []);
  const selectedLead = Form.useWatch('leadUnitId', form) as string | undefined;
  const toType = Form.useWatch('toType', form) as string | undefined;
  const label = def ? pick(def.label) : '';

  useEffect(() => {
    if (!open || !def) return;
    form.resetFields();
    if (preset) form.setFieldsValue(preset);
    setError(null);
    setRevealed(null);
    setTargets(null);
    setRouting(null);
    const picksUnits = fields.some((f) => f.kind === 'unit' || f.kind === 'units');
    const reach = picksUnits
      ? api<{ items: Unit[] }>(`/api/v1/cases/${c.id}/targets?action=${encodeURIComponent(action!)}`).then((r) => { setTargets(r.items); return r.items; }, () => { setTargets([]); return [] as Unit[]; })
      : Promise.resolve([] as Unit[]);
    if (context.has('routing')) {
      Promise.all([api<Routing>(`/api/v1/cases/${c.id}/routing`), reach]).then(([r, allowed]) => {
        setRouting(r);
        // pre-filled only when the responsibility list decides (a territorial guess is shown, not chosen), only with units
        // the dispatcher may send to, and never over a unit picked while the suggestion was on its way
        const mayName = (id: string) => allowed.some((u) => u.id === id);
        if (r.leadUnitId && r.source === 'responsibility_list' && mayName(r.leadUnitId) && r.assistUnitIds.every(mayName)
          && !form.isFieldsTouched(['leadUnitId', 'assistUnitIds'])) {
          form.setFieldsValue({ leadUnitId: r.leadUnitId, assistUnitIds: r.assistUnitIds });
        }
      }, () => setRouting(null));
    }
    // deciding a pending request: start from what was asked
    const minutes = fields.find((f) => f.kind === 'minutes');
    if (minutes && !minutes.required && c.extensionRequest) form.setFieldsValue({ [minutes.name]: c.extensionRequest.minutes / 60 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, action, def, c.id, c.extensionRequest, form, preset]);

  // 派遣的范围 is the server's (src/modules/cases/reach.ts): a community its own community, a street its street and the
  // district's departments, the district anywhere in it; 三级派单's levels likewise
  const unitOptions = useMemo(() => (targets ?? []).map((u) => ({ value: u.id, label: u.name, kind: u.kind })), [targets]);
  const suggestionOutOfReach = !!routing?.leadUnitId && !!targets && !targets.some((u) => u.id === routing.leadUnitId);
  const summonOptions = useMemo(() => [...(units?.values() ?? [])]
    .filter((u) => u.kind !== 'hotline' && u.kind !== 'grid_team')
    .map((u) => ({ value: u.id, label: u.name })), [units]);
  const typeOptions = useMemo(() => (workflows?.types() ?? [])
    .filter((d) => d.intake.convertFrom?.includes(c.type))
    .map((d) => ({ value: d.type, label: pick(d.name) })), [workflows, c.type, pick]);

  // the action's errors (a state that moved on, a unit that may not) go above the form
  const { busy, error, setError, save: submit } = useFormSubmit<any>(form, async (v) => {
    if (!action) return;
    const r = await api<{ to: string }>(`/api/v1/cases/${c.id}/actions/${action}`, { body: bodyOf(fields, v) });
    message.success(t('action.done', { action: label }));
    onDone(r);
  }, { fields: [] });

  const reveal = async () => {
    try { setRevealed(await api(`/api/v1/cases/${c.id}/reporter/reveal`, { body: { purpose: t('action.revealPurposeCallBack') } })); }
    catch (e) { setError(errorText(e)); }
  };

  const required = (f: FieldDef) => (f.required ? [{ required: true, whitespace: true, message: t('form.required') }] : []);
  const category = cats?.byCode.get(c.categoryCode);

  const widget = (f: FieldDef) => {
    const common = { label: pick(f.label), extra: f.hint ? pick(f.hint) : undefined };
    switch (f.kind) {
      case 'confirm':
        return (
          <div key={f.name}>
            {context.has('filing_condition') && category?.filingCondition && <Alert type="info" style={{ marginBottom: 12 }} title={t('action.filingCondition')} description={category.filingCondition} />}
            <Form.Item name={f.name} valuePropName="checked" rules={f.required ? [{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('action.conditionRequired')))) }] : []}>
              <Checkbox>{pick(f.label)}</Checkbox>
            </Form.Item>
          </div>
        );
      case 'unit':
        return (
          <div key={f.name}>
            {context.has('routing') && (
              <>
                <TextSuggestions caseId={c.id} selectedLead={selectedLead} onUse={(leadUnitId, assistUnitIds) => form.setFieldsValue({ leadUnitId, assistUnitIds })} />
                {routing && (
                  <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid="routing-suggestion"
                    title={t('action.suggestion', { unit: routing.lead?.name ?? '—' })}
                    description={[
                      routing.assists.length ? t('action.suggestionAssists', { units: routing.assists.map((a) => a.name).join('、') }) : null,
                      routing.source ? t('action.suggestionSource', { source: t(`routingSource.${routing.source}` as MessageKey) }) : null,
                      suggestionOutOfReach ? t('action.suggestionOutOfReach') : null,
                    ].filter(Boolean).join(' · ') || undefined} />
                )}
              </>
            )}
            <Form.Item name={f.name} {...common} rules={f.required ? [{ required: true, message: t('form.required') }] : []}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={unitOptions} loading={!targets} placeholder={t('action.leadUnitPlaceholder')} data-testid="unit-picker" />
            </Form.Item>
          </div>
        );
      case 'units':
        return (
          <Form.Item key={f.name} name={f.name} {...common}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} loading={!targets} />
          </Form.Item>
        );
      case 'summons':
        return (
          <div key={f.name}>
            <Form.Item name={f.name} {...common} rules={f.required ? [{ required: true, message: t('form.required') }] : []}>
              <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={summonOptions} />
            </Form.Item>
            <Space wrap>
              <Form.Item name="reportInHours" label={t('action.reportInHours')} initialValue={1}>
                <InputNumber min={0.5} max={168} step={0.5} />
              </Form.Item>
              <Form.Item name="limitHours" label={t('action.limitHours')} initialValue={7}>
                <InputNumber min={1} max={2160} />
              </Form.Item>
            </Space>
          </div>
        );
      case 'minutes':
        return (
          <Form.Item key={f.name} name={f.name} label={`${pick(f.label)}${t('action.inWorkingHours')}`} extra={common.extra}
            rules={f.required ? [{ required: true, message: t('form.required') }] : []}>
            <InputNumber min={1} max={2160} style={{ width: 160 }} />
          </Form.Item>
        );
      case 'reveal':
        return (
          <div key={f.name} style={{ marginBottom: 12 }}>
            <Typography.Text>{pick(f.label)}: {c.reporter.nameMasked ?? '—'} {c.reporter.phoneMasked ?? ''}</Typography.Text>{' '}
            {revealed
              ? <Typography.Text strong data-testid="revealed-phone">{revealed.name} {revealed.phone}</Typography.Text>
              : (c.reporter.phoneMasked && <Button size="small" onClick={reveal}>{t('case.revealForCallBack')}</Button>)}
            {/* merged duplicates' callers are called back too */}
            {!!c.mergedCallers?.length && (
              <div data-testid="merged-callers">
                <Typography.Text type="secondary">{t('hd.mergedCallers')}: </Typography.Text>
                {c.mergedCallers.map((m) => {
                  const clear = revealed?.mergedCallers?.find((x) => x.caseId === m.id);
                  return <Typography.Text key={m.id} style={{ marginRight: 12 }}>{m.caseNo} {clear ? `${clear.name ?? ''} ${clear.phone}` : `${m.nameMasked ?? ''} ${m.phoneMasked ?? ''}`}</Typography.Text>;
                })}
              </div>
            )}
          </div>
        );
      case 'rating':
        return (
          <Form.Item key={f.name} name={f.name} {...common} rules={f.required ? [{ required: true, message: t('form.required') }] : []}>
            <Radio.Group optionType="button" buttonStyle="solid" options={RATINGS.map((r) => ({ value: r, label: t(`rating.${r}`) }))} />
          </Form.Item>
        );
      case 'case':
        return (
          <div key={f.name}>
            {context.has('duplicates') && <DuplicateCandidates caseId={c.id} onPick={(id) => form.setFieldsValue({ [f.name]: id })} />}
            {/* the 工单编号 a person reads, not an internal id */}
            <Form.Item name={f.name} {...common} normalize={(v: string) => v?.trim().toUpperCase()}
              rules={[...(f.required ? [{ required: true, message: t('form.required') }] : []), { pattern: /^[A-Z]{2}\d{8,20}$/, message: t('hd.caseNoInput') }]}>
              <Input style={{ width: 260 }} placeholder={t('hd.caseNoInput')} data-testid="case-no-input" />
            </Form.Item>
          </div>
        );
      case 'case_type':
        return (
          <Form.Item key={f.name} name={f.name} {...common} rules={f.required ? [{ required: true, message: t('form.required') }] : []}>
            <Select options={typeOptions} notFoundContent={t('action.noTypeToChangeTo')} />
          </Form.Item>
        );
      case 'category':
        return (
          <Form.Item key={f.name} name={f.name} {...common}>
            <CategoryPicker caseType={toType} />
          </Form.Item>
        );
      case 'photos':
        return (
          <Form.Item key={f.name} name={f.name} {...common} valuePropName="value">
            <PhotoUpload />
          </Form.Item>
        );
      case 'reason':
      case 'note':
        return (
          <Form.Item key={f.name} name={f.name} {...common} rules={required(f)}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        );
    }
  };

  return (
    <Modal
      open={open}
      title={`${label} · ${c.caseNo}`}
      onCancel={onClose}
      destroyOnHidden
      // a long form (派遣 with its suggestions) scrolls inside the dialog: the confirm button stays on screen on a
      // 768-px-high window instead of being cut off at its bottom edge
      className="gz-action-dialog"
      style={{ top: 24 }}
      footer={[
        <Button key="cancel" onClick={onClose}>{t('common.cancel')}</Button>,
        <Button key="ok" type="primary" danger={def?.style === 'danger'} loading={busy} onClick={submit} data-testid="action-submit">{t('action.confirm', { action: label })}</Button>,
      ]}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
      <Form form={form} layout="vertical" requiredMark onFinish={submit} name={`action-${action}`}>
        {fields.map(widget)}
        {context.has('closing_condition') && category?.closingCondition && <Alert type="info" title={t('action.closingCondition')} description={category.closingCondition} />}
        {context.has('category') && category && <Typography.Paragraph type="secondary">{t('case.category')}: {pick(category.name)}</Typography.Paragraph>}
      </Form>
    </Modal>
  );
}
