// Pieces the mediation pages share: the risk tag with its reasons, the party form list, the signature pad.
import { useEffect, useRef, useState } from 'react';
import { Button, Form, Input, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

/** An 11-digit mobile number or a fixed line with its area code, as the API accepts (mediation/parties.ts). */
const PHONE = /^\s*(?:(?:\+?86-?)?1[3-9]\d{9}|(?:0\d{2,3}-?)?[2-9]\d{6,7}(?:-\d{1,6})?)\s*$/;

export interface RiskReason { signal: string; points: number; params: Record<string, any> }
export interface Risk { score: number; level: 'low' | 'medium' | 'high' | 'critical'; reasons: RiskReason[] }

const RISK_COLOR = { low: 'default', medium: 'gold', high: 'orange', critical: 'red' } as const;

/** One reason of the risk score, in words. */
export function useRiskReason() {
  const { t } = useI18n();
  return (r: RiskReason) => {
    const p = r.params ?? {};
    const list = (xs: string[] | undefined, prefix: string) => (xs ?? []).map((x) => t(`${prefix}${x}` as MessageKey)).join('、');
    const vars: Record<string, string | number> = {
      count: p.count ?? 0, words: (p.words ?? []).join('、'), steps: list(p.steps, 'md.step.'), flags: list(p.flags, 'md.vuln.'),
    };
    return `${t(`md.signal.${r.signal}` as MessageKey, vars)}（${t('md.points', { n: r.points })}）`;
  };
}

export function RiskTag({ risk }: { risk: Risk | null | undefined }) {
  const { t } = useI18n();
  const reason = useRiskReason();
  if (!risk) return null;
  const label = t(`md.riskLevel.${risk.level}` as MessageKey);
  return (
    <Tooltip title={risk.reasons.length ? risk.reasons.map(reason).join('；') : t('md.riskNone')}>
      <Tag color={RISK_COLOR[risk.level]} data-testid="risk-tag" data-risk={risk.level}>{t('md.risk')} {risk.score} · {label}</Tag>
    </Tooltip>
  );
}

export function RiskReasons({ risk }: { risk: Risk }) {
  const { t } = useI18n();
  const reason = useRiskReason();
  return (
    <div data-testid="risk-reasons">
      <Typography.Text strong>{t('md.riskScore', { score: risk.score, level: t(`md.riskLevel.${risk.level}` as MessageKey) })}</Typography.Text>
      {risk.reasons.length ? <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>{risk.reasons.map((r) => <li key={r.signal}>{reason(r)}</li>)}</ul>
        : <div><Typography.Text type="secondary">{t('md.riskNone')}</Typography.Text></div>}
    </div>
  );
}

const VULN = ['elderly', 'minor', 'disabled', 'mental_illness', 'pregnant', 'low_income', 'serious_illness'];

/** The parties of a dispute or petition as a form list. */
export function PartyFields({ roles }: { roles: string[] }) {
  const { t } = useI18n();
  return (
    <Form.List name="parties">
      {(fields, { add, remove }) => (
        <>
          {fields.map((f, i) => (
            <div key={f.key} className="gz-party-row" data-testid={`party-${i}`}>
              <Space wrap align="start">
                <Form.Item name={[f.name, 'role']} label={t('md.party.role')} rules={[{ required: true }]}>
                  <Select style={{ width: 120 }} options={roles.map((r) => ({ value: r, label: t(`md.role.${r}` as MessageKey) }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'kind']} label={t('md.party.kind')} initialValue="person">
                  <Select style={{ width: 100 }} options={['person', 'organisation'].map((k) => ({ value: k, label: t(`md.kind.${k}` as MessageKey) }))} />
                </Form.Item>
                <Form.Item name={[f.name, 'name']} label={t('md.party.name')} rules={[{ required: true, max: 100 }]}><Input style={{ width: 140 }} /></Form.Item>
                <Form.Item name={[f.name, 'phone']} label={t('md.party.phone')} rules={[{ pattern: PHONE, message: t('md.party.phoneRule') }]}><Input style={{ width: 140 }} inputMode="tel" /></Form.Item>
                <Form.Item name={[f.name, 'idNumber']} label={t('md.party.idNumber')}><Input style={{ width: 190 }} /></Form.Item>
                <Form.Item name={[f.name, 'birthYear']} label={t('md.party.birthYear')}><InputNumber min={1900} max={2100} style={{ width: 100 }} /></Form.Item>
                <Form.Item name={[f.name, 'vulnerable']} label={t('md.party.vulnerable')}>
                  <Select mode="multiple" style={{ minWidth: 140 }} options={VULN.map((v) => ({ value: v, label: t(`md.vuln.${v}` as MessageKey) }))} />
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('common.delete')} onClick={() => remove(f.name)} style={{ marginTop: 30 }} />
              </Space>
            </div>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: roles[Math.min(fields.length, roles.length - 1)], kind: 'person' })}>{t('md.addParty')}</Button>
        </>
      )}
    </Form.List>
  );
}

/** Party values as the API takes them: empty fields left out. */
export function partiesBody(list: any[] | undefined): any[] {
  return (list ?? []).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && !v.length))));
}

/** A signature drawn with a finger, a pen or a mouse on a canvas; gives a PNG data URL. */
export function SignaturePad({ label, onSave, busy }: { label: string; onSave(png: string): void; busy?: boolean }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);
  useEffect(() => {
    const c = canvas.current!;
    const ctx = c.getContext('2d')!;
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#111';
  }, []);
  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = canvas.current!.getBoundingClientRect();
    return [(e.clientX - r.left) * (canvas.current!.width / r.width), (e.clientY - r.top) * (canvas.current!.height / r.height)] as const;
  };
  const down = (e: React.PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    const ctx = canvas.current!.getContext('2d')!;
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
  };
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = canvas.current!.getContext('2d')!;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
    setEmpty(false);
  };
  const clear = () => { canvas.current!.getContext('2d')!.clearRect(0, 0, canvas.current!.width, canvas.current!.height); setEmpty(true); };
  return (
    <div className="gz-signature">
      <Typography.Text>{label}</Typography.Text>
      <canvas ref={canvas} width={480} height={160} aria-label={label} data-testid="signature-canvas"
        style={{ display: 'block', width: '100%', maxWidth: 480, height: 160, border: '1px dashed #8c8c8c', borderRadius: 6, touchAction: 'none', background: '#fff' }}
        onPointerDown={down} onPointerMove={move} onPointerUp={() => { drawing.current = false; }} onPointerLeave={() => { drawing.current = false; }} />
      <Typography.Text type="secondary">{t('md.signHere')}</Typography.Text>
      <Space style={{ marginTop: 8, display: 'flex' }}>
        <Button onClick={clear}>{t('md.clear')}</Button>
        <Button type="primary" loading={busy} disabled={empty} onClick={() => onSave(canvas.current!.toDataURL('image/png'))}>{t('md.saveSignature')}</Button>
      </Space>
    </div>
  );
}
