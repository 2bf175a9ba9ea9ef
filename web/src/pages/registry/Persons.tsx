// 实有人口: the persons of the user's region, masked; filters by grid, special-population label and
// population type; exact lookup by ID number (through the API's keyed hash); paging.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Input, Select, Space, Table, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { GridSelect, LABEL_TYPES, POPULATION_TYPES, usePagedList, useQueryState } from './shared.tsx';
import { PersonForm } from './PersonForm.tsx';


export interface PersonRow {
  id: number; regionCode: string; regionName: string | null; populationType: string; idType: string;
  idNumberMasked: string | null; nameMasked: string | null; phoneMasked: string | null; labels: string[];
  currentAddress: string | null; createdAt: string;
}

export default function Persons() {
  const { t } = useI18n();
  const { get, set, page } = useQueryState();
  const filters = { regionCode: get('grid'), label: get('label'), populationType: get('type'), q: get('q'), idNumber: get('id') };
  const { list, pagination } = usePagedList<PersonRow>('/api/v1/persons', filters, page, (p) => set('page', p > 1 ? String(p) : undefined));
  const [idInput, setIdInput] = useState(get('id') ?? '');
  const [adding, setAdding] = useState(false);
  const nav = useNavigate();
  return (
    <div>
      <PageTitle extra={<Space wrap>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>{t('rw.newPerson')}</Button>
        <Link to="/registry/imports?kind=persons"><Button icon={<UploadOutlined />}>{t('nav.imports')}</Button></Link>
        <Button href="/api/v1/registry/exports/persons.xlsx" download icon={<DownloadOutlined />}>{t('rw.exportXlsx')}</Button>
        <Button href="/api/v1/registry/exports/persons.csv" download icon={<DownloadOutlined />}>{t('rg.export')}</Button>
      </Space>}>{t('nav.persons')}</PageTitle>
      <div className="gz-toolbar">
        <label htmlFor="p-grid">{t('rg.region')}</label>
        <GridSelect id="p-grid" value={get('grid')} onChange={(v) => set('grid', v)} />
        <label htmlFor="p-label">{t('rg.label')}</label>
        <Select id="p-label" allowClear style={{ width: 170 }} value={get('label')} onChange={(v) => set('label', v)} placeholder={t('rg.any')}
          options={LABEL_TYPES.map((l) => ({ value: l, label: t(`rg.lt.${l}` as MessageKey) }))} />
        <label htmlFor="p-type">{t('rg.populationType')}</label>
        <Select id="p-type" allowClear style={{ width: 130 }} value={get('type')} onChange={(v) => set('type', v)} placeholder={t('rg.any')}
          options={POPULATION_TYPES.map((p) => ({ value: p, label: t(`rg.pop.${p}` as MessageKey) }))} />
      </div>
      <div className="gz-toolbar">
        <label htmlFor="p-q">{t('common.search')}</label>
        <Input.Search id="p-q" allowClear placeholder={t('rg.search')} defaultValue={get('q')} onSearch={(v) => set('q', v.trim() || undefined)} style={{ width: 260 }} />
        <label htmlFor="p-id">{t('rg.idLookup')}</label>
        <Input.Search id="p-id" allowClear value={idInput} onChange={(e) => setIdInput(e.target.value)} autoComplete="off"
          onSearch={(v) => set('id', v.trim() || undefined)} style={{ width: 240 }} />
      </div>
      <ErrorNote error={list.error} />
      <Table<PersonRow> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} aria-label={t('nav.persons')}
        scroll={{ x: 900 }} data-testid="persons-table"
        pagination={pagination}
        columns={[
          { title: t('rg.name'), dataIndex: 'nameMasked', render: (v, p) => <Link to={`/registry/persons/${p.id}`}>{v ?? p.idNumberMasked}</Link> },
          { title: t('rg.idNumber'), dataIndex: 'idNumberMasked', render: (v) => <span style={{ fontFamily: "monospace" }}>{v}</span> },
          { title: t('rg.phone'), dataIndex: 'phoneMasked' },
          { title: t('rg.populationType'), dataIndex: 'populationType', render: (v) => t(`rg.pop.${v}` as MessageKey) },
          { title: t('rg.labels'), dataIndex: 'labels', render: (ls: string[]) => ls.map((l) => <Tag key={l} color="volcano">{t(`rg.lt.${l}` as MessageKey)}</Tag>) },
          { title: t('rg.region'), dataIndex: 'regionName', render: (v, p) => v ?? p.regionCode },
        ]} />
      {adding && <PersonForm person={null} open onClose={() => setAdding(false)} onSaved={(id) => { setAdding(false); nav(`/registry/persons/${id}`); }} />}
    </div>
  );
}
