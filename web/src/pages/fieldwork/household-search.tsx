// The grid's households found by name, number or address: the search box, its loading and empty states,
// and the households found (the visit page and the visit plan page list them, each linking its own way).
import { useState, type ReactNode } from 'react';
import { Button, Empty, Input, Skeleton, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import type { Household } from './types.ts';

export function useHouseholdSearch(): { box: ReactNode; households: Household[] } {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const list = useApi<{ items: Household[] }>(`/api/v1/fieldwork/households${query ? `?q=${encodeURIComponent(query)}` : ''}`);
  const box = (
    <>
      <Space.Compact style={{ width: '100%', marginBottom: 10 }}>
        <Input size="large" value={q} onChange={(e) => setQ(e.target.value)} onPressEnter={() => setQuery(q.trim())} placeholder={t('fw.visit.findHousehold')} aria-label={t('fw.visit.findHousehold')} />
        <Button size="large" type="primary" icon={<SearchOutlined />} onClick={() => setQuery(q.trim())} aria-label={t('common.search')} />
      </Space.Compact>
      {list.loading && <Skeleton active />}
      {list.data && !list.data.items.length && <Empty description={t('fw.visit.noHouseholds')} />}
    </>
  );
  return { box, households: list.data?.items ?? [] };
}
