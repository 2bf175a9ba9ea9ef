// Follow a reported problem with its number and tracking token, and rate the result.
import { useState } from 'react';
import { useSearchParams, Link } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Form, Image, Input, Radio, Space, Tag, Timeline, Typography } from 'antd';
import { useI18n, type Label } from '../../i18n/index.tsx';
import { api, ApiError, withQuery } from '../../api/client.ts';
import { useApi } from '../../lib/useApi.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorNote } from '../../components/Page.tsx';
import { PortalLayout } from './PortalLayout.tsx';
import { errorText } from '../../lib/forms.ts';
import { TrackForm } from './TrackForm.tsx';

interface PublicCase {
  caseNo: string; title: string; category: { code: string; name: Label }; state: string; stateLabel: Label; outcome: string | null;
  createdAt: string; closedAt: string | null; rating: string | null; canRate: boolean;
  handlingUnit: Label | null; expectedBy: string | null; expectedKind?: 'acceptance' | 'completion' | null; supporters?: number; joined?: boolean;
  timeline: Array<{ action: string; label: Label; state: string | null; stateLabel: Label; outcome: string | null; at: string; note?: string; rating?: string; photos?: number[] }>;
}

export default function PortalTrack() {
  const { t, pick, locale } = useI18n();
  const [params] = useSearchParams();
  const caseNo = params.get('caseNo') ?? '';
  const token = params.get('token') ?? '';
  const url = caseNo && token ? withQuery(`/api/v1/portal/cases/${encodeURIComponent(caseNo)}`, { token }) : null;
  const r = useApi<PublicCase>(url);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = r.data;

  const rate = async (v: { rating: string; comment?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api(withQuery(`/api/v1/portal/cases/${encodeURIComponent(caseNo)}/rate`, { token }), { body: { rating: v.rating, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) } });
      r.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PortalLayout>
      <Link to="/portal">← {t('portal.back')}</Link>
      {!url && (
        <Card size="small" title={t('portal.track')} style={{ marginTop: 12 }} data-testid="portal-track-form">
          <Alert type="info" title={t('portal.needNumber')} style={{ marginBottom: 12 }} />
          <TrackForm caseNo={caseNo} />
        </Card>
      )}
      {r.error && <div style={{ marginTop: 12 }}><ErrorNote error={r.error.status === 404 ? new ApiError(404, 'not_found', t('portal.notFound')) : r.error} /></div>}
      {c && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="portal-case" data-state={c.state}>
          <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{c.title}</Typography.Title>
          <div>{c.caseNo} · {pick(c.category.name)}</div>
          <div style={{ margin: '8px 0' }}><Tag color={c.outcome === 'resolved' ? 'green' : c.outcome ? 'default' : 'blue'} data-testid="portal-state">{pick(c.stateLabel)}</Tag>
            {c.rating && <Tag>{t(`rating.${c.rating}` as 'rating.satisfied')}</Tag>}</div>
          <Descriptions size="small" column={1} style={{ marginBottom: 8 }} data-testid="portal-facts">
            <Descriptions.Item label={t('portal.handlingUnit')}>{c.handlingUnit ? pick(c.handlingUnit) : t('portal.notYetDispatched')}</Descriptions.Item>
            {c.expectedBy && <Descriptions.Item label={t(c.expectedKind === 'acceptance' ? 'portal.acceptBy' : 'portal.expectedBy')}>{formatDateTime(c.expectedBy, locale)}</Descriptions.Item>}
            {!!c.supporters && <Descriptions.Item label={t('portal.supporters')}>{t('portal.supportersCount', { n: c.supporters })}</Descriptions.Item>}
          </Descriptions>
          {c.joined && <Alert type="info" showIcon title={t('portal.joinedView')} style={{ marginBottom: 8 }} />}
          <Timeline items={c.timeline.map((f, i) => ({
            key: i,
            color: f.outcome === 'resolved' ? 'green' : 'blue',
            content: <div><span className="gz-flow-time">{formatDateTime(f.at, locale)}</span> <strong>{pick(f.label)}</strong> → {pick(f.stateLabel)}{f.note && <div className="gz-timeline-note">{f.note}</div>}
              {f.photos?.length ? <Image.PreviewGroup><Space wrap style={{ marginTop: 4 }} data-testid="after-photos">{f.photos.map((id) => (
                <Image key={id} width={96} height={72} style={{ objectFit: 'cover' }} alt={t('portal.afterPhoto')}
                  src={withQuery(`/api/v1/portal/cases/${encodeURIComponent(caseNo)}/photos/${id}`, { token })} />
              ))}</Space></Image.PreviewGroup> : null}
              {f.rating && <div>{t(`rating.${f.rating}` as 'rating.satisfied')}</div>}</div>,
          }))} />
          {c.canRate && (
            <Card size="small" title={t('portal.rateTitle')} style={{ marginTop: 8 }}>
              {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 8 }} />}
              <Form layout="vertical" name="portal-rate" onFinish={rate}>
                <Form.Item name="rating" label={t('action.rating')} rules={[{ required: true, message: t('form.required') }]}>
                  <Radio.Group optionType="button" buttonStyle="solid"
                    options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((x) => ({ value: x, label: t(`rating.${x}`) }))} />
                </Form.Item>
                <Form.Item name="comment" label={t('portal.comment')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
                <Button type="primary" htmlType="submit" loading={busy} data-testid="portal-rate-submit">{t('portal.rate')}</Button>
              </Form>
            </Card>
          )}
        </Card>
      )}
    </PortalLayout>
  );
}
