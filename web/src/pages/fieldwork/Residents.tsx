// 找居民: residents of one's grid by full name or surname (matched by keyed hashes: names stay sealed
// and come back masked), by address, or by ID number.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Empty, Input, Space, Tag, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import type { Resident } from './types.ts';

export default function Residents() {
  const { t, pick } = useI18n();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [q, setQ] = useState(query);
  const r = useApi<{ items: Resident[] }>(query ? `/api/v1/fieldwork/residents?q=${encodeURIComponent(query)}` : null);
  const go = () => setParams(q.trim() ? { q: q.trim() } : {});
  return (
    <div className="gz-mobile-form">
      <PageTitle>{t('fw.residents.title')}</PageTitle>
      <Space.Compact style={{ width: '100%', marginBottom: 6 }}>
        <Input size="large" value={q} onChange={(e) => setQ(e.target.value)} onPressEnter={go} placeholder={t('fw.residents.placeholder')} aria-label={t('fw.residents.placeholder')} data-testid="resident-q" />
        <Button size="large" type="primary" icon={<SearchOutlined />} onClick={go} aria-label={t('common.search')} data-testid="resident-search" />
      </Space.Compact>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>{t('fw.residents.hint')}</Typography.Paragraph>
      <ErrorNote error={r.error} />
      {query && r.data && !r.data.items.length && <Empty description={t('fw.residents.none')} />}
      {r.data?.items.map((p) => (
        <Link key={p.id} to={`/registry/persons/${p.id}`} className="gz-today-item" data-testid="resident">
          <span className="gz-today-main">
            <div className="gz-today-title">{p.nameMasked} <Typography.Text type="secondary" style={{ fontWeight: 400 }}>{p.idNumberMasked}</Typography.Text></div>
            <div className="gz-today-detail">{p.currentAddress ?? p.regionName ?? ''}</div>
            <div>
              <Tag>{pick(p.populationTypeName)}</Tag>
              {p.labels.map((l) => <Tag key={l.type} color="volcano">{pick(l.name)}</Tag>)}
              <Tag color="blue">{t(`fw.residents.matched.${p.matched}` as MessageKey)}</Tag>
            </div>
          </span>
        </Link>
      ))}
    </div>
  );
}
