// Labels a person as a special population (特殊人群): the type, its required facts (each type has its
// own), attention level and dates. Errors from the API land next to their fields.
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { LABEL_TYPES, useDictOptions } from './shared.tsx';
import { useFormSubmit } from '../../lib/forms.ts';

type Kind = 'date' | 'text' | 'risk' | { dict: string; multiple?: boolean };
/** The facts each label type cannot go without (the API checks the rest). */
const REQUIRED: Record<string, Array<[string, Kind]>> = {
  released_prisoner: [['releasedOn', 'date']],
  community_correction: [['correctionCategory', { dict: 'correction_category' }], ['correctionStartOn', 'date'], ['correctionEndOn', 'date']],
  severe_mental_disorder: [['riskLevel', 'risk']],
  key_youth: [['youthTypes', { dict: 'key_youth_type', multiple: true }]],
  petitioner: [['issue', 'text']],
};

function DictSelect({ dict, multiple, ...rest }: { dict: string; multiple?: boolean; id?: string; value?: unknown; onChange?(v: unknown): void }) {
  const options = useDictOptions(dict);
  return <Select {...rest} mode={multiple ? 'multiple' : undefined} options={options} showSearch={{ optionFilterProp: 'label' }} />;
}

export function LabelForm({ personId, open, onClose, onSaved }: { personId: number; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const type = Form.useWatch('type', form) as string | undefined;
  const required = REQUIRED[type ?? ''] ?? [];
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const day = (d: dayjs.Dayjs | undefined) => d?.format('YYYY-MM-DD');
    const fields: Record<string, unknown> = {};
    for (const [name, kind] of required) {
      const x = v.fields?.[name];
      fields[name] = kind === 'date' ? day(x) : typeof x === 'string' ? x.trim() : x;
    }
    const body = {
      type: v.type, fields,
      ...(v.customName ? { customName: v.customName.trim() } : {}),
      ...(v.attentionLevel ? { attentionLevel: v.attentionLevel } : {}),
      ...(v.startedOn ? { startedOn: day(v.startedOn) } : {}),
    };
    await api(`/api/v1/persons/${personId}/labels`, { body });
    onSaved();
  }, { fields: ['type', 'customName', 'attentionLevel', 'startedOn', ...required.map(([n]) => `fields.${n}`)], fixMessage: t('rg.fixErrors') });
  const rule = [{ required: true, message: t('form.required') }];
  return (
    <Modal open={open} title={t('rg.addLabel')} onCancel={onClose} onOk={save} confirmLoading={busy}
      okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="person-label">
        <Form.Item name="type" label={t('rg.labelType')} rules={rule}>
          <Select options={LABEL_TYPES.map((l) => ({ value: l, label: t(`rg.lt.${l}` as MessageKey) }))} />
        </Form.Item>
        {type === 'custom' && <Form.Item name="customName" label={t('rg.customName')} rules={rule}><Input maxLength={30} /></Form.Item>}
        {required.map(([name, kind]) => (
          <Form.Item key={name} name={['fields', name]} label={t(`rg.lf.${name}` as MessageKey)} rules={rule}>
            {kind === 'date' ? <DatePicker style={{ width: '100%' }} />
              : kind === 'risk' ? <InputNumber min={0} max={5} precision={0} style={{ width: '100%' }} />
                : kind === 'text' ? <Input.TextArea rows={2} maxLength={1000} />
                  : <DictSelect dict={kind.dict} multiple={kind.multiple} />}
          </Form.Item>
        ))}
        <Form.Item name="attentionLevel" label={t('rg.attention')}><DictSelect dict="attention_level" /></Form.Item>
        <Form.Item name="startedOn" label={t('rg.startedOn')}><DatePicker style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}
