// 民转刑 risk: a score from 0 to 100 per dispute that explains itself. Each signal adds points with its
// reason: repeated disputes between the same parties, repeated disputes at the same address, threats or
// violence words in what was written down, escalation (failed mediation, a broken agreement, petitions by
// the same parties, many sessions without agreement), vulnerable parties. The score and its reasons are
// kept on the dispute (shown on it and in the lists) and read by the risk module's alert rules through
// index.ts. The weights are data here, in one place, so that they can be argued about.
import type { Queryable } from '../../platform/db/index.ts';
import { appendEvent } from '../../platform/events/index.ts';

export type RiskSignal = 'repeat_parties' | 'same_address' | 'threat_words' | 'violence_words' | 'escalation' | 'vulnerable_parties';
export interface RiskReason { signal: RiskSignal; points: number; params: Record<string, string | number | string[]> }
export interface RiskScore { score: number; level: 'low' | 'medium' | 'high' | 'critical'; reasons: RiskReason[] }

/** Words that speak of killing, self-harm or arson: each distinct one counts. */
export const THREAT_WORDS = ['杀了', '杀人', '杀掉', '砍死', '砍人', '捅死', '捅了', '弄死', '打死', '同归于尽', '灭门', '报复', '炸了', '炸药',
  '汽油', '泼油', '放火', '烧死', '跳楼', '自杀', '喝农药', '服毒', '拼命', '血债', '不想活'];
/** Words that speak of fighting or intimidation. */
export const VIOLENCE_WORDS = ['打架', '殴打', '动手', '推搡', '斗殴', '打伤', '威胁', '恐吓', '扬言', '砸了', '堵门', '持刀', '围堵'];

const W = {
  repeatParties: { each: 15, max: 30 },
  sameAddress: { each: 10, max: 20 },
  threat: { each: 20, max: 40 },
  violence: { each: 10, max: 20 },
  escalation: { failed: 15, breached: 15, petitioned: 15, sessions: 10, sessionsFrom: 3, max: 35 },
  vulnerable: { mental_illness: 15, elderly: 8, minor: 8, disabled: 8, pregnant: 8, serious_illness: 8, low_income: 5, max: 20 },
};

export interface RiskInputs {
  text: string;
  /** Case numbers of other disputes within a year that share a party with this one. */
  repeatCaseNos: string[];
  /** Case numbers of other disputes within a year at the same address. */
  sameAddressCaseNos: string[];
  failed: boolean;
  breached: boolean;
  /** Petitions by any of the parties. */
  petitions: number;
  sessionsWithoutAgreement: number;
  /** Each vulnerable party's flags (age turned into elderly / minor by the caller). */
  vulnerable: string[][];
}

const found = (text: string, words: string[]) => words.filter((w) => text.includes(w));

/** The score and its reasons from the gathered facts: a pure function, tested signal by signal. */
export function scoreRisk(x: RiskInputs): RiskScore {
  const reasons: RiskReason[] = [];
  const add = (signal: RiskSignal, points: number, params: RiskReason['params']) => { if (points > 0) reasons.push({ signal, points, params }); };
  add('repeat_parties', Math.min(W.repeatParties.max, x.repeatCaseNos.length * W.repeatParties.each), { count: x.repeatCaseNos.length, cases: x.repeatCaseNos.slice(0, 5) });
  add('same_address', Math.min(W.sameAddress.max, x.sameAddressCaseNos.length * W.sameAddress.each), { count: x.sameAddressCaseNos.length, cases: x.sameAddressCaseNos.slice(0, 5) });
  const threats = found(x.text, THREAT_WORDS);
  add('threat_words', Math.min(W.threat.max, threats.length * W.threat.each), { words: threats });
  const violence = found(x.text, VIOLENCE_WORDS);
  add('violence_words', Math.min(W.violence.max, violence.length * W.violence.each), { words: violence });
  const steps: string[] = [];
  let escalation = 0;
  if (x.failed) { escalation += W.escalation.failed; steps.push('failed'); }
  if (x.breached) { escalation += W.escalation.breached; steps.push('breached'); }
  if (x.petitions > 0) { escalation += W.escalation.petitioned; steps.push('petitioned'); }
  if (x.sessionsWithoutAgreement >= W.escalation.sessionsFrom) { escalation += W.escalation.sessions; steps.push('sessions'); }
  add('escalation', Math.min(W.escalation.max, escalation), { steps, petitions: x.petitions, sessions: x.sessionsWithoutAgreement });
  const flags = [...new Set(x.vulnerable.flat())];
  const vulnerablePoints = flags.reduce((s, f) => s + ((W.vulnerable as Record<string, number>)[f] ?? 0), 0);
  add('vulnerable_parties', Math.min(W.vulnerable.max, vulnerablePoints), { flags, parties: x.vulnerable.filter((v) => v.length).length });
  const score = Math.min(100, reasons.reduce((s, r) => s + r.points, 0));
  const level = score >= 75 ? 'critical' : score >= 50 ? 'high' : score >= 25 ? 'medium' : 'low';
  return { score, level, reasons };
}

/** The event a changed score appends (in the transaction that changed it). */
export const RISK_SCORED = 'dispute.risk_scored';

const VULNERABLE: Record<string, string> = {
  mental_illness: '精神障碍', elderly: '高龄', minor: '未成年', disabled: '残疾', pregnant: '孕期', serious_illness: '重病', low_income: '低收入',
};
const ESCALATION: Record<string, string> = { failed: '调解失败', breached: '协议未履行', petitioned: '当事人信访', sessions: '多次调解未达成协议' };

/** A reason in one line of Chinese, as alerts and lists show it: "同一当事人一年内纠纷 2 起 (+30)". */
export function reasonText(r: RiskReason): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.join('、') : String(v ?? ''));
  const what = {
    repeat_parties: `同一当事人一年内其他纠纷 ${r.params.count} 起`,
    same_address: `同一地址一年内其他纠纷 ${r.params.count} 起`,
    threat_words: `记录中有极端言语：${list(r.params.words)}`,
    violence_words: `记录中有暴力言语：${list(r.params.words)}`,
    escalation: `矛盾升级：${(r.params.steps as string[] ?? []).map((s) => ESCALATION[s] ?? s).join('、')}`,
    vulnerable_parties: `当事人属特殊群体：${(r.params.flags as string[] ?? []).map((f) => VULNERABLE[f] ?? f).join('、')}`,
  }[r.signal];
  return `${what} (+${r.points})`;
}

/** A party's vulnerability flags, with age (from the birth year) as elderly (≥ 70) or minor (< 18). */
export function vulnerabilityOf(p: { vulnerable: string[] | null; birth_year: number | null }, year: number): string[] {
  const flags = new Set(p.vulnerable ?? []);
  if (p.birth_year != null) {
    const age = year - Number(p.birth_year);
    if (age >= 70) flags.add('elderly');
    if (age < 18) flags.add('minor');
  }
  return [...flags];
}

/** Gathers the facts for one dispute from the module's tables and stores its score. */
export async function recomputeRisk(q: Queryable, caseId: number, now: Date): Promise<RiskScore | null> {
  const [d] = await q.query<any>('SELECT case_id, case_no, district_code, region_code, title, description, address_key, failed_at, success, risk_score FROM dispute WHERE case_id = $1', [caseId]);
  if (!d) return null;
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const parties = await q.query<any>('SELECT id_hash, phone_hash, name_hash, vulnerable, birth_year FROM mediation_party WHERE case_id = $1', [caseId]);
  const keys = parties.flatMap((p) => [p.id_hash, p.phone_hash, p.name_hash]).filter((k): k is string => !!k);
  const [repeats, sameAddress, petitions, notes, sessions, breaches] = await Promise.all([
    keys.length ? q.query<{ case_no: string }>(
      `SELECT DISTINCT d.case_no FROM mediation_party p JOIN dispute d ON d.case_id = p.case_id
       WHERE p.case_kind = 'dispute' AND p.case_id <> $1 AND d.received_at >= $3
         AND (p.id_hash = ANY($2::text[]) OR p.phone_hash = ANY($2::text[]) OR p.name_hash = ANY($2::text[]))
       ORDER BY d.case_no LIMIT 20`, [caseId, keys, since]) : [],
    d.address_key ? q.query<{ case_no: string }>(
      'SELECT case_no FROM dispute WHERE address_key = $1 AND case_id <> $2 AND received_at >= $3 ORDER BY case_no LIMIT 20', [d.address_key, caseId, since]) : [],
    keys.length ? q.query<{ n: number }>(
      `SELECT count(DISTINCT p.case_id)::int AS n FROM mediation_party p WHERE p.case_kind = 'petition'
       AND (p.id_hash = ANY($1::text[]) OR p.phone_hash = ANY($1::text[]) OR p.name_hash = ANY($1::text[]))`, [keys]) : [{ n: 0 }],
    q.query<{ t: string }>(
      `SELECT coalesce(string_agg(t, ' '), '') AS t FROM (
         SELECT content AS t FROM dispute_investigation WHERE case_id = $1
         UNION ALL SELECT minutes FROM dispute_session WHERE case_id = $1 AND minutes IS NOT NULL) x`, [caseId]),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispute_session WHERE case_id = $1 AND status = 'held'`, [caseId]),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispute_obligation WHERE case_id = $1 AND status = 'breached'`, [caseId]),
  ]);
  const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  const risk = scoreRisk({
    text: `${d.title} ${d.description} ${notes[0]?.t ?? ''}`,
    repeatCaseNos: repeats.map((r) => r.case_no),
    sameAddressCaseNos: sameAddress.map((r) => r.case_no),
    failed: d.failed_at != null,
    breached: breaches[0].n > 0,
    petitions: petitions[0].n,
    sessionsWithoutAgreement: d.success ? 0 : sessions[0].n,
    vulnerable: parties.map((p) => vulnerabilityOf(p, year)),
  });
  await q.query('UPDATE dispute SET risk_score = $2, risk_level = $3, risk_reasons = $4::jsonb, risk_at = $5 WHERE case_id = $1',
    [caseId, risk.score, risk.level, JSON.stringify(risk.reasons), now]);
  // a changed score is news for the early-warning rules (the risk module's dispute_risk rule)
  if (risk.score !== d.risk_score) {
    await appendEvent(q, {
      topic: RISK_SCORED, regionCode: d.region_code,
      payload: { caseId, caseNo: d.case_no, score: risk.score, level: risk.level, reasons: risk.reasons.map(reasonText), at: now.toISOString() },
    });
  }
  return risk;
}

/** "重庆市合川区 合阳城街道 XX路12号 3栋" → a key that ignores spaces, punctuation and full-width forms. */
export function addressKey(address: string | null | undefined): string | null {
  if (!address) return null;
  const k = address.normalize('NFKC').replace(/[\s,，。.、\-—()（）#]/g, '').toLowerCase();
  return k.length >= 4 ? k : null;
}
