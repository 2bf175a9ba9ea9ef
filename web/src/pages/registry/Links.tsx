// 以房管人 in the console: a house shows its residents and tenants (registry persons, let and ended here),
// a room its tenants, a household its members with their relation to the head (and who the head is) and
// the houses it rents, a person their house, household and tenancies. Every entry links to the other end.
// A tenant is picked from the registry by name, surname, ID number or address; free text is only a note.
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { api, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/forms.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { useDictOptions, useDicts, type Paged } from './shared.tsx';
import { PersonForm } from './PersonForm.tsx';
import { RecordSelect } from './Records.tsx';

interface PersonRow { id: number; nameMasked: string | null; idNumberMasked: string | null; relationToHead: string | null; populationType: string; isHouseholdHead: boolean; currentAddress: string | null }
interface Tenancy {
  id: number; houseId: number; houseTitle: string | null; roomId: number | null; roomTitle: string | null; personId: number; personNameMasked: string | null;
  householdId: number | null; householdTitle: string | null;
  personIdNumberMasked: string | null; rentalUse: string | null; leaseStart: string | null; leaseEnd: string | null; endedOn: string | null; active: boolean;
}

/** Finds a registered person of the user's territory by name or surname (keyed hashes), ID number (exact) or address. */
export function PersonSelect({ id, value, onChange }: { id?: string; value?: number; onChange?(v: number | undefined): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Array<{ value: number; label: string }>>([]);
  useEffect(() => {
    let live = true;
    const term = q.trim();
    const timer = setTimeout(() => {
      const byId = /^[0-9Xx]{15,18}$/.test(term);
      api<Paged<PersonRow>>(withQuery('/api/v1/persons', { ...(byId ? { idNumber: term } : term ? { q: term } : {}), pageSize: 20 }))
        .then((list) => { if (live) setOptions(list.items.map((p) => ({ value: p.id, label: `${p.nameMasked ?? ''} · ${p.idNumberMasked ?? ''}${p.currentAddress ? ` · ${p.currentAddress}` : ''}` }))); })
        .catch(() => undefined);
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [q]);
  return (
    <Select id={id} value={value} onChange={onChange} allowClear showSearch={{ filterOption: false, onSearch: setQ }}
      options={options} placeholder={t('rw.findPerson')} notFoundContent={t('rw.noPersonFound')} />
  );
}

function useRelation() {
  const label = useDicts(['relationship', 'rental_use']);
  return label;
}

/** The persons living in a house or belonging to a household, with a button to add one there. */
function Residents({ filter, preset, title, household, onChanged }: {
  filter: Record<string, string>; preset: Record<string, unknown>; title: string;
  household?: { id: number; headPersonId: number | null }; onChanged?(): void;
}) {
  const { t, tk } = useI18n();
  const nav = useNavigate();
  const { message } = App.useApp();
  const label = useRelation();
  const list = useApi<Paged<PersonRow>>(withQuery('/api/v1/persons', { ...filter, pageSize: 100 }));
  const [adding, setAdding] = useState(false);
  const makeHead = async (p: PersonRow) => {
    await api(`/api/v1/households/${household!.id}`, { method: 'PATCH', body: { headPersonId: p.id } });
    if (p.relationToHead !== '02') await api(`/api/v1/persons/${p.id}`, { method: 'PATCH', body: { relationToHead: '02' } });
    message.success(t('common.saved'));
    list.reload(); onChanged?.();
  };
  return (
    <Card size="small" title={title} style={{ marginTop: 16 }} data-testid={`residents-${Object.keys(filter)[0]}`}
      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('rw.addResident')}</Button>}>
      <ErrorNote error={list.error} />
      <Table<PersonRow> rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data?.items ?? []}
        aria-label={title} locale={{ emptyText: t('rw.noResidents') }}
        columns={[
          { title: t('rg.name'), dataIndex: 'nameMasked', render: (v, p) => <Link to={`/registry/persons/${p.id}`}>{v}</Link> },
          { title: t('rg.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('rg.populationType'), dataIndex: 'populationType', render: (v) => tk('rg.pop.', v) },
          { title: t('rw.relation'), dataIndex: 'relationToHead', render: (v, p) => <Space>{label('relationship', v)}{household && household.headPersonId === p.id && <Tag color="blue">{t('rw.head')}</Tag>}</Space> },
          ...(household ? [{
            title: '', key: 'act', width: 110,
            render: (_: unknown, p: PersonRow) => (household.headPersonId === p.id ? null
              : <Button size="small" onClick={() => void makeHead(p)}>{t('rw.makeHead')}</Button>),
          }] : []),
        ]} />
      {adding && <PersonForm person={null} open preset={preset} onClose={() => setAdding(false)} onSaved={(id) => { setAdding(false); nav(`/registry/persons/${id}`); }} />}
    </Card>
  );
}

function TenancyForm({ houseId, room, open, onClose, onSaved }: { houseId: number; room?: { id: number; title: string }; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const rentalUses = useDictOptions('rental_use');
  const rooms = useApi<Paged<{ id: number; name: string }>>(open && !room ? withQuery('/api/v1/rooms', { houseId: String(houseId), pageSize: 100 }) : null);
  const { busy, error, save } = useFormSubmit<any>(form, async (v) => {
    const day = (d?: dayjs.Dayjs) => d?.format('YYYY-MM-DD');
    const roomId = room?.id ?? v.roomId;
    await api(`/api/v1/houses/${houseId}/tenancies`, {
      body: {
        personId: v.personId, ...(roomId ? { roomId } : {}), ...(v.householdId ? { householdId: v.householdId } : {}), ...(v.rentalUse ? { rentalUse: v.rentalUse } : {}), ...(v.leaseStart ? { leaseStart: day(v.leaseStart) } : {}),
        ...(v.leaseEnd ? { leaseEnd: day(v.leaseEnd) } : {}), ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      },
    });
    onSaved();
  }, { fixMessage: t('rg.fixErrors') });
  return (
    <Modal open={open} title={room ? `${t('rw.addTenant')} · ${room.title}` : t('rw.addTenant')} onCancel={onClose} onOk={save} confirmLoading={busy} okText={t('rg.save')} cancelText={t('common.cancel')} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="tenancy">
        <Form.Item name="personId" label={t('rw.tenant')} rules={[{ required: true, message: t('form.required') }]} extra={t('rw.tenantHint')}><PersonSelect /></Form.Item>
        {!room && (rooms.data?.items.length ?? 0) > 0 && (
          <Form.Item name="roomId" label={t('rw.room')} extra={t('rw.roomHint')}>
            <Select allowClear options={rooms.data!.items.map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
        )}
        <Form.Item name="householdId" label={t('rw.household')} extra={t('rw.tenantHouseholdHint')}><RecordSelect kind="households" /></Form.Item>
        <Form.Item name="rentalUse" label={t('rg.f.rentalUse')}><Select allowClear options={rentalUses} /></Form.Item>
        <Space>
          <Form.Item name="leaseStart" label={t('rg.f.leaseStart')}><DatePicker /></Form.Item>
          <Form.Item name="leaseEnd" label={t('rg.f.leaseEnd')}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="note" label={t('rg.f.note')} extra={t('rw.tenancyNoteHint')}><Input maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** The tenants of a house (or of one of its rooms): current first; let to a registry person, ended on a date. */
export function Tenants({ houseId, room, onChanged }: { houseId: number; room?: { id: number; title: string }; onChanged?(): void }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const label = useRelation();
  const all = useApi<{ items: Tenancy[] }>(`/api/v1/houses/${houseId}/tenancies`);
  const list = { ...all, data: all.data && room ? { items: all.data.items.filter((x) => x.roomId === room.id) } : all.data };
  const [adding, setAdding] = useState(false);
  const end = (x: Tenancy) => modal.confirm({
    title: t('rw.endTenancy'), content: t('rw.endTenancyToday', { date: dayjs().format('YYYY-MM-DD') }), okText: t('rw.endTenancy'), cancelText: t('common.cancel'),
    onOk: async () => {
      await api(`/api/v1/houses/${houseId}/tenancies/${x.id}/end`, { body: { endedOn: dayjs().format('YYYY-MM-DD') } });
      message.success(t('common.saved')); list.reload(); onChanged?.();
    },
  });
  return (
    <Card size="small" title={t('rw.tenants')} style={{ marginTop: 16 }} data-testid="tenants"
      extra={<Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('rw.addTenant')}</Button>}>
      <ErrorNote error={list.error} />
      <Table<Tenancy> rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data?.items ?? []}
        aria-label={t('rw.tenants')} locale={{ emptyText: t('rw.noTenants') }}
        columns={[
          { title: t('rw.tenant'), dataIndex: 'personNameMasked', render: (v, x) => <Link to={`/registry/persons/${x.personId}`}>{v}</Link> },
          { title: t('rg.idNumber'), dataIndex: 'personIdNumberMasked' },
          ...(room ? [] : [{ title: t('rw.room'), dataIndex: 'roomTitle', render: (v: string | null, x: Tenancy) => (x.roomId ? <Link to={`/registry/rooms/${x.roomId}`}>{v}</Link> : '—') }]),
          { title: t('rw.household'), dataIndex: 'householdTitle', render: (v, x) => (x.householdId ? <Link to={`/registry/households/${x.householdId}`}>{v}</Link> : '—') },
          { title: t('rg.f.rentalUse'), dataIndex: 'rentalUse', render: (v) => label('rental_use', v) },
          { title: t('rw.lease'), key: 'lease', render: (_, x) => [x.leaseStart, x.leaseEnd].filter(Boolean).join(' ~ ') },
          { title: t('rw.status'), key: 'st', render: (_, x) => (x.active ? <Tag color="green">{t('rw.current')}</Tag> : <Tag>{t('rw.endedOn', { date: x.endedOn ?? '' })}</Tag>) },
          { title: '', key: 'act', width: 100, render: (_, x) => (x.active ? <Button size="small" onClick={() => end(x)}>{t('rw.endTenancy')}</Button> : null) },
        ]} />
      <TenancyForm houseId={houseId} room={room} open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); list.reload(); onChanged?.(); }} />
    </Card>
  );
}

/** What a house shows beyond its rooms and households: who lives there and who rents it. */
export function HouseLinks({ house, onChanged }: { house: Record<string, any>; onChanged?(): void }) {
  const { t } = useI18n();
  return <>
    <Residents filter={{ houseId: String(house.id) }} preset={{ houseId: house.id }} title={t('rw.residents')} />
    <Tenants houseId={house.id} onChanged={onChanged} />
  </>;
}

/** The houses a household rents (以房管人, from the household's side), with the tenant of each. */
export function HouseholdTenancies({ householdId }: { householdId: number }) {
  const { t } = useI18n();
  const list = useApi<{ items: Tenancy[] }>(`/api/v1/households/${householdId}/tenancies`);
  return (
    <Card size="small" title={t('rw.rents')} style={{ marginTop: 16 }} data-testid="household-tenancies">
      <ErrorNote error={list.error} />
      <Table<Tenancy> rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.data?.items ?? []}
        aria-label={t('rw.rents')} locale={{ emptyText: t('rw.noRents') }}
        columns={[
          { title: t('rg.f.houseId'), dataIndex: 'houseTitle', render: (v, x) => <Link to={`/registry/houses/${x.houseId}`}>{v}{x.roomTitle ? ` · ${x.roomTitle}` : ''}</Link> },
          { title: t('rw.tenant'), dataIndex: 'personNameMasked', render: (v, x) => <Link to={`/registry/persons/${x.personId}`}>{v}</Link> },
          { title: t('rw.lease'), key: 'lease', render: (_, x) => [x.leaseStart, x.leaseEnd].filter(Boolean).join(' ~ ') },
          { title: t('rw.status'), key: 'st', render: (_, x) => (x.active ? <Tag color="green">{t('rw.current')}</Tag> : <Tag>{t('rw.endedOn', { date: x.endedOn ?? '' })}</Tag>) },
        ]} />
    </Card>
  );
}

/** A household's members, its head and each member's relation to the head. */
export function HouseholdMembers({ household, onChanged }: { household: Record<string, any>; onChanged(): void }) {
  const { t } = useI18n();
  return (
    <Residents filter={{ householdId: String(household.id) }} title={t('rw.members')} onChanged={onChanged}
      household={{ id: household.id, headPersonId: household.headPersonId ?? null }}
      preset={{ householdId: household.id, ...(household.houseId ? { houseId: household.houseId } : {}) }} />
  );
}

/** A person's house, household and tenancies, each linking to its record. */
export function PersonLinks({ person }: { person: Record<string, any> }) {
  const { t } = useI18n();
  const label = useRelation();
  const tenancies = useApi<{ items: Tenancy[] }>(`/api/v1/persons/${person.id}/tenancies`);
  return (
    <Card size="small" title={t('rw.whereLives')} style={{ marginBottom: 16 }} data-testid="person-links">
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('rg.f.houseId')}>
          {person.houseId ? <Link to={`/registry/houses/${person.houseId}`}>{person.houseTitle ?? t('rg.unavailable')}</Link> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('rw.household')}>
          {person.householdId ? <Link to={`/registry/households/${person.householdId}`}>{person.householdTitle ?? t('rg.unavailable')}</Link> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('rw.relation')}>
          <Space>{label('relationship', person.relationToHead) || '—'}{person.isHouseholdHead && <Tag color="blue">{t('rw.head')}</Tag>}</Space>
        </Descriptions.Item>
      </Descriptions>
      {(tenancies.data?.items.length ?? 0) > 0 && (
        <Table<Tenancy> rowKey="id" size="small" pagination={false} dataSource={tenancies.data!.items} style={{ marginTop: 12 }} aria-label={t('rw.tenancies')}
          columns={[
            { title: t('rw.tenancies'), dataIndex: 'houseTitle', render: (v, x) => <Link to={`/registry/houses/${x.houseId}`}>{v}{x.roomTitle ? ` · ${x.roomTitle}` : ''}</Link> },
            { title: t('rw.lease'), key: 'lease', render: (_, x) => [x.leaseStart, x.leaseEnd].filter(Boolean).join(' ~ ') },
            { title: t('rw.status'), key: 'st', render: (_, x) => (x.active ? <Tag color="green">{t('rw.current')}</Tag> : <Tag>{t('rw.endedOn', { date: x.endedOn ?? '' })}</Tag>) },
          ]} />
      )}
    </Card>
  );
}
