// 待安置: what a grid split could not place (staff without an account, party members, registry records
// without a location, accounts without recent work there); a street centre puts each on one of the
// grids that replaced its grid (src/modules/regions/grids/carry.ts).
import { useState, type MouseEvent } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { App, Card, Popconfirm, Select, Table, Tag } from 'antd';
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
  /** a staff member or party member: the grid they are on now (placed, or added again there by hand), null while not placed */
  placedOn?: { code: string; name: string } | null;
}

/** Registry kinds whose records have a page of their own (/registry/:kind/:id). */
const RECORD_PAGES: Record<string, string> = {
  building: 'buildings', house: 'houses', room: 'rooms', household: 'households', place: 'places', facility: 'facilities', thing: 'things', organisation: 'organisations',
};

const PEOPLE = ['staff', 'party_member'];
/** The 安置到 cell of an item's row: where the street places a person not yet placed. */
const placeId = (item: ReviewItem) => `grid-review-place-${item.id}`;

/**
 * Where a review item opens: a case its page, a person the registry's, a staff member or party member the
 * grid they are on now (the retired grid lists nobody); one not yet placed has no page (see PersonLabel).
 */
function linkOf(item: ReviewItem): string | null {
  if (item.kind === 'case') return `/cases/${item.refId}`;
  if (item.kind === 'person') return `/registry/persons/${item.refId}`;
  if (PEOPLE.includes(item.kind)) return item.placedOn ? `/grids/${item.placedOn.code}#${item.kind === 'staff' ? 'grid-staff' : 'grid-party'}` : null;
  const records = RECORD_PAGES[item.kind];
  return records ? `/registry/${records}/${item.refId}` : null;
}

/** A staff member or party member: linked to the grid they are on now, or, not yet placed, to their row's 安置到. */
function PersonLabel({ item, writer }: { item: ReviewItem; writer: boolean }) {
  const { t } = useI18n();
  if (item.placedOn) {
    return <><Link to={linkOf(item)!} data-testid="review-person">{item.label}</Link> <span style={{ color: 'rgba(0,0,0,0.55)' }}>{t('gm.review.nowOn', { grid: item.placedOn.name })}</span></>;
  }
  const focusPlace = (e: MouseEvent) => {
    e.preventDefault();
    const el = document.getElementById(placeId(item));
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };
  return (
    <a href={`#${placeId(item)}`} onClick={focusPlace} title={t(writer ? 'gm.review.notPlacedHint' : 'gm.review.notPlacedByStreet')} data-testid="review-person">
      {item.label}
    </a>
  );
}

/** The successor chosen for an item, placed only once the user confirms (a slip of the list moves nobody). */
function PlaceSelect({ item, onPlace }: { item: ReviewItem; onPlace(gridCode: string): Promise<void> }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string | null>(null);
  const grids = item.successorGrids ?? item.successors.map((c) => ({ code: c, name: c }));
  const name = grids.find((g) => g.code === chosen)?.name ?? chosen ?? '';
  return (
    <Popconfirm open={chosen != null} title={t('gm.review.confirm', { name: item.label, grid: name })}
      okText={t('gm.review.confirmOk')} cancelText={t('common.cancel')}
      onConfirm={async () => { if (chosen) await onPlace(chosen); setChosen(null); }} onCancel={() => setChosen(null)}>
      <Select id={placeId(item)} size="small" style={{ width: 220 }} popupMatchSelectWidth={false} placeholder={t('gm.review.choose')} aria-label={t('gm.review.place')}
        value={chosen ?? undefined} options={grids.map((g) => ({ value: g.code, label: g.name }))} onChange={(c: string) => setChosen(c)} />
    </Popconfirm>
  );
}

export function ChangeReview({ onResolved }: { onResolved?(): void }) {
  const { t } = useI18n();
  const me = useMe();
  const { hash } = useLocation();
  const { message } = App.useApp();
  const r = useApi<{ items: ReviewItem[] }>('/api/v1/grid-reviews');
  // a split's result links here (/grids#grid-review): what it could not place
  const asked = hash === '#grid-review';
  useHashTarget('grid-review', !!r.data?.items.length || (asked && !!r.data));
  const writer = can(me, 'grid.write');
  if (!r.data) return null;
  if (!r.data.items.length) {
    // followed a link to the list: say it is done rather than show nothing
    return asked ? <p id="grid-review" tabIndex={-1} role="status" data-testid="grid-review-empty">{t('gm.review.allDone')}</p> : null;
  }
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
          { title: t('gm.review.what'), dataIndex: 'label', render: (label: string, item) => {
              if (PEOPLE.includes(item.kind)) return <PersonLabel item={item} writer={writer} />;
              const to = linkOf(item);
              return to ? <Link to={to}>{label}</Link> : label;
            },
          },
          { title: t('gm.review.from'), dataIndex: 'fromCode', render: (c: string, item) => <span title={c}>{item.fromName ?? c}</span> },
          { title: t('gm.review.reason'), dataIndex: 'reason', render: (x: string) => t(`gm.review.r.${x}` as MessageKey) },
          {
            title: t('gm.review.place'), key: 'place', render: (_, item) => (writer
              ? <PlaceSelect item={item} onPlace={(c) => resolve(item, c)} />
              : <span id={placeId(item)} tabIndex={-1} style={{ color: 'rgba(0,0,0,0.55)' }}>{t('gm.review.byStreet')}</span>),
          },
        ]} />
    </Card>
  );
}
