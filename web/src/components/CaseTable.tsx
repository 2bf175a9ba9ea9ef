// A list of cases: a table on wide screens, a card list on phones. Works without any map.
import { Link } from 'react-router-dom';
import { Grid, List, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { formatDateTime } from '../lib/format.ts';
import { useCategories } from '../lib/lookups.ts';
import { SlaLight, StateTag } from './Sla.tsx';
import type { CaseListItem } from '../api/types.ts';

export interface Paging { page: number; pageSize: number; total?: number; hasMore: boolean; onChange(page: number, pageSize: number): void }

export function CaseTable({ items, loading, paging, onSort, sort, caption, compact }: {
  items: CaseListItem[]; loading?: boolean; paging?: Paging; onSort?(sort: string): void; sort?: string; caption?: string;
  /** the card list even on wide screens (drawers, side panels) */
  compact?: boolean;
}) {
  const { t, pick, tk, locale } = useI18n();
  const cats = useCategories();
  const screens = Grid.useBreakpoint();
  const catName = (code: string) => { const c = cats?.byCode.get(code); return c ? pick(c.name) : code; };

  const pagination = paging ? {
    current: paging.page, pageSize: paging.pageSize,
    total: paging.total ?? (paging.page - 1) * paging.pageSize + items.length + (paging.hasMore ? 1 : 0),
    showSizeChanger: true, pageSizeOptions: [10, 20, 50, 100],
    showTotal: paging.total != null ? (n: number) => t('list.total', { n }) : undefined,
    onChange: paging.onChange,
  } : false as const;

  if (compact || !screens.md) {
    return (
      <List
        aria-label={caption}
        loading={loading}
        dataSource={items}
        locale={{ emptyText: t('list.empty') }}
        pagination={pagination ? { ...pagination, simple: true, showSizeChanger: false } : false}
        renderItem={(c) => (
          <List.Item key={c.id} data-case-no={c.caseNo}>
            <List.Item.Meta
              title={<Link to={`/cases/${c.id}`}>{c.title}</Link>}
              description={
                <div>
                  <div><Typography.Text type="secondary">{c.caseNo}</Typography.Text> · {catName(c.categoryCode)}</div>
                  <div style={{ marginTop: 4, display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
                    <StateTag c={c} />
                    {c.isOpen && <SlaLight light={c.sla.light} dueAt={c.sla.dueAt} remaining={c.sla.remainingMinutes} paused={c.sla.paused} />}
                    <span>{formatDateTime(c.createdAt, locale)}</span>
                  </div>
                </div>
              }
            />
          </List.Item>
        )}
      />
    );
  }

  const orderOf = (key: string) => (!onSort || !sort ? undefined : sort === key ? 'ascend' as const : sort === `-${key}` ? 'descend' as const : null);
  const columns: TableProps<CaseListItem>['columns'] = [
    { title: t('case.sla'), key: 'sla', width: 92, render: (_, c) => (c.isOpen ? <SlaLight compact light={c.sla.light} dueAt={c.sla.dueAt} remaining={c.sla.remainingMinutes} paused={c.sla.paused} /> : <Typography.Text type="secondary">—</Typography.Text>) },
    { title: t('case.caseNo'), dataIndex: 'caseNo', key: 'caseNo', width: 180, render: (v, c) => <Link to={`/cases/${c.id}`}>{v}</Link> },
    {
      title: t('case.title'), dataIndex: 'title', key: 'title', ellipsis: true,
      render: (v, c) => (
        <span>
          {c.urgency !== 'normal' && <Tag color="red">{t(`urgency.${c.urgency}` as 'urgency.urgent')}</Tag>}
          {c.supervised && <Tag color="volcano">{t('case.supervised')}</Tag>}
          <Link to={`/cases/${c.id}`}>{v}</Link>
        </span>
      ),
    },
    { title: t('case.category'), key: 'category', width: 150, ellipsis: true, render: (_, c) => catName(c.categoryCode) },
    { title: t('hd.appealKind'), key: 'appealKind', width: 80, render: (_, c) => (c.appealKind ? tk('hd.kind.', c.appealKind) : '—') },
    { title: t('case.state'), key: 'state', width: 110, render: (_, c) => <StateTag c={c} /> },
    { title: t('case.dueAt'), dataIndex: ['sla', 'dueAt'], key: 'due_at', width: 150, sorter: !!onSort, sortOrder: orderOf('due_at'), render: (v, c) => (c.isOpen ? formatDateTime(v, locale) : '—') },
    { title: t('case.createdAt'), dataIndex: 'createdAt', key: 'created_at', width: 150, sorter: !!onSort, sortOrder: orderOf('created_at'), render: (v) => formatDateTime(v, locale) },
  ];
  return (
    <Table<CaseListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination}
      scroll={{ x: 980 }}
      locale={{ emptyText: t('list.empty') }}
      onRow={(c) => ({ 'data-case-no': c.caseNo } as any)}
      aria-label={caption}
      onChange={(_p, _f, sorter, extra) => {
        // antd reports every change here, paging included; only a new sort order is ours to handle
        // (answering a page change with onSort would send the user back to page 1)
        if (!onSort || extra.action !== 'sort' || Array.isArray(sorter)) return;
        const key = sorter.columnKey === 'due_at' ? 'due_at' : 'created_at';
        onSort(sorter.order === 'ascend' ? key : sorter.order === 'descend' ? `-${key}` : '-created_at');
      }}
    />
  );
}
