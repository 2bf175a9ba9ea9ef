// The community a visitor of the public participation pages chose (心愿墙, 居务公开): in the address (?c=)
// so a page can be shared, and remembered on this device for the next visit.
import { useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Select } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { useApi } from '../../lib/useApi.ts';
import { ErrorNote } from '../../components/Page.tsx';

const KEY = 'gz.portal.community';
export interface Community { code: string; name: string; streetName: string | null }

/** The chosen community's code (12 digits) or null, and a setter that updates the address and the device. */
export function useChosenCommunity(): [string | null, (code: string) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('c');
  const saved = localStorage.getItem(KEY);
  const code = fromUrl && /^\d{12}$/.test(fromUrl) ? fromUrl : saved && /^\d{12}$/.test(saved) ? saved : null;
  useEffect(() => { if (code && !fromUrl) setParams({ c: code }, { replace: true }); }, [code, fromUrl, setParams]);
  return [code, (c: string) => { localStorage.setItem(KEY, c); setParams({ c }, { replace: true }); }];
}

export function communityLabel(c: Community): string {
  return c.streetName ? `${c.streetName} · ${c.name}` : c.name;
}

/** A searchable list of the communities (public). */
export function CommunitySelect({ value, onChange, label, testId }: { value: string | null | undefined; onChange(code: string): void; label: string; testId?: string }) {
  const { t } = useI18n();
  const list = useApi<{ items: Community[] }>('/api/v1/participation/communities');
  return (
    <>
      <ErrorNote error={list.error} />
      <Select aria-label={label} placeholder={t('pt.pub.community')} showSearch optionFilterProp="label" value={value ?? undefined} onChange={onChange}
        loading={list.loading} style={{ width: '100%' }} size="large" data-testid={testId}
        options={(list.data?.items ?? []).map((c) => ({ value: c.code, label: communityLabel(c) }))} />
    </>
  );
}
