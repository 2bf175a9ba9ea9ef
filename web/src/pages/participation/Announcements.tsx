// 通知公告 for staff: compose a notice to the residents of a region of the territory, and see how many of
// them have read each one (reads against the region's resident accounts).
import { useState } from 'react';
import { Button, Card, Col, Form, Input, List, Modal, Progress, Row, Space, Table, Typography } from 'antd';
import { useI18n } from '../../i18n/index.tsx';
import { api } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { RegionTreeSelect } from '../../components/Pickers.tsx';
import { useRun, useSubmit } from './shared.ts';

interface Announcement {
  id: number; regionCode: string; regionName: string | null; title: string; body: string; publishedAt: string; publishedBy: string; reads: number; audience: number;
}

/** Who has not read a notice: the region's resident accounts, masked as the walls name them, with their community. */
function Unread({ a, onClose }: { a: Announcement; onClose(): void }) {
  const { t } = useI18n();
  const d = useApi<{ unread: number; audience: number; items: Array<{ name: string; regionName: string | null }> }>(`/api/v1/participation/announcements/${a.id}/unread`);
  return (
    <Modal open title={t('pt.ann.unreadTitle', { title: a.title })} onCancel={onClose} footer={null} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('pt.ann.unreadHint')}</Typography.Paragraph>
      <ErrorNote error={d.error} />
      <List size="small" loading={d.loading} dataSource={d.data?.items ?? []} data-testid="unread-list" locale={{ emptyText: t('pt.ann.unreadNone') }}
        renderItem={(x) => <List.Item><Space size={12}>{x.name}{x.regionName && <Typography.Text type="secondary">{x.regionName}</Typography.Text>}</Space></List.Item>} />
      {d.data && d.data.unread > d.data.items.length && <Typography.Text type="secondary">{t('pt.ann.unreadMore', { n: d.data.unread - d.data.items.length })}</Typography.Text>}
    </Modal>
  );
}

export default function Announcements() {
  const { t, locale } = useI18n();
  const me = useMe();
  const run = useRun();
  const list = useApi<{ items: Announcement[] }>('/api/v1/participation/announcements');
  const [form] = Form.useForm();
  const sub = useSubmit();
  const busy = sub.pending;
  const publish = (v: { regionCode: string; title: string; body: string }) => sub.submit(async (headers) => {
    const ok = await run(() => api('/api/v1/participation/announcements', { body: v, headers }), 'pt.ann.published');
    if (ok) { form.resetFields(); list.reload(); }
    return ok;
  });
  const composer = can(me, 'participation.announce');
  const [unreadOf, setUnreadOf] = useState<Announcement | null>(null);
  const table = (
    <Card size="small" title={t('pt.ann.list')}>
      <ErrorNote error={list.error} />
      <Table<Announcement> size="small" rowKey="id" loading={list.loading} dataSource={list.data?.items ?? []} data-testid="announcements"
        locale={{ emptyText: t('pt.ann.empty') }} pagination={{ pageSize: 10, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (a) => <Typography.Paragraph className="gz-typed" style={{ margin: 0 }}>{a.body}</Typography.Paragraph> }}
        columns={[
          { title: t('pt.ann.title'), dataIndex: 'title' },
          { title: t('pt.ann.region'), width: 140, render: (_, a) => a.regionName ?? '—' },
          { title: t('pt.ann.publishedAt'), width: 150, render: (_, a) => <>{formatDateTime(a.publishedAt, locale)}<div><Typography.Text type="secondary">{a.publishedBy}</Typography.Text></div></> },
          { title: t('pt.ann.reads'), width: 170, render: (_, a) => (
            <div data-testid="read-count">
              <Typography.Text>{t('pt.ann.readCount', { reads: a.reads, audience: a.audience })}</Typography.Text>
              <Progress size="small" showInfo={false} percent={a.audience ? Math.round((100 * a.reads) / a.audience) : 0} />
              {a.audience > a.reads && <Button type="link" size="small" style={{ padding: 0 }} data-testid="unread-open" onClick={() => setUnreadOf(a)}>{t('pt.ann.unreadOpen', { n: a.audience - a.reads })}</Button>}
            </div>
          ) },
        ]} />
      {unreadOf && <Unread a={unreadOf} onClose={() => setUnreadOf(null)} />}
    </Card>
  );
  return (
    <div data-testid="pt-announcements">
      <PageTitle>{t('pt.ann.pageTitle')}</PageTitle>
      <Row gutter={[16, 16]}>
        {composer && (
          <Col xs={24} xl={9}>
            <Card size="small" title={t('pt.ann.compose')}>
              <Form form={form} layout="vertical" name="announcement" onFinish={publish} initialValues={{ regionCode: me.regionCode }}>
                <Form.Item name="regionCode" label={t('pt.ann.to')} rules={[{ required: true, message: t('form.required') }]}><RegionTreeSelect rootCode={me.regionCode} /></Form.Item>
                <Form.Item name="title" label={t('pt.ann.title')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
                <Form.Item name="body" label={t('pt.ann.body')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input.TextArea rows={5} maxLength={10000} /></Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>{t('pt.ann.publish')}</Button>
              </Form>
            </Card>
          </Col>
        )}
        <Col xs={24} xl={composer ? 15 : 24}>{table}</Col>
      </Row>
    </div>
  );
}
