// 知识库: the centre's answers to what callers ask. Everyone on staff searches it; the centre writes,
// re-dates and retires articles (knowledge.write).
import { useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/index.tsx';
import { useMe } from '../../lib/auth.tsx';
import { can } from '../../lib/abilities.ts';
import { useApi } from '../../lib/useApi.ts';
import { api, withQuery } from '../../api/client.ts';
import { CategoryPicker } from '../../components/Pickers.tsx';
import { ErrorNote, PageTitle } from '../../components/Page.tsx';
import { useCategories } from '../../lib/lookups.ts';
import { errorText } from '../../lib/forms.ts';

export interface Article {
  id: number; regionCode: string; categoryCode: string | null; title: string; question: string | null; answer: string;
  keywords: string[]; source: string | null; validFrom: string | null; validTo: string | null; active: boolean; inForce: boolean;
  score?: number; updatedAt: string;
}

export default function Knowledge() {
  const { t, pick } = useI18n();
  const me = useMe();
  const editor = can(me, 'knowledge.write');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Article | 'new' | null>(null);
  const cats = useCategories('staff');
  const catName = (code: string | null) => (code ? pick(cats?.byCode.get(code)?.name, code) : '—');
  const path = useMemo(() => withQuery('/api/v1/knowledge/articles', { q: q.trim() || undefined, category, all: editor ? 'true' : undefined, page, pageSize: 20 }), [q, category, editor, page]);
  const list = useApi<{ items: Article[]; page: number; hasMore: boolean }>(path);
  return (
    <div>
      <PageTitle extra={editor && <Button type="primary" onClick={() => setEditing('new')} data-testid="kb-new">{t('kb.new')}</Button>}>{t('kb.title')}</PageTitle>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('kb.searchPlaceholder')} aria-label={t('kb.searchPlaceholder')} style={{ width: 360 }} onSearch={(v) => { setQ(v); setPage(1); }} data-testid="kb-search" />
          <div style={{ width: 260 }}><CategoryPicker value={category} onChange={(v) => { setCategory(v); setPage(1); }} placeholder={t('kb.anyCategory')} /></div>
        </Space>
        {list.error && <ErrorNote error={list.error} />}
        <Table<Article> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: (page - 1) * 20 + (list.data?.items.length ?? 0) + (list.data?.hasMore ? 1 : 0), onChange: setPage, showSizeChanger: false }}
          expandable={{ expandedRowRender: (a) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{a.answer}</Typography.Paragraph> }}
          columns={[
            { title: t('kb.articleTitle'), dataIndex: 'title', render: (v, a) => (editor ? <a onClick={() => setEditing(a)}>{v}</a> : v) },
            { title: t('case.category'), width: 140, render: (_, a) => catName(a.categoryCode) },
            { title: t('kb.keywords'), width: 220, render: (_, a) => a.keywords.map((k) => <Tag key={k}>{k}</Tag>) },
            { title: t('kb.valid'), width: 200, render: (_, a) => `${a.validFrom ?? t('kb.noStart')} ~ ${a.validTo ?? t('kb.noEnd')}` },
            { title: t('kb.status'), width: 90, render: (_, a) => (a.inForce ? <Tag color="green">{t('kb.inForce')}</Tag> : <Tag>{a.active ? t('kb.outOfDate') : t('kb.retired')}</Tag>) },
          ]} />
      </Card>
      {editing && <ArticleDialog article={editing === 'new' ? null : editing} onClose={(saved) => { setEditing(null); if (saved) list.reload(); }} />}
    </div>
  );
}

function ArticleDialog({ article, onClose }: { article: Article | null; onClose(saved: boolean): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    let v: any;
    try { v = await form.validateFields(); } catch { return; }
    const [from, to] = (v.valid ?? []) as [Dayjs | null, Dayjs | null];
    const body = {
      title: v.title.trim(), question: v.question?.trim() || null, answer: v.answer.trim(), categoryCode: v.categoryCode ?? null,
      keywords: v.keywords ?? [], source: v.source?.trim() || null,
      validFrom: from ? from.format('YYYY-MM-DD') : null, validTo: to ? to.format('YYYY-MM-DD') : null,
      ...(article ? { active: v.active } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      await api(article ? `/api/v1/knowledge/articles/${article.id}` : '/api/v1/knowledge/articles', { method: article ? 'PATCH' : 'POST', body });
      message.success(t('kb.saved'));
      onClose(true);
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <Modal open title={article ? t('kb.edit') : t('kb.new')} onCancel={() => onClose(false)} onOk={save} confirmLoading={busy} okText={t('common.save')} width={720} destroyOnHidden>
      {error && <Typography.Text type="danger" role="alert">{error}</Typography.Text>}
      <Form form={form} layout="vertical" initialValues={article ? {
        ...article, valid: [article.validFrom ? dayjs(article.validFrom) : null, article.validTo ? dayjs(article.validTo) : null],
      } : { keywords: [], active: true }}>
        <Form.Item name="title" label={t('kb.articleTitle')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="categoryCode" label={t('case.category')}><CategoryPicker /></Form.Item>
        <Form.Item name="question" label={t('kb.question')}><Input maxLength={2000} /></Form.Item>
        <Form.Item name="answer" label={t('kb.answer')} rules={[{ required: true, whitespace: true, message: t('form.required') }]}><Input.TextArea rows={5} maxLength={4000} showCount /></Form.Item>
        <Form.Item name="keywords" label={t('kb.keywords')} extra={t('kb.keywordsHint')}><Select mode="tags" tokenSeparators={[',', '，', ' ']} open={false} /></Form.Item>
        <Form.Item name="source" label={t('kb.source')}><Input maxLength={300} /></Form.Item>
        <Form.Item name="valid" label={t('kb.valid')}><DatePicker.RangePicker allowEmpty={[true, true]} /></Form.Item>
        {article && <Form.Item name="active" label={t('kb.activeSwitch')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}
