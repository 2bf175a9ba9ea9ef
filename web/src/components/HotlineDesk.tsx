// The hotline desk beside the entry form: the caller's earlier tickets as the phone is typed (with the
// repeat-caller mark), and 即时办结 — a question answered on the call, filed and closed in one step.
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
  const value = phone?.trim() ?? '';
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

/** 即时办结: the answer given on the call; closing needs no location (the ticket belongs to the hotline's region). */
export function AnswerOnCall({ value, onChange, onClose, busy }: {
  value: string; onChange(v: string): void; onClose(): void; busy: boolean;
}) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('hd.answerOnCall')} style={{ marginBottom: 12 }} data-testid="answer-on-call">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('hd.answerOnCallHint')}</Typography.Paragraph>
      <Input.TextArea rows={3} maxLength={2000} showCount value={value} onChange={(e) => onChange(e.target.value)}
        placeholder={t('hd.answerPlaceholder')} data-testid="on-call-answer" />
      <Button type="primary" ghost style={{ marginTop: 8 }} loading={busy} disabled={!value.trim()} onClick={onClose} data-testid="close-on-call">
        {t('hd.closeOnCall')}
      </Button>
    </Card>
  );
}
