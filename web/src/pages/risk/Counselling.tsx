// 心理人才库 and referrals: the counsellors serving the user's region (kept by the street and district
// centres), key persons referred to them, and each referral's counselling notes — which only the
// counsellor and the counsellor's supervisor read; everyone else sees that notes exist, never what they say.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Input, List, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { EyeOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { api, withQuery } from '../../api/client.ts';
import { errorText, useFormSubmit } from '../../lib/forms.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RevealDialog } from '../registry/shared.tsx';

interface Counsellor { id: number; userId: number; name: string | null; unitName: string | null; regionName: string | null; supervisorUserId: number | null; supervisorName: string | null; qualification: string | null; specialties: string[]; active: boolean; openReferrals?: number }
interface Referral {
  id: number; personId: number; labelId: number | null; regionCode: string; counsellorId: number; counsellorName: string | null; referredByName: string | null;
  reason: string; status: string; createdAt: string; endedAt: string | null; notes?: number; mayReadNotes?: boolean; mayRevealPerson?: boolean;
  person: { nameMasked: string; regionName: string | null; labels: string[] } | null;
}

export default function Counselling() {
  const { t } = useI18n();
  const me = useMe();
  const mayRefer = can(me, 'risk.keyperson.refer');
  const mayManage = can(me, 'risk.counsellor.manage');
  const [tab, setTab] = useState(mayRefer || mayManage ? 'counsellors' : 'referrals');
  return (
    <div data-testid="counselling">
      <PageTitle>{t('rk.cs.title')}</PageTitle>
      <Tabs activeKey={tab} onChange={setTab} items={[
        ...(mayRefer || mayManage ? [{ key: 'counsellors', label: t('rk.cs.registry'), children: <Counsellors /> }] : []),
        { key: 'referrals', label: t('rk.cs.referrals'), children: <Referrals /> },
      ]} />
    </div>
  );
}

/** A staff account chosen by name (the district's). */
function StaffPicker({ id, value, onChange }: { id?: string; value?: number; onChange?(v: number): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const found = useApi<{ items: Array<{ id: number; name: string; unitName: string | null }> }>(withQuery('/api/v1/risk/counsellors/candidates', { q: q || undefined }));
  return (
    <Select id={id} showSearch value={value} onChange={onChange} filterOption={false} onSearch={setQ} placeholder={t('rk.cs.searchStaff')} allowClear
      options={(found.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}${u.unitName ? `（${u.unitName}）` : ''}` }))} />
  );
}

function Counsellors() {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const list = useApi<{ items: Counsellor[] }>('/api/v1/risk/counsellors');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const mayManage = can(me, 'risk.counsellor.manage');
  const create = useFormSubmit<any>(form, async (v) => {
    await api('/api/v1/risk/counsellors', { body: { userId: v.userId, supervisorUserId: v.supervisorUserId, qualification: v.qualification || undefined, specialties: v.specialties ?? [] } });
    setOpen(false); form.resetFields(); list.reload();
  });
  const toggle = async (c: Counsellor, active: boolean) => {
    try { await api(`/api/v1/risk/counsellors/${c.id}`, { method: 'PATCH', body: { active } }); list.reload(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card size="small" extra={mayManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('rk.cs.add')}</Button>}>
      <ErrorNote error={list.error} />
      <Table size="small" rowKey="id" dataSource={list.data?.items ?? []} data-testid="counsellor-list" columns={[
        { title: t('rk.cs.counsellor'), render: (_, c) => <span>{c.name}{c.unitName && <Typography.Text type="secondary">（{c.unitName}）</Typography.Text>}</span> },
        { title: t('rk.cs.qualification'), dataIndex: 'qualification' },
        { title: t('rk.cs.specialties'), render: (_, c) => <Space wrap size={4}>{c.specialties.map((s) => <Tag key={s}>{s}</Tag>)}</Space> },
        { title: t('rk.cs.supervisor'), render: (_, c) => c.supervisorName ?? '—' },
        { title: t('rk.cs.area'), dataIndex: 'regionName' },
        { title: t('rk.cs.open'), dataIndex: 'openReferrals', width: 80 },
        { title: t('rk.cs.active'), width: 80, render: (_, c) => <Switch size="small" checked={c.active} disabled={!mayManage} onChange={(v) => toggle(c, v)} aria-label={t('rk.cs.active')} /> },
      ]} />
      <Modal open={open} title={t('rk.cs.add')} onCancel={() => setOpen(false)} onOk={create.save} confirmLoading={create.busy} destroyOnHidden>
        <Form form={form} layout="vertical">
          {create.error && <Alert type="error" showIcon title={create.error} />}
          <Form.Item name="userId" label={t('rk.cs.counsellor')} rules={[{ required: true }]}><StaffPicker /></Form.Item>
          <Form.Item name="supervisorUserId" label={t('rk.cs.supervisor')} extra={t('rk.cs.supervisorHelp')}><StaffPicker /></Form.Item>
          <Form.Item name="qualification" label={t('rk.cs.qualification')}><Input /></Form.Item>
          <Form.Item name="specialties" label={t('rk.cs.specialties')}><Select mode="tags" tokenSeparators={[',', '，', '、']} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

interface PersonHit { id: number; nameMasked: string; idNumberMasked: string | null; regionName: string | null; labels: Array<{ type: string; name: { zh: string; en: string } }> }

/** A person of the user's territory found by full name, surname, address or ID number (names come back masked, as the registry shows them). */
function PersonPicker({ id, value, onChange }: { id?: string; value?: number; onChange?(v: number): void }) {
  const { t, pick } = useI18n();
  const [q, setQ] = useState('');
  const found = useApi<{ items: PersonHit[] }>(q ? withQuery('/api/v1/risk/referrals/persons', { q }) : null, [q]);
  return (
    <Select id={id} showSearch value={value} onChange={onChange} filterOption={false} onSearch={(v) => setQ(v.trim())} placeholder={t('rk.cs.searchPerson')}
      notFoundContent={q && found.data ? t('rk.cs.noPerson') : null} loading={found.loading} data-testid="person-picker"
      options={(found.data?.items ?? []).map((p) => ({
        value: p.id,
        label: [p.nameMasked, p.idNumberMasked, p.regionName, p.labels.map((l) => pick(l.name)).join('、')].filter(Boolean).join(' · '),
      }))} />
  );
}

function Referrals() {
  const { t, locale } = useI18n();
  const me = useMe();
  const mayRefer = can(me, 'risk.keyperson.refer');
  const [mine, setMine] = useState(!mayRefer);
  const list = useApi<{ items: Referral[] }>(withQuery('/api/v1/risk/referrals', { mine: mine ? 'true' : undefined }));
  const counsellors = useApi<{ items: Counsellor[] }>(mayRefer ? '/api/v1/risk/counsellors' : null);
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<number | null>(null);
  const [form] = Form.useForm();
  const personId = Form.useWatch('personId', form);
  const labels = useApi<{ items: Array<{ id: number; type: string; customName?: string | null }> }>(personId ? `/api/v1/persons/${personId}/labels` : null, [personId]);
  const create = useFormSubmit<any>(form, async (v) => {
    const r = await api<{ id: number }>('/api/v1/risk/referrals', { body: { personId: v.personId, labelId: v.labelId, counsellorId: v.counsellorId, reason: v.reason } });
    setOpen(false); form.resetFields(); list.reload(); setCurrent(r.id);
  });
  return (
    <Card size="small" extra={<Space>
      <Space size={4}><Switch size="small" checked={mine} onChange={setMine} aria-label={t('rk.cs.mine')} />{t('rk.cs.mine')}</Space>
      {mayRefer && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="refer">{t('rk.cs.refer')}</Button>}
    </Space>}>
      <ErrorNote error={list.error} />
      <Table size="small" rowKey="id" dataSource={list.data?.items ?? []} data-testid="referral-list" onRow={(r) => ({ onClick: () => setCurrent(r.id), style: { cursor: 'pointer' } })} columns={[
        { title: t('rk.cs.person'), render: (_, r) => (r.person ? `${r.person.nameMasked}${r.person.regionName ? ` · ${r.person.regionName}` : ''}` : '—') },
        { title: t('rk.cs.reason'), dataIndex: 'reason' },
        { title: t('rk.cs.counsellor'), dataIndex: 'counsellorName' },
        { title: t('rk.cs.referredBy'), dataIndex: 'referredByName' },
        { title: t('rk.cs.referredAt'), render: (_, r) => formatDateTime(r.createdAt, locale) },
        { title: t('rk.cs.notes'), dataIndex: 'notes', width: 70 },
        { title: '', render: (_, r) => <Tag color={r.status === 'open' ? 'blue' : 'default'}>{t(`rk.cs.status.${r.status}` as MessageKey)}</Tag> },
      ]} />
      <Modal open={open} title={t('rk.cs.refer')} onCancel={() => setOpen(false)} onOk={create.save} confirmLoading={create.busy} destroyOnHidden>
        <Form form={form} layout="vertical">
          {create.error && <Alert type="error" showIcon title={create.error} />}
          <Form.Item name="personId" label={t('rk.cs.person')} rules={[{ required: true }]}><PersonPicker /></Form.Item>
          <Form.Item name="labelId" label={t('rk.cs.label')}>
            <Select allowClear options={(labels.data?.items ?? []).map((l) => ({ value: l.id, label: l.type === 'custom' && l.customName ? l.customName : t(`rg.lt.${l.type}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="counsellorId" label={t('rk.cs.counsellor')} rules={[{ required: true }]}>
            <Select options={(counsellors.data?.items ?? []).filter((c) => c.active).map((c) => ({ value: c.id, label: `${c.name ?? c.userId}${c.specialties.length ? ` · ${c.specialties.join('、')}` : ''}` }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('rk.cs.reason')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
      <Drawer open={current != null} size={620} onClose={() => { setCurrent(null); list.reload(); }} title={t('rk.cs.referral')} destroyOnHidden>
        {current != null && <ReferralDetail id={current} onChanged={list.reload} />}
      </Drawer>
    </Card>
  );
}

function ReferralDetail({ id, onChanged }: { id: number; onChanged(): void }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const r = useApi<Referral>(`/api/v1/risk/referrals/${id}`);
  const x = r.data;
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<{ name: string; phone: string | null } | null>(null);
  const notes = useApi<{ items: Array<{ id: number; authorName: string | null; text: string; at: string }> }>(x?.mayReadNotes ? `/api/v1/risk/referrals/${id}/notes` : null, [x?.mayReadNotes]);
  const [text, setText] = useState('');
  if (!x) return <ErrorNote error={r.error} />;
  const add = async () => {
    try { await api(`/api/v1/risk/referrals/${id}/notes`, { body: { text } }); setText(''); notes.reload(); r.reload(); onChanged(); } catch (e) { message.error(errorText(e)); }
  };
  const end = async () => {
    try { await api(`/api/v1/risk/referrals/${id}/end`, { body: {} }); r.reload(); onChanged(); } catch (e) { message.error(errorText(e)); }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="referral-detail">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('rk.cs.person')}>
          <Space wrap size={[8, 4]} data-testid="referral-person">
            {revealed ? <Typography.Text strong data-testid="revealed-person">{revealed.name}{revealed.phone ? ` · ${revealed.phone}` : ''}</Typography.Text>
              : can(me, 'registry.use') ? <Link to={`/registry/persons/${x.personId}`}>{x.person?.nameMasked ?? '—'}</Link> : <span>{x.person?.nameMasked ?? '—'}</span>}
            {x.person?.regionName && <Typography.Text type="secondary">{x.person.regionName}</Typography.Text>}
            {x.person?.labels.map((l) => <Tag key={l}>{t(`rg.lt.${l}` as MessageKey)}</Tag>)}
            {x.mayRevealPerson && !revealed && <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setRevealing(true)}>{t('rg.reveal')}</Button>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('rk.cs.counsellor')}>{x.counsellorName}</Descriptions.Item>
        <Descriptions.Item label={t('rk.cs.reason')}>{x.reason}</Descriptions.Item>
        <Descriptions.Item label={t('rk.cs.referredBy')}>{x.referredByName} · {formatDateTime(x.createdAt, locale)}</Descriptions.Item>
        <Descriptions.Item label={t('rk.status')}><Tag color={x.status === 'open' ? 'blue' : 'default'}>{t(`rk.cs.status.${x.status}` as MessageKey)}</Tag></Descriptions.Item>
      </Descriptions>
      <Card size="small" title={<span><LockOutlined /> {t('rk.cs.notes')}</span>} data-testid="counselling-notes">
        {!x.mayReadNotes
          ? <Alert type="info" showIcon icon={<LockOutlined />} title={t('rk.cs.notesPrivate', { n: x.notes ?? 0 })} data-testid="notes-private" />
          : <>
            <List size="small" dataSource={notes.data?.items ?? []} locale={{ emptyText: t('rk.cs.noNotes') }} renderItem={(n) => (
              <List.Item><div><Typography.Text type="secondary">{n.authorName} · {formatDateTime(n.at, locale)}</Typography.Text><div style={{ whiteSpace: 'pre-wrap' }}>{n.text}</div></div></List.Item>
            )} />
            {x.status === 'open' && <Space.Compact style={{ width: '100%', marginTop: 8 }}>
              <Input.TextArea rows={2} value={text} onChange={(e) => setText(e.target.value)} aria-label={t('rk.cs.addNote')} placeholder={t('rk.cs.addNote')} />
              <Button type="primary" disabled={!text.trim()} onClick={add}>{t('rk.cs.save')}</Button>
            </Space.Compact>}
          </>}
      </Card>
      {x.status === 'open' && <Button onClick={end}>{t('rk.cs.end')}</Button>}
      <RevealDialog path={`/api/v1/risk/referrals/${id}/person/reveal`} open={revealing} onClose={() => setRevealing(false)}
        onRevealed={(v) => { setRevealed(v as { name: string; phone: string | null }); setRevealing(false); }} />
    </Space>
  );
}
