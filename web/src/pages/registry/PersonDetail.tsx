// One person: masked by default; "reveal" asks for a purpose and shows the full values (audited by the
// API). Special-population labels with their follow-up logs (跟踪/帮扶记录), and adding a follow-up.
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Select, Skeleton, Space, Table, Tag } from 'antd';
import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { LabelEndForm, LabelForm, LabelHistory, type LabelRow } from './LabelForm.tsx';
import { PersonForm } from './PersonForm.tsx';
import { PersonLinks } from './Links.tsx';
import { fmtTime, RecordError, RevealDialog, useDicts } from './shared.tsx';
import { useFieldDisplay, useFieldSets } from './fields.tsx';
import { useFormSubmit } from '../../lib/forms.ts';
import { can } from '../../lib/abilities.ts';
import { LinkCodeButton } from '../participation/LinkCode.tsx';
import { DETAIL_DICT, DETAIL_DICT_NAMES } from './person-details.ts';

type Label = LabelRow;
interface Followup { id: number; kind: string; method: string; content: string; occurredAt: string; nextDueOn: string | null; actorName: string | null }

/** The dictionary of each coded basic field. */
const DICT: Record<string, string> = {
  sex: 'sex', ethnicity: 'ethnicity', maritalStatus: 'marital_status', politicalStatus: 'political_status', education: 'education', religion: 'religion',
};
const DICT_NAMES = [...Object.values(DICT), 'id_type', 'attention_level', ...DETAIL_DICT_NAMES];
const BASIC = ['sex', 'birthDate', 'ethnicity', 'maritalStatus', 'politicalStatus', 'education', 'occupation', 'employer', 'registeredAddress', 'currentAddress'];

function Followups({ personId, label }: { personId: number; label: Label }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const list = useApi<{ items: Followup[] }>(`/api/v1/persons/${personId}/labels/${label.id}/followups`);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { busy, error, setError, save } = useFormSubmit<any>(form, async (v) => {
    await api(`/api/v1/persons/${personId}/labels/${label.id}/followups`, {
      body: {
        kind: v.kind, method: v.method, content: v.content.trim(), occurredAt: (v.occurredAt as dayjs.Dayjs).toISOString(),
        ...(v.nextDueOn ? { nextDueOn: (v.nextDueOn as dayjs.Dayjs).format('YYYY-MM-DD') } : {}),
      },
    });
    message.success(t('common.saved'));
    setOpen(false); list.reload();
  });
  return (
    <div>
      <Space style={{ margin: '8px 0' }}>
        <strong>{t('rg.followups')}</strong>
        <Button size="small" icon={<PlusOutlined />} onClick={() => { form.resetFields(); setError(null); setOpen(true); }}>{t('rg.addFollowup')}</Button>
      </Space>
      <ErrorNote error={list.error} />
      <Table<Followup> rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('rg.noFollowups') }} aria-label={t('rg.followups')}
        columns={[
          { title: t('rg.occurredAt'), dataIndex: 'occurredAt', render: (v) => fmtTime(v, locale), width: 170 },
          { title: t('rg.followupKind'), dataIndex: 'kind', render: (v) => t(`rg.fk.${v}` as MessageKey), width: 80 },
          { title: t('rg.followupMethod'), dataIndex: 'method', render: (v) => t(`rg.fm.${v}` as MessageKey), width: 80 },
          { title: t('rg.followupContent'), dataIndex: 'content' },
          { title: t('rg.nextDueOn'), dataIndex: 'nextDueOn', width: 120 },
          { title: t('rg.recordedBy'), dataIndex: 'actorName', width: 140 },
        ]} />
      <Modal open={open} title={t('rg.addFollowup')} onCancel={() => setOpen(false)} onOk={save} confirmLoading={busy}
        okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name={`followup-${label.id}`} initialValues={{ kind: 'track', method: 'visit', occurredAt: dayjs() }}>
          <Form.Item name="kind" label={t('rg.followupKind')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={['track', 'assist'].map((k) => ({ value: k, label: t(`rg.fk.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="method" label={t('rg.followupMethod')} rules={[{ required: true, message: t('form.required') }]}>
            <Select options={['visit', 'phone', 'video', 'meeting', 'other'].map((k) => ({ value: k, label: t(`rg.fm.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="occurredAt" label={t('rg.occurredAt')} rules={[{ required: true, message: t('form.required') }]}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="content" label={t('rg.followupContent')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item name="nextDueOn" label={t('rg.nextDueOn')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

export default function PersonDetail() {
  const { id } = useParams();
  const { t, tk, pick, locale } = useI18n();
  const me = useMe();
  const person = useApi<Record<string, any>>(`/api/v1/persons/${id}`);
  const labels = useApi<{ items: Label[] }>(person.data ? `/api/v1/persons/${id}/labels` : null);
  const [revealing, setRevealing] = useState(false);
  const [labelling, setLabelling] = useState(false);
  const [editing, setEditing] = useState(false);
  const [changing, setChanging] = useState<Label | null>(null);
  const [ending, setEnding] = useState<Label | null>(null);
  const [historyOf, setHistoryOf] = useState<number | null>(null);
  const [revealed, setRevealed] = useState<Record<string, any> | null>(null);
  const label = useDicts(DICT_NAMES);
  const sets = useFieldSets();
  const fd = useFieldDisplay(sets);
  /** a label's fields in the order of its type's field set */
  const fieldOrder = (type: string, key: string) => {
    const i = sets?.labelTypes.find((x) => x.type === type)?.fields.findIndex((f) => f.key === key) ?? -1;
    return i < 0 ? 999 : i;
  };
  const p = person.data;
  if (person.error) return <div><PageTitle>{t('nav.persons')}</PageTitle><RecordError error={person.error} /><Link to="/registry/persons">{t('rg.back')}</Link></div>;
  if (!p) return <Skeleton active />;
  const canReveal = can(me, 'registry.use'); // by role (registry.reveal) or by a personal grant: the API decides
  const shown = (field: string, masked: string | null) => (revealed && field in revealed ? <strong data-testid={`revealed-${field}`}>{revealed[field] ?? ''}</strong> : masked);
  return (
    <div data-testid="person-detail">
      <PageTitle extra={<Space wrap>
        <Link to="/registry/persons"><Button>{t('rg.back')}</Button></Link>
        <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
        {can(me, 'fieldwork.plan') && <Link to={`/visit/plans/new?person=${p.id}`}><Button data-testid="plan-person-visit">{t('fw.plan.new')}</Button></Link>}
        {can(me, 'participation.resident.link') && <LinkCodeButton personId={p.id} />}
        {canReveal && !revealed && <Button type="primary" icon={<EyeOutlined />} onClick={() => setRevealing(true)}>{t('rg.reveal')}</Button>}
        {revealed && <Button onClick={() => setRevealed(null)}>{t('rg.hide')}</Button>}
      </Space>}>{revealed?.name ?? p.nameMasked ?? p.idNumberMasked}</PageTitle>
      {revealed && <Alert type="warning" showIcon title={t('rg.revealed')} style={{ marginBottom: 12 }} role="status" />}
      <Card size="small" title={t('rg.basics')} style={{ marginBottom: 16 }}>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
          <Descriptions.Item label={t('rg.name')}>{shown('name', p.nameMasked)}</Descriptions.Item>
          {p.formerNameMasked && <Descriptions.Item label={t('rg.formerName')}>{shown('formerName', p.formerNameMasked)}</Descriptions.Item>}
          <Descriptions.Item label={t('rg.idNumber')}>{shown('idNumber', p.idNumberMasked)}</Descriptions.Item>
          <Descriptions.Item label={t('rg.phone')}>{shown('phone', p.phoneMasked)}</Descriptions.Item>
          <Descriptions.Item label={t('rg.populationType')}>{t(`rg.pop.${p.populationType}` as MessageKey)}</Descriptions.Item>
          <Descriptions.Item label={t('rg.region')}>{p.regionName ?? p.regionCode}</Descriptions.Item>
          <Descriptions.Item label={t('rg.idType')}>{label('id_type', p.idType)}</Descriptions.Item>
          {sets
            ? sets.person.filter((f) => f.key !== 'relationToHead' && p[f.key] != null).map((f) => (
              <Descriptions.Item key={f.key} label={fd.name({ type: '', zh: '', en: '', fields: sets.person }, f.key)}>
                {fd.value({ type: '', zh: '', en: '', fields: sets.person }, f.key, p[f.key])}
              </Descriptions.Item>))
            : BASIC.filter((k) => p[k] != null).map((k) => <Descriptions.Item key={k} label={tk('rg.pf.', k)}>{DICT[k] ? label(DICT[k], p[k]) : String(p[k])}</Descriptions.Item>)}
        </Descriptions>
        {Object.keys(p.details ?? {}).length + Object.keys(p.detailsMasked ?? {}).length > 0 && (
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} title={t('rg.details')} style={{ marginTop: 12 }}>
            {Object.entries({ ...p.details, ...p.detailsMasked, ...(revealed?.details ?? {}) }).map(([k, v]) => {
              const set = sets?.populationTypes.find((x) => x.type === p.populationType);
              return <Descriptions.Item key={k} label={fd.name(set, k)}>{fd.value(set, k, v)}</Descriptions.Item>;
            })}
          </Descriptions>
        )}
      </Card>
      <PersonLinks person={p} />
      <Card size="small" title={t('rg.labels')} data-testid="person-labels"
        extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setLabelling(true)}>{t('rg.addLabel')}</Button>}>
        <ErrorNote error={labels.error} />
        {labels.data && !labels.data.items.length && <Empty description={t('rg.noLabels')} />}
        {labels.data?.items.map((l) => {
          const clear = (revealed?.labels as Array<{ id: number; fields: Record<string, unknown> }> | undefined)?.find((x) => x.id === l.id)?.fields;
          return (
            <Card key={l.id} type="inner" size="small" style={{ marginBottom: 12 }} data-testid={`label-${l.type}`}
              title={<Space><Tag color={l.active ? 'volcano' : 'default'}>{l.customName ?? pick(l.typeName)}</Tag>
                {l.active ? t('rg.active') : l.endKind ? tk('rw.event.', l.endKind) : t('rg.ended')}</Space>}
              extra={<Space>
                {l.active && <Button size="small" onClick={() => setChanging(l)}>{t('rw.changeLabel')}</Button>}
                {l.active && can(me, 'registry.label.end') && <Button size="small" danger onClick={() => setEnding(l)}>{t('rw.endLabel')}</Button>}
                <Button size="small" type="link" onClick={() => setHistoryOf(historyOf === l.id ? null : l.id)}>{t('rw.history')}</Button>
              </Space>}>
              <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                {l.attentionLevel && <Descriptions.Item label={t('rg.attention')}>{label('attention_level', l.attentionLevel)}</Descriptions.Item>}
                {l.startedOn && <Descriptions.Item label={t('rg.startedOn')}>{l.startedOn}</Descriptions.Item>}
                {l.endedOn && <Descriptions.Item label={t('rg.endedOn')}>{l.endedOn}</Descriptions.Item>}
                {l.endReason && <Descriptions.Item label={t('rw.endReason')}>{l.endReason}</Descriptions.Item>}
                {Object.entries({ ...l.fields, ...l.fieldsMasked, ...(clear ?? {}) }).sort(([a], [b]) => fieldOrder(l.type, a) - fieldOrder(l.type, b)).map(([k, v]) => {
                  const set = sets?.labelTypes.find((x) => x.type === l.type);
                  return <Descriptions.Item key={k} label={fd.name(set, k)}>{fd.value(set, k, v)}</Descriptions.Item>;
                })}
              </Descriptions>
              {historyOf === l.id && <LabelHistory personId={p.id} labelId={l.id} />}
              <Followups personId={p.id} label={l} />
            </Card>
          );
        })}
      </Card>
      {editing && <PersonForm person={p} open onClose={() => setEditing(false)} onSaved={() => { setEditing(false); person.reload(); }} />}
      {changing && <LabelForm personId={p.id} label={changing} open onClose={() => setChanging(null)} onSaved={() => { setChanging(null); labels.reload(); }} />}
      {ending && <LabelEndForm personId={p.id} label={ending} open onClose={() => setEnding(null)} onSaved={() => { setEnding(null); labels.reload(); person.reload(); }} />}
      {labelling && <LabelForm personId={p.id} open onClose={() => setLabelling(false)} onSaved={() => { setLabelling(false); labels.reload(); person.reload(); }} />}
      <RevealDialog path={`/api/v1/persons/${p.id}/reveal`} open={revealing} onClose={() => setRevealing(false)}
        fields={['idNumber', 'name', ...(p.formerNameMasked ? ['formerName'] : []), 'phone', ...(Object.keys(p.detailsMasked ?? {}).length ? ['details'] : []), ...(labels.data?.items.some((l) => Object.keys(l.fieldsMasked ?? {}).length) ? ['labels'] : [])]}
        onRevealed={(v) => { setRevealed(v); setRevealing(false); }} />
      <p style={{ marginTop: 12, color: '#666' }}>{t('rg.createdAt')} {fmtTime(p.createdAt, locale)}</p>
    </div>
  );
}
