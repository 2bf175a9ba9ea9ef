// 待安置: what a grid split could not place (staff without an account, party members, registry records
// without a location, accounts without recent work there); a street centre puts each on one of the
// grids that replaced its grid (src/modules/regions/grids/carry.ts).
import { App, Card, Select, Table, Tag } from 'antd';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { errorText } from '../../lib/forms.ts';
import { useHashTarget } from '../../lib/hash-target.ts';

interface ReviewItem {
  id: number; changeId: number; changeKind: string; fromCode: string; fromName?: string; successors: string[];
  successorGrids?: Array<{ code: string; name: string }>; kind: string; refId: number; label: string; reason: string;
}

export function ChangeReview({ onResolved }: { onResolved?(): void }) {
  const { t } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const r = useApi<{ items: ReviewItem[] }>('/api/v1/grid-reviews');
  // a split's result links here (/grids#grid-review): what it could not place
  useHashTarget('grid-review', !!r.data?.items.length);
  if (!r.data?.items.length) return null;
  const resolve = async (item: ReviewItem, gridCode: string) => {
    try {
      await api(`/api/v1/grid-reviews/${item.id}/resolve`, { body: { gridCode } });
      message.success(t('gm.review.moved', { name: item.label, grid: item.successorGrids?.find((g) => g.code === gridCode)?.name ?? gridCode }));
      r.reload(); onResolved?.();
    } catch (e) { message.error(errorText(e)); }
  };
  return (
    <Card size="small" title={t('gm.review.title', { n: r.data.items.length })} style={{ marginBottom: 16 }} data-testid="grid-review" id="grid-review" tabIndex={-1}>
      <Table<ReviewItem> rowKey="id" size="small" pagination={{ pageSize: 10, showSizeChanger: false }} dataSource={r.data.items} aria-label={t('gm.review.title', { n: r.data.items.length })}
        columns={[
          { title: t('gm.review.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`gm.review.k.${k}` as MessageKey)}</Tag> },
          { title: t('gm.review.what'), dataIndex: 'label' },
          { title: t('gm.review.from'), dataIndex: 'fromCode', render: (c: string, item) => <span title={c}>{item.fromName ?? c}</span> },
          { title: t('gm.review.reason'), dataIndex: 'reason', render: (x: string) => t(`gm.review.r.${x}` as MessageKey) },
          {
            title: t('gm.review.place'), key: 'place', render: (_, item) => (can(me, 'grid.write')
              ? <Select size="small" style={{ width: 220 }} popupMatchSelectWidth={false} placeholder={t('gm.review.choose')} aria-label={t('gm.review.place')}
                  options={(item.successorGrids ?? item.successors.map((c) => ({ code: c, name: c }))).map((g) => ({ value: g.code, label: g.name }))} onChange={(c: string) => void resolve(item, c)} />
              : '—'),
          },
        ]} />
    </Card>
  );
}
