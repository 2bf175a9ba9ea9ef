// A special-population label (特殊人群) through its life cycle: start it with the standard fields of its
// type (from the API's field sets: 社区矫正 has 罪名, 原判刑期, 矫正期限, 矫正小组 …), change it with a
// reason, end it (期满, 解矫) or lift it (解除) with a date and reason, and read its history.
import { Alert, DatePicker, Form, Input, Modal, Radio, Select, Timeline } from 'antd';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { LABEL_TYPES, fmtTime, useDictOptions } from './shared.tsx';
import { useFormSubmit } from '../../lib/forms.ts';
import { FieldControl, fieldValues, formValues, useFieldSets, type FieldSpec } from './fields.tsx';

export interface LabelRow {
  id: number; type: string; typeName: { zh: string; en: string }; customName: string | null; attentionLevel: string | null;
  fieldsMasked: Record<string, string>; fields: Record<string, unknown>; active: boolean; startedOn: string | null; endedOn: string | null;
  endKind: 'end' | 'lift' | null; endReason: string | null;
}

function AttentionSelect(props: { id?: string; value?: string; onChange?(v: string | undefined): void }) {
  const options = useDictOptions('attention_level');
  return <Select {...props} allowClear options={options} />;
}

const PERSONAL = ['name', 'phone', 'idNumber'];

/** Starts a label (label null) or changes one; fields errors from the API land next to their fields. */
export function LabelForm({ personId, label, open, onClose, onSaved }: { personId: number; label?: LabelRow | null; open: boolean; onClose(): void; onSaved(): void }) {
  const { t, locale } = useI18n();
  const sets = useFieldSets();
  const [form] = Form.useForm();
  const type = (Form.useWatch('type', form) as string | undefined) ?? label?.type;
  const set = sets?.labelTypes.find((s) => s.type === type);
  const nameOf = (f: FieldSpec) => (locale === 'en' ? f.en : f.zh);
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const day = (d: dayjs.Dayjs | undefined) => d?.format('YYYY-MM-DD');
    const fields = fieldValues(set, v.fields);
    if (label) {
      // fields cleared go as null; sealed ones left empty keep their values
      for (const f of set?.fields ?? []) if (!(f.key in fields) && label.fields[f.key] != null) fields[f.key] = null;
      const body: Record<string, unknown> = {
        fields, attentionLevel: v.attentionLevel ?? null, startedOn: day(v.startedOn) ?? null,
        ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
      };
      await api(`/api/v1/persons/${personId}/labels/${label.id}`, { method: 'PATCH', body });
    } else {
      await api(`/api/v1/persons/${personId}/labels`, {
        body: {
          type: v.type, fields,
          ...(v.customName ? { customName: v.customName.trim() } : {}),
          ...(v.attentionLevel ? { attentionLevel: v.attentionLevel } : {}),
          ...(v.startedOn ? { startedOn: day(v.startedOn) } : {}),
        },
      });
    }
    onSaved();
  }, { fixMessage: t('rg.fixErrors') });
  const rule = [{ required: true, message: t('form.required') }];
  const initial = label
    ? { type: label.type, attentionLevel: label.attentionLevel ?? undefined, startedOn: label.startedOn ? dayjs(label.startedOn) : undefined, fields: formValues(set, label.fields) }
    : { startedOn: dayjs() };
  if (label && !sets) return null;
  return (
    <Modal open={open} title={label ? t('rw.changeLabel') : t('rg.addLabel')} onCancel={onClose} onOk={save} confirmLoading={busy}
      okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={760}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="person-label" initialValues={initial}>
        <Form.Item name="type" label={t('rg.labelType')} rules={rule}>
          <Select disabled={!!label} showSearch={{ optionFilterProp: 'label' }} options={LABEL_TYPES.map((l) => ({ value: l, label: t(`rg.lt.${l}` as MessageKey) }))} />
        </Form.Item>
        {type === 'custom' && !label && <Form.Item name="customName" label={t('rg.customName')} rules={rule}><Input maxLength={30} /></Form.Item>}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', columnGap: 16 }}>
          {set?.fields.map((f) => (
            <Form.Item key={f.key} name={['fields', f.key]} label={nameOf(f)} rules={f.required ? rule : []}
              extra={label && PERSONAL.includes(f.kind) && label.fieldsMasked[f.key] ? t('rw.keepSealed', { value: label.fieldsMasked[f.key] }) : undefined}>
              <FieldControl spec={f} />
            </Form.Item>
          ))}
          <Form.Item name="attentionLevel" label={t('rg.attention')}><AttentionSelect /></Form.Item>
          <Form.Item name="startedOn" label={t('rg.startedOn')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </div>
        {label && <Form.Item name="reason" label={t('rw.changeReason')}><Input maxLength={500} /></Form.Item>}
      </Form>
    </Modal>
  );
}

/** Ends (期满, 解矫) or lifts (解除) a label on a date, for a reason; 社区矫正 also asks how it ended. */
export function LabelEndForm({ personId, label, open, onClose, onSaved }: { personId: number; label: LabelRow; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const terminations = useDictOptions('correction_termination');
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const on = (v.on as dayjs.Dayjs).format('YYYY-MM-DD');
    await api(`/api/v1/persons/${personId}/labels/${label.id}/end`, {
      body: {
        kind: v.kind, on, reason: v.reason.trim(),
        ...(label.type === 'community_correction' && v.terminationType ? { fields: { terminationType: v.terminationType, terminatedOn: on } } : {}),
      },
    });
    onSaved();
  }, { fields: ['kind', 'on', 'reason'], fixMessage: t('rg.fixErrors') });
  const rule = [{ required: true, whitespace: true, message: t('form.required') }];
  return (
    <Modal open={open} title={t('rw.endLabel')} onCancel={onClose} onOk={save} confirmLoading={busy}
      okText={t('rw.endLabel')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="label-end" initialValues={{ kind: 'end', on: dayjs() }}>
        <Form.Item name="kind" label={t('rw.endKind')} rules={rule}>
          <Radio.Group options={[{ value: 'end', label: t('rw.endKind.end') }, { value: 'lift', label: t('rw.endKind.lift') }]} />
        </Form.Item>
        <Form.Item name="on" label={t('rw.endOn')} rules={[{ required: true, message: t('form.required') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        {label.type === 'community_correction' && (
          <Form.Item name="terminationType" label={t('rw.terminationType')}><Select allowClear options={terminations} /></Form.Item>
        )}
        <Form.Item name="reason" label={t('rw.endReason')} rules={[...rule, { min: 2, message: t('rw.reasonRule') }]}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

interface LabelEvent { id: number; action: string; on: string | null; reason: string | null; changes: string[]; at: string; actorName: string | null }

/** The label's life cycle, oldest first. */
export function LabelHistory({ personId, labelId }: { personId: number; labelId: number }) {
  const { t, tk, locale } = useI18n();
  const sets = useFieldSets();
  const history = useApi<{ items: LabelEvent[] }>(`/api/v1/persons/${personId}/labels/${labelId}/history`);
  const fieldName = (k: string) => {
    const f = sets?.labelTypes.flatMap((s) => s.fields).find((x) => x.key === k);
    return f ? (locale === 'en' ? f.en : f.zh) : tk('rw.labelKey.', k);
  };
  return (
    <Timeline style={{ marginTop: 12 }} data-testid={`label-history-${labelId}`}
      items={(history.data?.items ?? []).map((e) => ({
        color: e.action === 'start' ? 'green' : e.action === 'change' ? 'blue' : 'gray',
        content: <span>
          <strong>{tk('rw.event.', e.action)}</strong> {e.on ?? ''}
          {e.changes.length > 0 && e.action === 'change' && <> · {e.changes.map(fieldName).join('、')}</>}
          {e.reason && <> · {e.reason}</>}
          <span style={{ color: '#888' }}> — {e.actorName ?? ''} {fmtTime(e.at, locale)}</span>
        </span>,
      }))} />
  );
}
