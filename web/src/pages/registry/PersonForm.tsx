// Adds or edits a person (实有人口) with every GB/T 31000 field: the population type and its own fields,
// the document, name and phone (sealed by the API; on edit left empty to keep them), the coded fields
// with dictionary pickers, and where the person lives: grid, house, household and relation to its head.
import { useEffect, useState } from 'react';
import { Alert, App, Col, Divider, Form, Input, Modal, Row, Select } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { GridSelect, POPULATION_TYPES } from './shared.tsx';
import { FieldControl, fieldValues, formValues, useFieldSets, type FieldSpec } from './fields.tsx';
import { RecordSelect } from './Records.tsx';
import dayjs from 'dayjs';

const LINK_FIELDS = ['relationToHead'];

export function PersonForm({ person, open, onClose, onSaved, preset }: {
  person: Record<string, any> | null; open: boolean; onClose(): void; onSaved(id: number): void;
  /** values a new person starts with (the house or household they are added to) */
  preset?: Record<string, unknown>;
}) {
  const { t, locale } = useI18n();
  const sets = useFieldSets();
  const [form] = Form.useForm();
  const { modal } = App.useApp();
  const [touched, setTouched] = useState(false);
  useEffect(() => { if (open) setTouched(false); }, [open]);
  // what was typed is never thrown away without asking: Esc closes only an untouched form; the close button
  // and 取消 ask first on a touched one (the mask does not close it at all)
  const close = () => {
    if (!touched && !form.isFieldsTouched()) { onClose(); return; }
    modal.confirm({
      title: t('rw.discardTitle'), content: t('rw.discardBody'), okText: t('rw.discard'), cancelText: t('rw.keepEditing'), okButtonProps: { danger: true },
      onOk: onClose,
    });
  };
  const type = (Form.useWatch('populationType', form) as string | undefined) ?? person?.populationType;
  const houseId = Form.useWatch('houseId', form);
  const householdId = Form.useWatch('householdId', form);
  const detailSet = sets?.populationTypes.find((s) => s.type === type);
  const base = (sets?.person ?? []).filter((f) => !LINK_FIELDS.includes(f.key));
  const relation = sets?.person.find((f) => f.key === 'relationToHead');
  const nameOf = (f: FieldSpec) => (locale === 'en' ? f.en : f.zh);
  const needsGrid = houseId == null && householdId == null;

  const { busy, error, save } = useFormSubmit<Record<string, any>>(form, async (v) => {
    const body: Record<string, unknown> = {};
    const put = (k: string, x: unknown) => {
      const val = typeof x === 'string' ? x.trim() : dayjs.isDayjs(x) ? x.format('YYYY-MM-DD') : x;
      if (val === '' || val == null) { if (person && person[k] != null) body[k] = null; return; }
      if (!person || person[k] !== val) body[k] = val;
    };
    for (const k of ['populationType', 'houseId', 'householdId', 'idType', ...base.map((f) => f.key), 'relationToHead']) put(k, v[k]);
    if (!needsGrid) delete body.regionCode; else if (v.regionCode && (!person || v.regionCode !== person.regionCode)) body.regionCode = v.regionCode;
    // sealed fields: given, or kept as they are when left empty on edit
    for (const k of ['idNumber', 'name', 'formerName', 'phone']) if (typeof v[k] === 'string' && v[k].trim()) body[k] = v[k].trim();
    const details = fieldValues(detailSet, v.details);
    if (person) {
      // cleared fields of the same type go as null; personal ones left empty are kept
      for (const f of detailSet?.fields ?? []) if (!(f.key in details) && person.details?.[f.key] != null && type === person.populationType) details[f.key] = null;
      if (Object.keys(details).length || type !== person.populationType) body.details = details;
    } else if (Object.keys(details).length) body.details = details;
    if (person && !Object.keys(body).length) { onSaved(person.id); return; }
    const out = person
      ? await api<{ id: number }>(`/api/v1/persons/${person.id}`, { method: 'PATCH', body })
      : await api<{ id: number }>('/api/v1/persons', { body });
    onSaved(out.id);
  }, { fixMessage: t('rg.fixErrors') });

  const initial = person
    ? {
      ...Object.fromEntries([...base, ...(relation ? [relation] : [])].map((f) => [f.key, person[f.key] == null ? undefined : f.kind === 'date' ? dayjs(person[f.key]) : person[f.key]])),
      populationType: person.populationType, idType: person.idType, regionCode: person.regionCode,
      houseId: person.houseId ?? undefined, householdId: person.householdId ?? undefined,
      details: formValues(sets?.populationTypes.find((s) => s.type === person.populationType), person.details),
    }
    : { populationType: 'registered', idType: '111', ...preset };
  const required = [{ required: true, whitespace: true, message: t('form.required') }];
  if (!sets) return null;
  return (
    <Modal open={open} title={person ? t('rw.editPerson') : t('rw.newPerson')} onCancel={close} onOk={save} confirmLoading={busy} maskClosable={false} keyboard={!touched}
      okText={t('rg.save')} cancelText={t('common.cancel')} destroyOnHidden width={880}>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="person-form" initialValues={initial} onFinish={save} onValuesChange={() => setTouched(true)}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="populationType" label={t('rg.populationType')} rules={required}>
              <Select options={POPULATION_TYPES.map((p) => ({ value: p, label: t(`rg.pop.${p}` as MessageKey) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="idType" label={t('rg.idType')}><FieldControl spec={{ key: 'idType', zh: '', en: '', kind: 'code', dict: 'id_type' }} /></Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="idNumber" label={t('rg.idNumber')} rules={person ? [] : required} extra={person ? t('rw.keepSealed', { value: person.idNumberMasked ?? '' }) : undefined}>
              <Input maxLength={30} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="name" label={t('rg.name')} rules={person ? [] : required} extra={person ? t('rw.keepSealed', { value: person.nameMasked ?? '' }) : undefined}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="formerName" label={t('rg.formerName')} extra={person?.formerNameMasked ? t('rw.keepSealed', { value: person.formerNameMasked }) : undefined}>
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="phone" label={t('rg.phone')} extra={person?.phoneMasked ? t('rw.keepSealed', { value: person.phoneMasked }) : undefined}>
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>{t('rw.whereLives')}</Divider>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="houseId" label={t('rg.f.houseId')}><RecordSelect kind="houses" /></Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="householdId" label={t('rw.household')}><RecordSelect kind="households" /></Form.Item>
          </Col>
          {relation && (
            <Col xs={24} md={8}>
              <Form.Item name="relationToHead" label={nameOf(relation)}><FieldControl spec={relation} /></Form.Item>
            </Col>
          )}
          {needsGrid && (
            <Col xs={24} md={8}>
              <Form.Item name="regionCode" label={t('rg.gridCode')} rules={required} extra={t('rw.gridOrHouse')}>
                <GridSelect allowClear={false} style={{ width: '100%' }} placeholder={t('rg.chooseGrid')} />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Divider titlePlacement="start" plain>{t('rg.basics')}</Divider>
        <Row gutter={16}>
          {base.map((f) => (
            <Col xs={24} md={8} key={f.key}>
              <Form.Item name={f.key} label={nameOf(f)}><FieldControl spec={f} /></Form.Item>
            </Col>
          ))}
        </Row>
        {detailSet && detailSet.fields.length > 0 && <>
          <Divider titlePlacement="start" plain>{locale === 'en' ? detailSet.en : detailSet.zh}</Divider>
          <Row gutter={16}>
            {detailSet.fields.map((f) => (
              <Col xs={24} md={8} key={f.key}>
                <Form.Item name={['details', f.key]} label={nameOf(f)} rules={f.required ? [{ required: true, message: t('form.required') }] : []}
                  extra={person && ['name', 'phone', 'idNumber'].includes(f.kind) && person.detailsMasked?.[f.key] ? t('rw.keepSealed', { value: person.detailsMasked[f.key] }) : undefined}>
                  <FieldControl spec={f} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </>}
      </Form>
    </Modal>
  );
}
