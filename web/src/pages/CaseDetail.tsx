// Case detail: every field, the location, photos, the flow records, and exactly the actions that the
// case's state and my role allow (the server's `actions` list), each with its own form.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Image, Row, Skeleton, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, EyeOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { useMe } from '../lib/auth.tsx';
import { useApi } from '../lib/useApi.ts';
import { useLiveEvents } from '../lib/live.ts';
import { unitLabel, useCategories, useUnits } from '../lib/lookups.ts';
import { formatDateTime, formatMinutes } from '../lib/format.ts';
import { api, ApiError } from '../api/client.ts';
import { SlaLight, StateTag } from '../components/Sla.tsx';
import { ErrorNote } from '../components/Page.tsx';
import { ActionDialog } from '../components/ActionDialog.tsx';
import { useWorkflows } from '../lib/workflows.ts';
import { DuplicateCandidates } from '../components/Intelligence.tsx';
import { LazyMap } from '../components/map/index.tsx';
import type { CaseView, FlowRecord, Region } from '../api/types.ts';
import { errorText } from '../lib/forms.ts';
import { can, mayOpen } from '../lib/abilities.ts';
import { RegionPathText } from '../components/AddressField.tsx';


/** What a step's data says, in words, by what the step did (its effect in the case type's definition). */
function FlowDetails({ f }: { f: FlowRecord }) {
  const { t, locale, pick } = useI18n();
  const units = useUnits();
  const workflows = useWorkflows();
  const unitName = (id: string) => unitLabel(units, id);
  const d = f.data ?? {};
  const bits: string[] = [];
  if ((f.effect === 'assign' || f.effect === 'tiered_assign' || f.effect === 'pass_on') && d.leadUnitId) {
    if (d.level) bits.push(t(`hd.level.${d.level}` as MessageKey));
    bits.push(t('timeline.dispatchedTo', { unit: unitName(d.leadUnitId) }));
    if (d.assistUnitIds?.length) bits.push(t('timeline.assisted', { units: d.assistUnitIds.map(unitName).join('、') }));
  }
  if (f.effect === 'extension_request' && d.minutes) bits.push(t('timeline.extensionAsked', { time: formatMinutes(d.minutes, locale) }));
  if (f.effect === 'extension_grant' && d.minutes) bits.push(t('timeline.extensionGranted', { time: formatMinutes(d.minutes, locale) }));
  if (d.rating) bits.push(`${t('action.rating')}: ${t(`rating.${d.rating}` as MessageKey)}`);
  if (f.effect === 'summon_units' && d.summons) bits.push(t('timeline.summoned', { units: d.summons.map((s: any) => unitName(s.unitId)).join('、') }));
  if (f.effect === 'summons_report_in' && d.onTime != null) bits.push(d.onTime ? t('timeline.onTime') : t('timeline.late'));
  if (f.effect === 'return_to_dispatcher') bits.push(d.backTo ? t('hd.returnedTo', { unit: unitName(d.backTo) }) : t('hd.returnedToDispatch'));
  if (f.effect === 'supervision_with_deadline' && d.level) {
    bits.push(t('hd.supervision', { level: t(`level.${d.level}` as MessageKey), due: formatDateTime(d.dueAt, locale), n: d.count }));
  }
  if (f.effect === 'merge_into' && d.intoCaseId) bits.push(t('timeline.mergedInto', { id: d.intoCaseNo ?? d.intoCaseId }));
  if (f.effect === 'switch_type' && d.toType) {
    bits.push(t('timeline.typeChanged', { from: pick(workflows?.def(d.fromType, d.fromVersion)?.name, d.fromType), to: pick(workflows?.def(d.toType, d.toVersion)?.name, d.toType) }));
  }
  return bits.length ? <div>{bits.join(' · ')}</div> : null;
}

function Photos({ ids }: { ids: number[] }) {
  const { t } = useI18n();
  if (!ids.length) return <Typography.Text type="secondary">{t('case.noPhotos')}</Typography.Text>;
  return (
    <Image.PreviewGroup>
      <div className="gz-photo-grid">
        {ids.map((id) => (
          <Image key={id} src={`/api/v1/attachments/${id}`} width={112} height={112} style={{ objectFit: 'cover', borderRadius: 6 }}
            alt={t('case.photoAlt', { id })} fallback="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='112' height='112'%3E%3Crect width='112' height='112' fill='%23eef2f6'/%3E%3Ctext x='56' y='60' font-size='12' text-anchor='middle' fill='%2364748b'%3EPDF%3C/text%3E%3C/svg%3E" />
        ))}
      </div>
    </Image.PreviewGroup>
  );
}

export default function CaseDetail() {
  const { id } = useParams();
  const { t, pick, tk, locale } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const caseRes = useApi<CaseView>(`/api/v1/cases/${id}`);
  const tl = useApi<{ items: FlowRecord[] }>(`/api/v1/cases/${id}/timeline`);
  const c = caseRes.data;
  // the case names its region itself (a grid a split retired, or a sibling grid, is not in the reader's region tree)
  const region = useApi<Region>(c && !c.regionPath ? `/api/v1/regions/${c.regionCode}` : null);
  const regionName = c?.regionPath ? c.regionPath.at(-1)?.name : region.data?.name;
  const gridShape = useApi<GeoJSON.FeatureCollection>(c && c.regionCode.length >= 14 ? `/api/v1/regions/${c.regionCode}/grids` : null);
  const cats = useCategories();
  const units = useUnits();
  const workflows = useWorkflows();
  const [action, setAction] = useState<string | null>(null);
  const [preset, setPreset] = useState<Record<string, unknown> | undefined>(undefined);
  const [revealed, setRevealed] = useState<{ name: string | null; phone: string | null; mergedCallers?: Array<{ caseId: number; caseNo: string; name: string | null; phone: string }> } | null>(null);
  useLiveEvents((e) => { if (!e.caseId || String(e.caseId) === id) { caseRes.reload(); tl.reload(); } });

  const photos = useMemo(() => [...new Set((tl.data?.items ?? []).flatMap((f) => f.attachmentIds))], [tl.data]);

  if (caseRes.error) {
    return (
      <div data-testid="case-error">
        <Link to="/cases"><ArrowLeftOutlined /> {t('case.backToList')}</Link>
        <div style={{ marginTop: 12 }}>
          <ErrorNote error={caseRes.error.status === 404 ? new ApiError(404, 'not_found', t('case.notVisible')) : caseRes.error} />
        </div>
      </div>
    );
  }
  if (!c) return <Skeleton active />;

  const category = cats?.byCode.get(c.categoryCode);
  const unitName = (uid: string | null) => (uid ? unitLabel(units, uid) : '—');
  const actions = c.actions ?? [];
  const style = (a: string) => workflows?.action(c, a)?.style;
  const ordered = [...actions].sort((a, b) => Number(style(b) === 'primary') - Number(style(a) === 'primary'));
  const mergeAction = workflows?.openWithEffect(c, 'merge_into') ?? null;
  const reveal = async () => {
    try { setRevealed(await api(`/api/v1/cases/${c.id}/reporter/reveal`, { body: { purpose: t('case.revealPurposeView') } })); }
    catch (e) { message.error(errorText(e)); }
  };

  return (
    <div data-testid="case-detail" data-case-id={c.id} data-state={c.state}>
      <Link to={me.role === 'department' || me.role === 'grid_worker' ? '/inbox' : '/cases'}><ArrowLeftOutlined /> {t('case.backToList')}</Link>
      <div className="gz-case-head">
        <Typography.Title level={2} style={{ margin: '8px 0 4px', fontSize: 22 }}>{c.title}</Typography.Title>
        <Space wrap size={[8, 4]}>
          <Typography.Text copyable={{ text: c.caseNo }} strong data-testid="case-no">{c.caseNo}</Typography.Text>
          <StateTag c={c} />
          {c.isOpen && <SlaLight light={c.sla.light} dueAt={c.sla.dueAt} remaining={c.sla.remainingMinutes} paused={c.sla.paused} showDue />}
          <Tag>{pick(c.typeName)}</Tag>
          {/* a dispute or a petition (a case converted to one, too) has its own page: the mediation or petition record */}
          {c.type === 'dispute' && mayOpen(me, `/mediation/disputes/${c.id}`) && <Link to={`/mediation/disputes/${c.id}`} data-testid="module-page">{t('case.openDispute')}</Link>}
          {c.type === 'petition' && mayOpen(me, `/petitions/${c.id}`) && <Link to={`/petitions/${c.id}`} data-testid="module-page">{t('case.openPetition')}</Link>}
          {c.urgency !== 'normal' && <Tag color="red">{t(`urgency.${c.urgency}` as MessageKey)}</Tag>}
          {c.supervised && <Tag color="volcano">{t('case.supervised')}</Tag>}
          {c.whistleLevel && <Tag color="gold">{t('case.whistled', { level: t(`level.${c.whistleLevel}` as MessageKey) })}</Tag>}
        </Space>
      </div>

      <Card size="small" title={t('case.actions')} style={{ margin: '12px 0' }} data-testid="case-actions">
        {/* the buttons wait for the type's definitions: never an action's code where its name belongs */}
        {ordered.length && !workflows ? <Spin size="small" aria-label={t('common.loading')} /> : ordered.length ? (
          <Space wrap>
            {ordered.map((a) => (
              <Button key={a} type={style(a) === 'primary' ? 'primary' : 'default'} danger={style(a) === 'danger'} onClick={() => setAction(a)} data-action={a}>
                {pick(workflows?.action(c, a)?.label, a)}
              </Button>
            ))}
          </Space>
        ) : <Typography.Text type="secondary">{c.isOpen ? t('case.noActionsForYou') : t('case.closedNoActions')}</Typography.Text>}
        {c.extensionRequest && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }}
            title={t('case.extensionPending', { time: formatMinutes(c.extensionRequest.minutes, locale), reason: c.extensionRequest.reason })} />
        )}
      </Card>
      {mergeAction && (
        <DuplicateCandidates caseId={c.id} hideEmpty onPick={(intoCaseId) => { setPreset({ intoCaseId }); setAction(mergeAction); }} />
      )}

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={t('case.details')}>
            <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered styles={{ label: { whiteSpace: 'nowrap', width: 1 } }}>
              <Descriptions.Item label={t('case.description')} span="filled"><div className="gz-timeline-note">{c.description}</div></Descriptions.Item>
              <Descriptions.Item label={t('case.category')} span="filled">{category ? pick(category.name) : c.categoryCode} <Typography.Text type="secondary">({c.categoryCode})</Typography.Text></Descriptions.Item>
              <Descriptions.Item label={t('case.type')}>{pick(c.typeName)}</Descriptions.Item>
              {c.appealKind && <Descriptions.Item label={t('hd.appealKind')}>{tk('hd.kind.', c.appealKind)}</Descriptions.Item>}
              <Descriptions.Item label={t('case.channel')}>{t(`channel.${c.channel}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('case.urgency')}>{t(`urgency.${c.urgency}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('case.region')}>
                {c.regionPath ? <span data-testid="region-path" title={c.regionCode}>{c.regionName || regionName || '—'}</span> : <RegionPathText code={c.regionCode} fallback={region.data?.name} />}
              </Descriptions.Item>
              <Descriptions.Item label={t('case.address')} span="filled">{c.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('case.reporter')} span="filled">
                {revealed ? <span data-testid="reporter-revealed">{revealed.name} {revealed.phone}</span>
                  : <>{c.reporter.nameMasked ?? (c.reporter.userId ? t('case.registeredResident') : '—')} {c.reporter.phoneMasked ?? ''}</>}
                {!revealed && c.reporter.phoneMasked && can(me, 'case.reveal_reporter') && (
                  <Button size="small" type="link" icon={<EyeOutlined />} onClick={reveal}>{t('case.reveal')}</Button>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('case.leadUnit')}>{unitName(c.leadUnitId)}</Descriptions.Item>
              <Descriptions.Item label={t('case.suggested')}>{unitName(c.suggestion.leadUnitId)}</Descriptions.Item>
              <Descriptions.Item label={t('case.createdAt')}>{formatDateTime(c.createdAt, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('case.updatedAt')}>{formatDateTime(c.updatedAt, locale)}</Descriptions.Item>
              {/* a step's deadline and time limit belong to an open case; an ended one has its closing time below instead */}
              {c.isOpen && <Descriptions.Item label={t('case.dueAt')}>{formatDateTime(c.sla.dueAt, locale)}</Descriptions.Item>}
              {c.isOpen && (
                <Descriptions.Item label={t('case.timeLimit')}>
                  <span data-testid="step-time-limit">
                    {c.sla.limitMinutes != null ? `${formatMinutes(c.sla.limitMinutes, locale)} · ${t(`timeMode.${c.sla.timeMode}` as MessageKey)}` : '—'}
                  </span>
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('case.closedAt')}>{formatDateTime(c.closedAt, locale)}</Descriptions.Item>
              <Descriptions.Item label={t('case.rating')}>{c.rating ? t(`rating.${c.rating}` as MessageKey) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('case.counters')} span="filled">
                {t('case.counterLine', { urge: c.urgeCount, redo: c.redoCount, rework: c.reworkCount, ret: c.returnCount })}
              </Descriptions.Item>
              {c.mergedInto && <Descriptions.Item label={t('case.mergedInto')} span="filled"><Link to={`/cases/${c.mergedInto}`}>{c.mergedIntoCaseNo ?? c.mergedInto}</Link></Descriptions.Item>}
              {!!c.mergedCallers?.length && (
                <Descriptions.Item label={t('hd.mergedCallers')} span="filled">
                  {c.mergedCallers.map((m) => {
                    const clear = revealed?.mergedCallers?.find((x) => x.caseId === m.id);
                    return <div key={m.id}><Link to={`/cases/${m.id}`}>{m.caseNo}</Link> {clear ? `${clear.name ?? ''} ${clear.phone}` : `${m.nameMasked ?? ''} ${m.phoneMasked ?? ''}`}</div>;
                  })}
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          {!!c.assignments?.length && (
            <Card size="small" title={t('case.assignments')} style={{ marginTop: 16 }}>
              <Table size="small" rowKey={(a) => `${a.unitId}-${a.role}-${a.assignedAt}`} pagination={false} dataSource={c.assignments} scroll={{ x: 560 }}
                columns={[
                  { title: t('case.unit'), render: (_, a) => unitName(a.unitId) },
                  { title: t('case.assignmentRole'), render: (_, a) => t(`assignRole.${a.role}` as MessageKey) },
                  { title: t('case.assignmentStatus'), render: (_, a) => t(`assignStatus.${a.status}` as MessageKey) },
                  { title: t('case.assignedAt'), render: (_, a) => formatDateTime(a.assignedAt, locale) },
                  { title: t('case.reportedInAt'), render: (_, a) => (a.role === 'summoned' ? formatDateTime(a.reportedInAt, locale) : '—') },
                ]} />
            </Card>
          )}
          <Card size="small" title={t('case.photos')} style={{ marginTop: 16 }}>
            <Photos ids={photos} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('case.location')}>
            {c.lat != null && c.lng != null
              ? <LazyMap ariaLabel={t('case.mapLabel', { address: c.address ?? '' })} marker={[c.lng, c.lat]} grids={gridShape.data} highlight={c.regionCode} fit={gridShape.data?.features?.length ? 'grids' : 'marker'}
                  outlinesUrl={`/api/v1/regions/${c.regionCode.slice(0, 9)}/outlines`} placesUrl="/api/v1/addresses" />
              : gridShape.data?.features?.length
                ? <LazyMap ariaLabel={t('case.mapLabel', { address: regionName ?? '' })} grids={gridShape.data} highlight={c.regionCode} fit="grids" />
                : <Empty description={t('case.noLocation')} />}
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {[c.lat != null ? `${c.lat.toFixed(5)}, ${c.lng?.toFixed(5)}` : null, regionName].filter(Boolean).join(' · ')}
            </Typography.Paragraph>
          </Card>
          <Card size="small" title={t('case.timeline')} style={{ marginTop: 16 }} data-testid="timeline">
            {tl.data ? (
              <Timeline
                items={tl.data.items.map((f) => ({
                  key: f.seq,
                  color: f.action === 'overdue' || f.style === 'danger' ? 'red' : f.toOutcome === 'resolved' ? 'green' : 'blue',
                  content: (
                    <div data-flow-action={f.action}>
                      <Typography.Text type="secondary" className="gz-flow-time">{formatDateTime(f.at, locale)}</Typography.Text>{' '}
                      <Typography.Text strong>{pick(f.actionLabel)}</Typography.Text>
                      {f.fromState !== f.toState && f.toState && (
                        <Typography.Text type="secondary"> → {pick(f.toStateLabel, f.toState)}</Typography.Text>
                      )}
                      <div>
                        <Typography.Text type="secondary">
                          {f.actorKind === 'system' ? t('timeline.system') : [f.actor?.name, f.unit?.name].filter(Boolean).join(' · ')}
                          {!!f.workingMinutesUsed && ` · ${t('timeline.used', { time: formatMinutes(f.workingMinutesUsed, locale) })}`}
                        </Typography.Text>
                      </div>
                      <FlowDetails f={f} />
                      {f.note && <div className="gz-timeline-note">{f.note}</div>}
                      {!!f.attachmentIds.length && <Typography.Text type="secondary">{t('timeline.photos', { n: f.attachmentIds.length })}</Typography.Text>}
                    </div>
                  ),
                }))}
              />
            ) : <Skeleton active />}
          </Card>
        </Col>
      </Row>
      <ActionDialog c={c} action={action} open={!!action} preset={preset} onClose={() => { setAction(null); setPreset(undefined); }}
        onDone={() => { setAction(null); setPreset(undefined); caseRes.reload(); tl.reload(); }} />
    </div>
  );
}
