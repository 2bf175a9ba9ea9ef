// The mediation documents as printable Chinese PDFs: 受理登记表, 调查笔录, 调解笔录, 调解协议书 (with the
// parties' drawn signatures) and 回访记录, from the templates in data/documents.json, printed by the
// platform's documents piece; and the case file that transfers with a docking (all of them in one PDF).
import { readFileSync } from 'node:fs';
import type { Actor } from '../../platform/auth/actor.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { chineseDate, chineseDateTime, fill, renderBundle, renderPdf, type DocumentTemplate } from '../../platform/documents/index.ts';
import { categoriesByCode } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { disputeDetail, signatureImages } from './disputes.ts';
import { partiesOf, revealParty } from './parties.ts';
import { mediationPolicy } from './policy.ts';

const file = JSON.parse(readFileSync(new URL('./data/documents.json', import.meta.url), 'utf8')) as { templates: Record<string, DocumentTemplate> };
export const documentKinds = ['registration', 'investigation', 'session', 'agreement', 'follow_up'] as const;
export type DocumentKind = (typeof documentKinds)[number];

const ROLE: Record<string, string> = { applicant: '申请人', respondent: '被申请人', third_party: '第三人', petitioner: '信访人', respondent_org: '被反映单位', agent: '代理人' };
const SCALE: Record<string, string> = { ordinary: '一般', larger: '较大', major: '重大', especially_major: '特别重大' };
const SOURCE: Record<string, string> = {
  application: '当事人申请', proactive: '主动调解', court: '法院委托移送', procuratorate: '检察院委托移送', police: '公安机关委托移送',
  petition: '信访部门委托移送', department: '其他部门委托移送', hotline: '12345热线转入', grid: '网格事件转入',
};
const METHOD: Record<string, string> = { visit: '上门走访', phone: '电话回访', online: '网上回访' };
const SATISFACTION: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };

/** A time as printed: 2026年12月7日 14:00, the one date format of every document. */
const chinaTime = (iso: string | null) => chineseDateTime(iso);

/** What every template reads, from the dispute's view. */
async function documentData(deps: MediationDeps, actor: Actor, id: number) {
  const v = await disputeDetail(deps, actor, id);
  const names = await categoriesByCode(deps.cases, [v.record.categoryCode]);
  const partyName = new Map(v.parties.map((p) => [p.id, p.nameMasked]));
  const agreement = [...v.agreements].reverse().find((a) => a.status === 'effective') ?? [...v.agreements].reverse().find((a) => a.status === 'draft') ?? null;
  const roles = v.fourRoles;
  return {
    view: v, agreement,
    data: {
      ...v.record,
      // every date in one Chinese form (2026年12月7日), never ISO beside it
      occurredOn: chineseDate(v.record.occurredOn), limitOn: chineseDate(v.record.limitOn),
      orgName: v.organisation?.name ?? '人民调解委员会',
      categoryName: names.get(v.record.categoryCode)?.name.zh ?? v.record.categoryCode,
      receivedOn: chineseDate(v.record.receivedAt), scaleName: SCALE[v.record.scale] ?? v.record.scale, sourceName: SOURCE[v.record.source] ?? v.record.source,
      acceptance: v.record.acceptedAt ? `已于${chineseDate(v.record.acceptedAt)}受理` : '待受理',
      fourRoles: [['包调查', roles.investigate], ['包调处', roles.mediate], ['包办结', roles.conclude], ['包回访', roles.followUp]]
        .map(([k, p]) => `${k}：${(p as any)?.name ?? '—'}`).join('；'),
      parties: v.parties.map((p) => ({ ...p, roleName: ROLE[p.role] ?? p.role, idMasked: p.idMasked ?? '—', phoneMasked: p.phoneMasked ?? '—', contact: p.phoneMasked ? `，联系电话 ${p.phoneMasked}` : '' })),
      partyNames: v.parties.map((p) => `${ROLE[p.role] ?? p.role} ${p.nameMasked}`).join('、'),
      investigations: v.investigations.map((r) => ({ ...r, when: chinaTime(r.investigatedAt), place: r.place ?? '—' })),
      sessions: v.sessions.filter((s) => s.status === 'held').map((s) => ({
        ...s, when: chinaTime(s.heldAt ?? s.scheduledAt), where: [s.place, s.onlineLink].filter(Boolean).join(' / '),
        participantNames: (s.participants as Array<{ name: string; role?: string }>).map((p) => p.name).join('、'),
      })),
      agreement: agreement && {
        ...agreement, signedPlace: agreement.signedPlace ?? '—', followUpOn: chineseDate(agreement.followUpOn),
        obligations: agreement.obligations.map((o) => ({
          ...o, dueOn: chineseDate(o.dueOn), obligor: o.obligorPartyId ? partyName.get(o.obligorPartyId) ?? '—' : '—', amountText: o.amount != null ? `（金额 ${o.amount.toFixed(2)} 元）` : '',
        })),
      },
      agreedOn: chineseDate(agreement?.concludedAt ?? agreement?.createdAt ?? null),
      performance: agreement ? agreement.obligations.map((o) => `${o.seq}. ${o.status === 'performed' ? '已履行' : o.status === 'breached' ? '未履行' : '待履行'}`).join('；') || '无需履行' : '—',
      followUps: v.followUps.filter((f) => f.doneAt).map((f) => ({ ...f, when: chinaTime(f.doneAt), methodName: METHOD[f.method ?? ''] ?? '', satisfactionName: SATISFACTION[f.satisfaction ?? ''] ?? '' })),
    },
  };
}

export async function disputeDocument(deps: MediationDeps, actor: Actor, id: number, kind: DocumentKind): Promise<{ filename: string; pdf: Buffer }> {
  const { data, agreement, view } = await documentData(deps, actor, id);
  const t = file.templates[kind];
  if (!t) throw notFound({ zh: `文书 ${kind}`, en: `Document ${kind}` });
  let extra = {};
  if (kind === 'agreement') {
    if (!agreement) throw conflict('no_agreement', { zh: `该纠纷还没有可打印的调解协议。`, en: 'This dispute has no agreement to print yet.' });
    const sigs = await signatureImages(deps, agreement.id);
    // 人民调解法 第29条: the agreement names each party with their basic details, and the mediator signs it.
    // Printing it reveals the parties' sealed details (with an audit row each) to those who may reveal them.
    const parties = await agreementParties(deps, actor, id, view.case.regionCode, data.parties);
    const printed = new Map(parties.map((p) => [p.id, p.printedName as string]));
    const relabel = (label: string) => parties.reduce((l, p) => l.replace(`${p.roleName} ${p.nameMasked}`, `${p.roleName} ${p.printedName}`), label);
    extra = {
      signatures: sigs.map((s) => ({ label: relabel(s.label), png: s.png, date: chineseDate(s.signedAt.toISOString()) })),
      parties,
      agreement: data.agreement && { ...data.agreement, obligations: data.agreement.obligations.map((o: any) => ({ ...o, obligor: o.obligorPartyId ? printed.get(o.obligorPartyId) ?? o.obligor : o.obligor })) },
      mediatorName: view.leadMediator?.name ?? view.fourRoles.mediate?.name ?? '＿＿＿＿',
    };
  }
  const pdf = await renderPdf(fill(t, { ...data, ...extra }), { author: data.orgName });
  return { filename: `${data.caseNo}-${kind}.pdf`, pdf };
}

/** The parties as the agreement prints them: in full for a user who may reveal them, else masked. */
async function agreementParties(deps: MediationDeps, actor: Actor, id: number, regionCode: string, parties: Array<Record<string, any>>): Promise<Array<Record<string, any>>> {
  if (!mediationPolicy.can(actor, 'mediation.reveal')) return parties.map((p) => ({ ...p, printedName: p.nameMasked, details: p.contact }));
  // the dispute was read (and its scope checked) for the document: its party rows are read once, not per party
  const rows = new Map((await partiesOf(deps.ctx.db, id)).map((r) => [Number(r.id), r]));
  const out = [];
  for (const p of parties) {
    const full = await revealParty(deps.ctx.db, deps.ctx.cipher, actor, rows.get(p.id), regionCode, '制作人民调解协议书');
    const details = [full.idNumber && `，身份证件号码 ${full.idNumber}`, full.address && `，住址 ${full.address}`, full.phone && `，联系电话 ${full.phone}`].filter(Boolean).join('');
    out.push({ ...p, printedName: full.name, details });
  }
  return out;
}

/** The case file: every document of the dispute in one PDF (what transfers with a docking). */
export async function caseFilePdf(deps: MediationDeps, actor: Actor, id: number): Promise<{ filename: string; pdf: Buffer }> {
  const { data, agreement } = await documentData(deps, actor, id);
  const sigs = agreement ? await signatureImages(deps, agreement.id) : [];
  const full = { ...data, signatures: sigs.map((s) => ({ label: s.label, png: s.png, date: chineseDate(s.signedAt.toISOString()) })) };
  const kinds = documentKinds.filter((k) => k !== 'agreement' || agreement);
  const pdf = await renderBundle(kinds.map((k) => fill(file.templates[k], full)), `纠纷案卷 ${data.caseNo}`, data.caseNo);
  return { filename: `${data.caseNo}-case-file.pdf`, pdf };
}
