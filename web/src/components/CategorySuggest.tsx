// Category suggestions as the description is typed: the top 3 with their confidence, from the text model
// once it has learnt enough, from the category tree's names and keywords before that. A click picks one.
import { useEffect, useState } from 'react';
import { App, Button, Card, Space, Tooltip, Typography } from 'antd';
import { useI18n } from '../i18n/index.tsx';
import { api } from '../api/client.ts';
import { formatDateTime, formatPercent } from '../lib/format.ts';
import { useApi } from '../lib/useApi.ts';
import { errorText } from '../lib/forms.ts';

interface Suggested {
  source: 'model' | 'keywords';
  items: Array<{ categoryCode: string; categoryName: { zh: string; en: string } | null; confidence: number; words: { term: string }[] }>;
}

export function CategorySuggest({ text, caseType, value, onPick }: { text: string; caseType?: string; value?: string; onPick(code: string): void }) {
  const { t, pick } = useI18n();
  const [data, setData] = useState<Suggested | null>(null);
  useEffect(() => {
    const q = text.trim().slice(0, 5000);
    if (q.length < 2) { setData(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      api<Suggested>('/api/v1/intelligence/suggest', { body: { text: q, ...(caseType ? { type: caseType } : {}) } })
        .then((d) => { if (live) setData(d); })
        .catch(() => { if (live) setData(null); });
    }, 400);
    return () => { live = false; clearTimeout(timer); };
  }, [text, caseType]);
  if (!data?.items.length) return null;
  return (
    <div style={{ margin: '-12px 0 16px' }} data-testid="category-suggestions">
      <Space wrap size={6}>
        <Typography.Text type="secondary">{data.source === 'model' ? t('sg.fromModel') : t('sg.fromKeywords')}</Typography.Text>
        {data.items.map((s) => (
          <Tooltip key={s.categoryCode} title={s.words.length ? `${t('intel.keyWords')}: ${s.words.map((w) => w.term).join('、')}` : undefined}>
            <Button size="small" type={value === s.categoryCode ? 'primary' : 'default'} onClick={() => onPick(s.categoryCode)} data-testid={`category-suggestion-${s.categoryCode}`}>
              {pick(s.categoryName, s.categoryCode)} {formatPercent(s.confidence)}
            </Button>
          </Tooltip>
        ))}
      </Space>
    </div>
  );
}

interface ModelState { model: { version: string; trainedAt: string; trainingSize: number; seedExamples?: number; labels: number } | null }

/** The text model in force, and retraining it from the closed cases (intelligence.retrain). */
export function ModelCard() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const s = useApi<ModelState>('/api/v1/intelligence/model');
  const [busy, setBusy] = useState(false);
  const retrain = async () => {
    setBusy(true);
    try {
      const r = await api<{ examples: number; closedCases?: number; seedExamples?: number }>('/api/v1/intelligence/model/retrain', { body: {} });
      message.success(r.seedExamples ? t('sg.retrainedSeed', { n: r.closedCases ?? r.examples - r.seedExamples, s: r.seedExamples }) : t('sg.retrained', { n: r.examples }));
      s.reload();
    } catch (e) { message.error(errorText(e)); } finally { setBusy(false); }
  };
  const m = s.data?.model;
  return (
    <Card size="small" title={t('sg.model')} data-testid="model-card"
      extra={<Button size="small" loading={busy} onClick={retrain} data-testid="retrain">{t('sg.retrain')}</Button>}>
      <Typography.Text>{!m ? t('sg.noModelYet') : m.seedExamples
        ? t('sg.trainedOnSeed', { n: m.trainingSize - m.seedExamples, s: m.seedExamples, at: formatDateTime(m.trainedAt, locale) })
        : t('sg.trainedOn', { n: m.trainingSize, at: formatDateTime(m.trainedAt, locale) })}</Typography.Text>
      <br />
      <Typography.Text type="secondary">{t('sg.autoRetrain')}</Typography.Text>
    </Card>
  );
}
