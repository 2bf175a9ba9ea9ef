// The hotline desk beside the entry form: the caller's earlier tickets as the phone is typed (with the
// repeat-caller mark), and 即时办结 — a question answered on the call, filed and closed in one step.
import { normalizePhone } from '../lib/phone.ts';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { formatDateTime } from '../lib/format.ts';
import { errorText } from '../lib/forms.ts';

export const APPEAL_KINDS = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];

interface History {
  phoneMasked: string; count: number; openCount: number; repeat: boolean;
  items: Array<{ id: number; caseNo: string; title: string; stateLabel: { zh: string; en: string }; appealKind: string | null; isOpen: boolean; createdAt: string }>;
}

const FULL_PHONE = /^\+?\d[\d-]{6,19}$/;

/** The caller's earlier tickets, looked up (after a short pause in typing) once the phone is complete. */
export function CallerHistory({ phone }: { phone: string | undefined }) {
  const { t, pick, tk, locale } = useI18n();
  const [data, setData] = useState<History | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = normalizePhone(phone?.trim() ?? '');
  useEffect(() => {
    setData(null);
    setError(null);
    if (!FULL_PHONE.test(value) || value.replace(/\D/g, '').length < 7) return;
    let live = true;
    const timer = setTimeout(() => {
      api<History>('/api/v1/callers/history', { body: { phone: value } })
        .then((h) => { if (live) setData(h); })
        .catch((e) => { if (live) setError(errorText(e)); });
    }, 300);
    return () => { live = false; clearTimeout(timer); };
  }, [value]);
  if (error) return <Alert type="warning" showIcon title={error} style={{ marginBottom: 12 }} />;
  if (!data) return null;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="caller-history"
      title={<Space>{t('hd.callerHistory')}{data.repeat
        ? <Tag color="orange" data-testid="repeat-caller">{t('hd.repeatCaller', { n: data.count })}</Tag>
        : <Tag>{t('hd.firstCall')}</Tag>}{data.openCount > 0 && <Tag color="blue">{t('hd.openTickets', { n: data.openCount })}</Tag>}</Space>}>
      {data.items.length === 0
        ? <Typography.Text type="secondary">{t('hd.noHistory')}</Typography.Text>
        : (
          <List size="small" dataSource={data.items} renderItem={(c) => (
            <List.Item>
              <Space wrap>
                <Link to={`/cases/${c.id}`} target="_blank">{c.caseNo}</Link>
                <span>{c.title}</span>
                {c.appealKind && <Tag>{tk('hd.kind.', c.appealKind)}</Tag>}
                <Tag color={c.isOpen ? 'processing' : 'default'}>{pick(c.stateLabel)}</Tag>
                <Typography.Text type="secondary">{formatDateTime(c.createdAt, locale)}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        )}
    </Card>
  );
}

interface KbArticle { id: number; title: string; answer: string; question: string | null; keywords: string[]; score?: number }

/** Knowledge-base articles matching what was typed (the caller's words), after a short pause in typing. */
function useKnowledge(text: string): KbArticle[] | null {
  const [items, setItems] = useState<KbArticle[] | null>(null);
  useEffect(() => {
    const q = text.trim().slice(0, 500);
    if (!q) { setItems(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      api<{ items: KbArticle[] }>('/api/v1/knowledge/articles', { query: { q, pageSize: 3 } })
        .then((r) => { if (live) setItems(r.items); })
        .catch(() => { if (live) setItems([]); });
    }, 350);
    return () => { live = false; clearTimeout(timer); };
  }, [text]);
  return items;
}

/**
 * 即时办结: the answer given on the call, picked from the knowledge base (searched by what the operator
 * types: the caller's words, or a search of their own) or written; closing needs no location (the
 * ticket belongs to the hotline's region).
 */
export function AnswerOnCall({ value, onChange, onClose, busy, text, knowledge }: {
  value: string; onChange(v: string): void; onClose(): void; busy: boolean;
  /** What the operator has typed about the call (title and description). */
  text: string;
  /** The user may read the knowledge base. */
  knowledge: boolean;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const items = useKnowledge(knowledge ? (search || text) : '');
  return (
    <Card size="small" title={t('hd.answerOnCall')} style={{ marginBottom: 12 }} data-testid="answer-on-call">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('hd.answerOnCallHint')}</Typography.Paragraph>
      {knowledge && (
        <div style={{ marginBottom: 8 }}>
          <Input.Search allowClear placeholder={t('kb.searchOnCall')} aria-label={t('kb.searchOnCall')} onChange={(e) => setSearch(e.target.value)} data-testid="kb-on-call-search" />
          {items && (items.length
            ? (
              <List size="small" header={<Typography.Text strong>{t('kb.suggestions')}</Typography.Text>} dataSource={items} data-testid="kb-suggestions"
                renderItem={(a) => (
                  <List.Item actions={[<Button key="use" size="small" onClick={() => onChange(a.answer)} data-testid={`kb-use-${a.id}`}>{t('kb.use')}</Button>]}>
                    <List.Item.Meta title={a.title} description={<Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{a.answer}</Typography.Paragraph>} />
                  </List.Item>
                )} />
            )
            : <Typography.Text type="secondary">{t('kb.noMatch')}</Typography.Text>)}
        </div>
      )}
      <Input.TextArea rows={3} maxLength={2000} showCount value={value} onChange={(e) => onChange(e.target.value)}
        placeholder={t('hd.answerPlaceholder')} aria-label={t('hd.answerOnCall')} data-testid="on-call-answer" />
      <Button type="primary" ghost style={{ marginTop: 8 }} loading={busy} disabled={!value.trim()} onClick={onClose} data-testid="close-on-call">
        {t('hd.closeOnCall')}
      </Button>
    </Card>
  );
}
