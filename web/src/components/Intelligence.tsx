// Intelligent routing in the console: top-3 suggestions from the case text (dispatch form), duplicate
// candidates (merge form) and the hotspot list (dashboard). Data from the intelligence API.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, List, Progress, Space, Table, Tag, Typography } from 'antd';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useApi } from '../lib/useApi.ts';
import { formatDateTime, formatDistance, formatPercent } from '../lib/format.ts';
import { ErrorNote } from './Page.tsx';

type Name = { zh: string; en: string };
interface Unit { id: string; name: string; kind: string }
export interface TextSuggestion {
  categoryCode: string; categoryName: Name | null; confidence: number; words: { term: string; weight: number }[];
  leadUnitId: string | null; assistUnitIds: string[]; source: string; lead: Unit | null; assists: Unit[]; isCurrentCategory: boolean;
  /** Confident enough to be offered (the server's minConfidence). */
  reliable?: boolean;
}
export interface Suggestions {
  /** seedExamples: how many of trainingSize were seed texts (种子语料) rather than closed cases. */
  model: { version: string; trainedAt: string; labels: number; sizeBytes: number; trainingSize: number; seedExamples?: number } | null;
  autoDispatchThreshold: number | null;
  minConfidence?: number;
  suggestions: TextSuggestion[];
}
interface Duplicates {
  canMerge: boolean;
  items: Array<{ id: number; caseNo: string; title: string; state: string; stateLabel: Name; distanceMeters: number | null; score: number;
    parts: { text: number; distance: number | null; time: number }; createdAt: string }>;
}
interface Hotspots {
  items: Array<{ areaCode: string; areaName: string | null; categoryCode: string; categoryName: Name | null; title: string;
    representativeCaseId: number; count: number; reporters: number; heat: number; lastAt: string; caseIds: number[] }>;
}

/** The model's top 3 categories with confidence, key words and unit; "use" fills the dispatch form. */
export function TextSuggestions({ caseId, selectedLead, onUse }: {
  caseId: number; selectedLead?: string | null; onUse(leadUnitId: string, assistUnitIds: string[]): void;
}) {
  const { t, pick, locale } = useI18n();
  const s = useApi<Suggestions>(`/api/v1/cases/${caseId}/routing/suggestions`);
  // the one suggestion the dispatcher adopted (two categories may name the same unit: only this one is 已采用)
  const [adopted, setAdopted] = useState<number | null>(null);
  if (s.error) return <ErrorNote error={s.error} />;
  if (!s.data) return null;
  const shown = s.data.suggestions.filter((x) => x.reliable !== false);
  const model = s.data.model;
  const trained = model ? new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { month: 'long', day: 'numeric' }).format(new Date(model.trainedAt)) : '';
  if (!s.data.model && !s.data.suggestions.length) return <Alert type="warning" showIcon style={{ marginBottom: 12 }} data-testid="text-suggestions-none" title={t('intel.noModel')} />;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="text-suggestions"
      title={t('intel.suggestions')}
      // where the suggestions come from: the model, or before a model has learnt enough the category tree's names and
      // keywords — said only when there is a suggestion to come from it
      extra={model || shown.length > 0 ? <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="text-suggestions-source">
        {model ? (model.seedExamples
          ? t('intel.modelVersionSeed', { date: trained, count: model.trainingSize - model.seedExamples, seeds: model.seedExamples })
          : t('intel.modelVersion', { date: trained, count: model.trainingSize })) : t('intel.fromKeywords')}
        {s.data.autoDispatchThreshold != null ? ` · ${t('intel.autoThreshold', { percent: formatPercent(s.data.autoDispatchThreshold) })}` : ''}
      </Typography.Text> : null}>
      <List size="small" dataSource={shown} locale={{ emptyText: <span data-testid="text-suggestions-unreliable">{t('intel.noReliable')}</span> }} renderItem={(x, i) => {
        const inUse = adopted === i && !!x.leadUnitId && x.leadUnitId === selectedLead;
        return (
          <List.Item data-testid={`text-suggestion-${i}`}
            actions={[x.leadUnitId ? (
              <Button key="use" size="small" type={inUse ? 'primary' : 'default'} aria-pressed={inUse}
                onClick={() => { setAdopted(i); onUse(x.leadUnitId!, x.assistUnitIds); }}>{inUse ? t('intel.inUse') : t('intel.use')}</Button>
            ) : null]}>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space wrap size={6}>
                <Typography.Text strong>{x.categoryName ? pick(x.categoryName) : x.categoryCode}</Typography.Text>
                {x.isCurrentCategory && <Tag color="blue">{t('intel.currentCategory')}</Tag>}
                <Typography.Text type="secondary">→ <span data-testid="suggestion-unit">{x.lead?.name ?? '—'}</span></Typography.Text>
                {x.source !== 'responsibility_list' && <Tag>{t(`routingSource.${x.source}` as MessageKey)}</Tag>}
              </Space>
              <Progress percent={Math.round(x.confidence * 1000) / 10} size="small" aria-label={t('intel.confidence')}
                status={x.confidence >= (s.data!.autoDispatchThreshold ?? 2) ? 'success' : 'normal'} />
              {x.words.length > 0 && (
                <span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('intel.keyWords')}: </Typography.Text>
                  {x.words.map((w) => <Tag key={w.term} bordered={false} color="gold">{w.term}</Tag>)}
                </span>
              )}
            </Space>
          </List.Item>
        );
      }} />
    </Card>
  );
}

/** Similar open cases nearby and recent; "merge into this" fills the merge form. */
export function DuplicateCandidates({ caseId, onPick, hideEmpty }: { caseId: number; onPick(caseNo: string): void; hideEmpty?: boolean }) {
  const { t, locale, pick } = useI18n();
  const d = useApi<Duplicates>(`/api/v1/cases/${caseId}/duplicates`);
  if (d.error) return <ErrorNote error={d.error} />;
  if (!d.data) return null;
  if (!d.data.items.length) return hideEmpty ? null : <Typography.Paragraph type="secondary">{t('intel.noDuplicates')}</Typography.Paragraph>;
  const pct = (x: number | null) => (x == null ? '—' : formatPercent(x));
  return (
    <Card size="small" title={t('intel.duplicates')} style={{ marginBottom: 12 }} data-testid="duplicate-candidates">
      <List size="small" dataSource={d.data.items} renderItem={(x) => (
        <List.Item actions={[<Button key="pick" size="small" onClick={() => onPick(x.caseNo)}>{t('intel.mergeInto')}</Button>]}>
          <Space direction="vertical" size={0}>
            <span><Link to={`/cases/${x.id}`} target="_blank">{x.caseNo}</Link> {x.title} · {pick(x.stateLabel, x.state)}
              {x.distanceMeters != null ? ` · ${formatDistance(x.distanceMeters, locale)}` : ''}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('intel.score')} {pct(x.score)} ({t('intel.scoreParts', { text: pct(x.parts.text), distance: pct(x.parts.distance), time: pct(x.parts.time) })})
            </Typography.Text>
          </Space>
        </List.Item>
      )} />
    </Card>
  );
}

/** 热点问题 in the dashboard's region, hottest first. */
export function HotspotList({ region, days }: { region: string; days: number }) {
  const { t, pick, locale } = useI18n();
  const h = useApi<Hotspots>(`/api/v1/intelligence/hotspots?region=${region}&days=${Math.max(days, 7)}&limit=10`);
  return (
    <Card size="small" title={t('intel.hotspots')} data-testid="hotspots">
      <ErrorNote error={h.error} />
      <Table size="small" rowKey={(r) => `${r.areaCode}-${r.categoryCode}-${r.representativeCaseId}`} loading={h.loading}
        dataSource={h.data?.items ?? []} pagination={false} aria-label={t('intel.hotspots')} scroll={{ x: 560 }}
        locale={{ emptyText: t('intel.noHotspots') }}
        columns={[
          { title: t('intel.problem'), dataIndex: 'title', ellipsis: true,
            render: (v, r) => <span><Link to={`/cases/${r.representativeCaseId}`}>{v}</Link><br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.categoryName ? pick(r.categoryName) : r.categoryCode}</Typography.Text></span> },
          { title: t('intel.area'), dataIndex: 'areaName', ellipsis: true, width: 200, render: (v, r) => v ?? r.areaCode },
          { title: t('intel.cases'), dataIndex: 'count', align: 'right', width: 64 },
          { title: t('intel.reporters'), dataIndex: 'reporters', align: 'right', width: 76 },
          { title: t('intel.heat'), dataIndex: 'heat', align: 'right', width: 72, render: (v) => <Typography.Text strong style={{ color: '#d4380d' }}>{v}</Typography.Text> },
          { title: t('intel.lastAt'), dataIndex: 'lastAt', width: 140, render: (v) => formatDateTime(v, locale) },
        ]} />
    </Card>
  );
}
