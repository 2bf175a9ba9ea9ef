// Points (积分): rules award or deduct points for participation and conduct (正向激励、负向惩戒); an
// append-only ledger per person, summed per household; a points shop (积分超市) with stock; leaderboards;
// every entry carries its reason and can be appealed, an upheld appeal appending the reversal.
// The ledger balances by construction: the account's balance moves only in the transaction that appends
// its entry (the property test test/api/participation-points.test.ts checks balance = Σ entries after
// random operations, sequential and concurrent). A redemption takes one from the stock (guarded by
// stock > 0), the cost from the balance (guarded by balance >= cost) and appends the entry, in one
// transaction: either all three happen or none. Item row first, then the account: one lock order.
import type { Actor } from '../../platform/auth/actor.ts';
import type { Queryable } from '../../platform/db/index.ts';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts';
import { regionLevels, regionScope } from '../../platform/scope.ts';
import { householdsOf, participant, searchResidents, type Participant } from '../registry/index.ts';
import { both, type ParticipationDeps, registryOf } from './deps.ts';
import { participationPolicy } from './policy.ts';
import { linkedParticipant, residentOf } from './residents.ts';
import { notifyUser } from './messages.ts';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

interface Entry {
  person: Participant; delta: number; reason: string; kind: 'rule' | 'redemption' | 'reversal';
  ruleId?: number | null; source?: string | null; reversesId?: number | null; actorId: number | null; now: Date;
  /** refuse (return null) when the balance would fall below zero: redemptions */
  guardBalance?: boolean;
}

/** Appends one entry and moves the account with it; null when refused (balance guard, or an automatic award given already). */
async function append(tx: Queryable, e: Entry): Promise<{ entryId: number; balance: number } | null> {
  const district = regionLevels(e.person.regionCode).district;
  const [entry] = await tx.query<{ id: number }>(
    `INSERT INTO pt_point_entry (district_code, person_id, household_id, region_code, delta, reason, kind, rule_id, source, reverses_id, actor_id, at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
     ON CONFLICT (person_id, rule_id, source, district_code) WHERE rule_id IS NOT NULL AND source LIKE '%:%' DO NOTHING RETURNING id`,
    [district, e.person.personId, e.person.householdId, e.person.regionCode, e.delta, e.reason, e.kind, e.ruleId ?? null, e.source ?? null,
      e.reversesId ?? null, e.actorId, e.now]);
  if (!entry) return null;
  await tx.query(`INSERT INTO pt_point_account (district_code, person_id, region_code, household_id) VALUES ($1, $2, $3, $4)
    ON CONFLICT (person_id, district_code) DO NOTHING`, [district, e.person.personId, e.person.regionCode, e.person.householdId]);
  const [acc] = await tx.query<{ balance: number }>(
    `UPDATE pt_point_account SET balance = balance + $3, earned = earned + greatest($3, 0), household_id = $4, region_code = $5
     WHERE person_id = $1 AND district_code = $2 ${e.guardBalance ? 'AND balance + $3 >= 0' : ''} RETURNING balance`,
    [e.person.personId, district, e.delta, e.person.householdId, e.person.regionCode]);
  if (!acc) return null;
  return { entryId: Number(entry.id), balance: acc.balance };
}

// ---- rules

export async function createRule(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; code: string; label: string; points: number }) {
  participationPolicy.assert(actor, 'participation.points.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能为本辖区设置积分规则', 'Rules are set for a region of your territory.'));
  const [r] = await deps.ctx.db.query('SELECT code FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${b.regionCode} does not exist.`));
  try {
    const [row] = await deps.ctx.db.query<any>(
      `INSERT INTO pt_point_rule (district_code, region_code, code, label, points, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING *`,
      [regionLevels(b.regionCode).district, b.regionCode, b.code, b.label, b.points, actor.id, deps.ctx.now()]);
    return ruleView(row);
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('rule_exists', both('该区域已有同名规则', `Region ${b.regionCode} has a rule "${b.code}" already.`));
    throw err;
  }
}

const ruleView = (r: any) => ({ id: Number(r.id), regionCode: r.region_code, code: r.code, label: r.label, points: r.points, active: r.active });

export async function setRuleActive(deps: ParticipationDeps, actor: Actor, id: number, active: boolean) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const [r] = await deps.ctx.db.query<any>('SELECT * FROM pt_point_rule WHERE id = $1', [id]);
  if (!r || !regionScope(actor).has(r.region_code)) throw notFound({ zh: `积分规则 ${id}`, en: `Rule ${id}` });
  const [row] = await deps.ctx.db.query<any>('UPDATE pt_point_rule SET active = $2 WHERE id = $1 RETURNING *', [id, active]);
  return ruleView(row);
}

/** The rules that apply where the actor lives or works: of their region and the regions above it (and, for staff, below). */
export async function listRules(deps: ParticipationDeps, actor: Actor) {
  const home = actor.role === 'resident' ? (await residentOf(deps.ctx.db, actor)).regionCode : actor.regionCode;
  if (actor.role !== 'resident') participationPolicy.assert(actor, 'participation.read');
  const rows = await deps.ctx.db.query<any>(
    `SELECT * FROM pt_point_rule WHERE starts_with($1, region_code) OR ($2 AND starts_with(region_code, $1)) ORDER BY points DESC, id`, [home, actor.role !== 'resident']);
  return { items: rows.map(ruleView) };
}

/** The most specific active rule with this id or code for a person's region (a rule of an ancestor region applies below it). */
async function ruleFor(q: Queryable, p: Participant, by: { id?: number; code?: string }): Promise<any | null> {
  const [r] = await q.query<any>(
    `SELECT * FROM pt_point_rule WHERE active AND starts_with($1, region_code) AND (id = $2 OR code = $3) ORDER BY length(region_code) DESC LIMIT 1`,
    [p.regionCode, by.id ?? null, by.code ?? null]);
  return r ?? null;
}

// ---- awards and deductions

export async function award(deps: ParticipationDeps, actor: Actor, b: { personId: number; ruleId: number; note?: string }) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const p = await participant(deps.ctx.db, b.personId);
  if (!p || !regionScope(actor).has(p.regionCode)) throw notFound({ zh: `人员 ${b.personId}`, en: `Person ${b.personId}` });
  const rule = await ruleFor(deps.ctx.db, p, { id: b.ruleId });
  if (!rule) throw unprocessable('unknown_rule', both('规则不存在、已停用或不适用于该居民', 'The rule does not exist, is inactive, or does not apply where the person lives.'));
  // a deduction says what happened (when, where): the resident reads it and may appeal it
  if (rule.points < 0 && !b.note?.trim()) {
    throw unprocessable('deduction_note_required', both('扣分须写明说明（时间、地点、经过），居民会看到并可申诉。', 'A deduction needs a note (when, where, what happened): the resident reads it and may appeal.'),
      { errors: [{ path: 'body.note', message: 'a deduction needs a note', zh: '扣分须写明说明' }] });
  }
  const reason = b.note ? `${rule.label}：${b.note}` : rule.label;
  const r = await deps.ctx.db.transaction(async (tx) => {
    const out = await append(tx, { person: p, delta: rule.points, reason, kind: 'rule', ruleId: Number(rule.id), source: null, actorId: actor.id, now: deps.ctx.now() });
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.points.award', $2, $3, $4::jsonb)`,
      [actor.id, `person:${p.personId}`, p.regionCode, JSON.stringify({ ruleId: Number(rule.id), delta: rule.points, reason, entryId: out?.entryId ?? null })]);
    return out;
  });
  return { entryId: r!.entryId, balance: r!.balance, delta: rule.points, reason };
}

/**
 * An automatic award of the rule with this code, once per source (a wish fulfilled, a vote cast): other
 * use cases call it in their own transaction; nothing happens when no such rule applies.
 */
export async function autoAward(tx: Queryable, p: Participant, code: string, source: string, now: Date): Promise<void> {
  const rule = await ruleFor(tx, p, { code });
  if (!rule) return;
  await append(tx, { person: p, delta: rule.points, reason: rule.label, kind: 'rule', ruleId: Number(rule.id), source, actorId: null, now });
}

// ---- ledgers

async function entriesOf(q: Queryable, where: string, params: unknown[], limit = 200) {
  const rows = await q.query<any>(
    `SELECT e.*, a.id AS appeal_id, a.status AS appeal_status, a.decision_note, u.display_name AS actor_name FROM pt_point_entry e
     LEFT JOIN pt_point_appeal a ON a.entry_id = e.id AND a.district_code = e.district_code
     LEFT JOIN app_user u ON u.id = e.actor_id
     WHERE ${where} ORDER BY e.at DESC, e.id DESC LIMIT ${limit}`, params);
  return rows.map((e) => ({
    id: Number(e.id), personId: Number(e.person_id), delta: e.delta, reason: e.reason, kind: e.kind, at: iso(e.at),
    reversesId: e.reverses_id == null ? null : Number(e.reverses_id),
    // who recorded it: the staff member who awarded, deducted or decided the appeal, the resident who redeemed; null: automatic
    recordedBy: (e.actor_name ?? null) as string | null,
    appeal: e.appeal_id ? { id: Number(e.appeal_id), status: e.appeal_status, decisionNote: e.decision_note } : null,
  }));
}

/** A person's ledger: their own for a resident, any person of the territory for staff. */
export async function personLedger(deps: ParticipationDeps, actor: Actor, personId?: number) {
  const { db } = deps.ctx;
  let p: Participant | null;
  if (actor.role === 'resident') p = await linkedParticipant(db, actor);
  else {
    participationPolicy.assert(actor, 'participation.read');
    p = personId ? await participant(db, personId) : null;
    if (!p || !regionScope(actor).has(p.regionCode)) throw notFound({ zh: `人员 ${personId ?? ''}`.trim(), en: `Person ${personId ?? ''}`.trim() });
  }
  const [acc] = await db.query<any>('SELECT balance, earned FROM pt_point_account WHERE person_id = $1', [p.personId]);
  return { personId: p.personId, name: p.nameMasked, householdId: p.householdId, balance: acc?.balance ?? 0, earned: acc?.earned ?? 0,
    entries: await entriesOf(db, 'e.person_id = $1', [p.personId]) };
}

/**
 * A household's ledger: the entries of its members, summed. `members` is the household's registered members
 * (as the registry counts them, for staff; null for a resident), `accounts` how many of them have points.
 */
export async function householdLedger(deps: ParticipationDeps, actor: Actor, householdId?: number) {
  const { db } = deps.ctx;
  let id: number | null;
  if (actor.role === 'resident') id = (await linkedParticipant(db, actor)).householdId;
  else {
    participationPolicy.assert(actor, 'participation.read');
    id = householdId ?? null;
  }
  if (id == null) throw unprocessable('no_household', both('尚未登记户信息', 'No registered household.'));
  const accounts = await db.query<any>('SELECT person_id, balance, region_code FROM pt_point_account WHERE household_id = $1', [id]);
  if (actor.role !== 'resident' && !accounts.some((a) => regionScope(actor).has(a.region_code))) throw notFound({ zh: `户 ${id}`, en: `Household ${id}` });
  const card = actor.role === 'resident' ? null : (await householdCards(deps, actor, [id])).get(id);
  return { householdId: id, balance: accounts.reduce((s, a) => s + a.balance, 0), members: card?.members ?? null, accounts: accounts.length,
    entries: await entriesOf(db, 'e.household_id = $1', [id]) };
}

/** Top balances among persons or households of a region (masked names); residents see their own community's. */
export async function leaderboard(deps: ParticipationDeps, actor: Actor, q: { by: 'person' | 'household'; regionCode?: string; limit: number }) {
  const { db } = deps.ctx;
  let region: string;
  if (actor.role === 'resident') region = (await residentOf(db, actor)).regionCode.slice(0, 12);
  else {
    participationPolicy.assert(actor, 'participation.read');
    region = q.regionCode ?? actor.regionCode;
    if (!regionScope(actor).has(region)) throw notFound({ zh: `区划 ${region}`, en: `Region ${region}` });
  }
  if (q.by === 'person') {
    const rows = await db.query<any>(`SELECT person_id, balance, earned FROM pt_point_account WHERE region_code LIKE $1 || '%' ORDER BY balance DESC, earned DESC, person_id LIMIT $2`, [region, q.limit]);
    const items = [];
    for (const [i, r] of rows.entries()) items.push({ rank: i + 1, name: (await participant(db, Number(r.person_id)))?.nameMasked ?? '—', balance: r.balance, earned: r.earned });
    return { by: q.by, regionCode: region, items };
  }
  const rows = await db.query<any>(
    `SELECT household_id, sum(balance)::int AS balance, count(*)::int AS members FROM pt_point_account WHERE region_code LIKE $1 || '%' AND household_id IS NOT NULL
     GROUP BY household_id ORDER BY sum(balance) DESC, household_id LIMIT $2`, [region, q.limit]);
  const cards = actor.role === 'resident' ? new Map() : await householdCards(deps, actor, rows.map((r) => Number(r.household_id)));
  return { by: q.by, regionCode: region, items: rows.map((r, i) => ({ rank: i + 1, householdId: Number(r.household_id), balance: r.balance, members: r.members,
    // staff see which household it is; residents see the rank and the balance only
    householdNo: cards.get(Number(r.household_id))?.householdNo ?? null, address: cards.get(Number(r.household_id))?.address ?? null })) };
}

// ---- the shop

const itemView = (r: any, staff = false) => ({
  id: Number(r.id), regionCode: r.region_code, name: r.name, cost: r.cost, stock: r.stock, active: r.active,
  // staff see what went out: everything put on the shelf less what is left
  ...(staff ? { regionName: r.region_name ?? null, stocked: r.stocked, redeemed: r.stocked - r.stock } : {}),
});

export async function createItem(deps: ParticipationDeps, actor: Actor, b: { regionCode: string; name: string; cost: number; stock: number }) {
  participationPolicy.assert(actor, 'participation.points.manage');
  if (!regionScope(actor).has(b.regionCode)) throw unprocessable('outside_scope', both('只能在本辖区上架', 'Items are put on the shelf of a region of your territory.'));
  const [r] = await deps.ctx.db.query('SELECT code FROM region WHERE code = $1', [b.regionCode]);
  if (!r) throw unprocessable('unknown_region', both('区域不存在', `Region ${b.regionCode} does not exist.`));
  const [row] = await deps.ctx.db.query<any>(
    'INSERT INTO pt_shop_item (district_code, region_code, name, cost, stock, stocked, created_at) VALUES ($1,$2,$3,$4,$5,$5,$6) RETURNING *',
    [regionLevels(b.regionCode).district, b.regionCode, b.name, b.cost, b.stock, deps.ctx.now()]);
  return itemView(row);
}

async function staffItem(deps: ParticipationDeps, actor: Actor, id: number) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const [it] = await deps.ctx.db.query<any>('SELECT * FROM pt_shop_item WHERE id = $1', [id]);
  if (!it || !regionScope(actor).has(it.region_code)) throw notFound({ zh: `商品 ${id}`, en: `Item ${id}` });
  return it;
}

export async function restock(deps: ParticipationDeps, actor: Actor, id: number, add: number) {
  await staffItem(deps, actor, id);
  await deps.ctx.db.query('UPDATE pt_shop_item SET stock = stock + $2, stocked = stocked + $2 WHERE id = $1', [id, add]);
  return staffItemView(deps.ctx.db, id);
}

/**
 * Renames an item, changes its price or takes it off the shelf (and back): audited with what it was. A
 * new price applies to redemptions from now on; those made keep what they cost.
 */
export async function updateItem(deps: ParticipationDeps, actor: Actor, id: number, b: { name?: string; cost?: number; active?: boolean }) {
  const it = await staffItem(deps, actor, id);
  return deps.ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<any>(
      'UPDATE pt_shop_item SET name = coalesce($2, name), cost = coalesce($3, cost), active = coalesce($4, active) WHERE id = $1 AND district_code = $5 RETURNING *',
      [id, b.name ?? null, b.cost ?? null, b.active ?? null, it.district_code]);
    await tx.query(`INSERT INTO audit_log (actor_id, action, target, region_code, detail) VALUES ($1, 'participation.shop.update', $2, $3, $4::jsonb)`,
      [actor.id, `shop_item:${id}`, it.region_code, JSON.stringify({ before: { name: it.name, cost: it.cost, active: it.active }, after: { name: row.name, cost: row.cost, active: row.active } })]);
    return staffItemView(tx, id);
  });
}

async function staffItemView(q: Queryable, id: number) {
  const [row] = await q.query<any>('SELECT i.*, r.name AS region_name FROM pt_shop_item i LEFT JOIN region r ON r.code = i.region_code WHERE i.id = $1', [id]);
  return itemView(row, true);
}

/** The shop where the actor lives (residents: what is on the shelf) or works (staff: every item, on the shelf or off, with what went out). */
export async function shop(deps: ParticipationDeps, actor: Actor) {
  const staff = actor.role !== 'resident';
  const home = staff ? actor.regionCode : (await residentOf(deps.ctx.db, actor)).regionCode;
  if (staff) participationPolicy.assert(actor, 'participation.read');
  const rows = await deps.ctx.db.query<any>(
    `SELECT i.*, r.name AS region_name FROM pt_shop_item i LEFT JOIN region r ON r.code = i.region_code
     WHERE (i.active OR $2) AND (starts_with($1, i.region_code) OR ($2 AND starts_with(i.region_code, $1))) ORDER BY i.active DESC, i.cost, i.id`, [home, staff]);
  return { items: rows.map((r) => itemView(r, staff)) };
}

/** Redemptions at the shops of the territory, newest first (staff): what, for whom (masked), how many points. */
export async function listRedemptions(deps: ParticipationDeps, actor: Actor, q: { itemId?: number; page: number; pageSize: number }) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const { db } = deps.ctx;
  const params: unknown[] = [];
  let where = regionScope(actor).sql('i', params, false);
  if (q.itemId) { params.push(q.itemId); where += ` AND i.id = $${params.length}`; }
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const rows = await db.query<any>(
    `SELECT d.id, d.item_id, d.person_id, d.cost, d.at, i.name AS item FROM pt_redemption d JOIN pt_shop_item i ON i.id = d.item_id AND i.district_code = d.district_code
     WHERE ${where} ORDER BY d.at DESC, d.id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`, params);
  const items = [];
  for (const d of rows) {
    items.push({ id: Number(d.id), itemId: Number(d.item_id), item: d.item, personId: Number(d.person_id),
      name: (await participant(db, Number(d.person_id)))?.nameMasked ?? null, cost: d.cost, at: iso(d.at) });
  }
  return { page: q.page, pageSize: q.pageSize, items };
}

export async function redeem(deps: ParticipationDeps, actor: Actor, itemId: number) {
  participationPolicy.assert(actor, 'participation.points.use');
  const { db } = deps.ctx;
  const p = await linkedParticipant(db, actor);
  const [it] = await db.query<any>('SELECT * FROM pt_shop_item WHERE id = $1', [itemId]);
  if (!it || !it.active || !p.regionCode.startsWith(it.region_code)) throw notFound({ zh: `商品 ${itemId}`, en: `Item ${itemId}` });
  const now = deps.ctx.now();
  return db.transaction(async (tx) => {
    const [taken] = await tx.query<any>('UPDATE pt_shop_item SET stock = stock - 1 WHERE id = $1 AND district_code = $2 AND active AND stock > 0 RETURNING cost', [itemId, it.district_code]);
    if (!taken) throw conflict('out_of_stock', both('该商品已兑完', 'The item is out of stock.'));
    const e = await append(tx, { person: p, delta: -taken.cost, reason: `积分超市兑换：${it.name}`, kind: 'redemption', actorId: actor.id, now, guardBalance: true });
    if (!e) throw new AppError(409, 'insufficient_points', both(`积分不足，需要 ${taken.cost} 分`, `Not enough points: the item costs ${taken.cost}.`));
    const [r] = await tx.query<{ id: number }>('INSERT INTO pt_redemption (district_code, item_id, person_id, cost, entry_id, at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [it.district_code, itemId, p.personId, taken.cost, e.entryId, now]);
    return { redemptionId: Number(r.id), item: it.name, cost: taken.cost, balance: e.balance };
  });
}

// ---- appeals

export async function appeal(deps: ParticipationDeps, actor: Actor, entryId: number, reason: string) {
  participationPolicy.assert(actor, 'participation.points.use');
  const { db } = deps.ctx;
  const p = await linkedParticipant(db, actor);
  const [e] = await db.query<any>('SELECT * FROM pt_point_entry WHERE id = $1 AND person_id = $2', [entryId, p.personId]);
  if (!e) throw notFound({ zh: `积分记录 ${entryId}`, en: `Entry ${entryId}` });
  if (e.kind !== 'rule') throw unprocessable('not_appealable', both('只能对积分奖扣提出申诉', 'Only awards and deductions can be appealed.'));
  try {
    const [a] = await db.query<{ id: number }>(
      'INSERT INTO pt_point_appeal (district_code, entry_id, person_id, region_code, reason, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id',
      [e.district_code, entryId, p.personId, e.region_code, reason, deps.ctx.now()]);
    return { id: Number(a.id), entryId, status: 'open' };
  } catch (err: any) {
    if (err?.code === '23505') throw conflict('already_appealed', both('该条记录已提出过申诉', 'This entry has been appealed already.'));
    throw err;
  }
}

/**
 * Residents of the territory to award or deduct points: the registry's person search (full name, surname,
 * address or ID number), names masked, with their household and balance (staff who manage points).
 */
export async function findPeople(deps: ParticipationDeps, actor: Actor, q: string) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const hits = (await searchResidents(registryOf(deps), actor, { q, limit: 20 })).items;
  const ids = hits.map((h) => h.id);
  const accounts = ids.length ? await deps.ctx.db.query<any>('SELECT person_id, balance FROM pt_point_account WHERE person_id = ANY($1::bigint[])', [ids]) : [];
  const balance = new Map(accounts.map((a) => [Number(a.person_id), a.balance]));
  const households = await householdCards(deps, actor, hits.map((h) => h.householdId));
  return { items: hits.map((h) => ({ personId: h.id, name: h.nameMasked, regionName: h.regionName, householdId: h.householdId,
    household: h.householdId != null ? households.get(h.householdId) ?? null : null, address: h.currentAddress, balance: balance.get(h.id) ?? 0 })) };
}

/** Households by id as staff read them: number, address and members (masked). */
async function householdCards(deps: ParticipationDeps, actor: Actor, ids: Array<number | null>) {
  const wanted = [...new Set(ids.filter((x): x is number => x != null))];
  const cards = wanted.length ? await householdsOf(registryOf(deps), actor, { ids: wanted }) : [];
  return new Map(cards.map((h) => [h.id, { id: h.id, householdNo: h.householdNo, address: h.address, members: h.members.length }]));
}

export async function listAppeals(deps: ParticipationDeps, actor: Actor, status?: 'open' | 'upheld' | 'rejected') {
  participationPolicy.assert(actor, 'participation.points.manage');
  const params: unknown[] = [];
  let where = regionScope(actor).sql('a', params, false);
  if (status) { params.push(status); where += ` AND a.status = $${params.length}`; }
  const rows = await deps.ctx.db.query<any>(
    `SELECT a.*, e.delta, e.reason AS entry_reason FROM pt_point_appeal a JOIN pt_point_entry e ON e.id = a.entry_id AND e.district_code = a.district_code
     WHERE ${where} ORDER BY a.created_at DESC LIMIT 200`, params);
  const people = new Map<number, Participant | null>();
  for (const a of rows) if (!people.has(Number(a.person_id))) people.set(Number(a.person_id), await participant(deps.ctx.db, Number(a.person_id)));
  // who appeals, as staff can place them: the masked name, the household (number, address) and the community
  const households = await householdCards(deps, actor, [...people.values()].map((p) => p?.householdId ?? null));
  const regionNames = new Map((await deps.ctx.db.query<any>('SELECT code, name FROM region WHERE code = ANY($1::text[])',
    [[...new Set([...people.values()].filter(Boolean).map((p) => p!.regionCode))]])).map((r) => [r.code, r.name]));
  const items = rows.map((a) => {
    const p = people.get(Number(a.person_id));
    return { id: Number(a.id), entryId: Number(a.entry_id), personId: Number(a.person_id), name: p?.nameMasked ?? null,
      regionName: p ? regionNames.get(p.regionCode) ?? null : null, household: p?.householdId != null ? households.get(p.householdId) ?? null : null,
      delta: a.delta, entryReason: a.entry_reason, reason: a.reason, status: a.status, decisionNote: a.decision_note, createdAt: iso(a.created_at), decidedAt: iso(a.decided_at) };
  });
  return { items };
}

/**
 * Decides an appeal (申诉): upheld appends the reversal of the entry (once), rejected keeps it; both with a
 * note. The resident who appealed is told the decision in 我的 › 消息.
 */
export async function decideAppeal(deps: ParticipationDeps, actor: Actor, id: number, b: { uphold: boolean; note: string }) {
  participationPolicy.assert(actor, 'participation.points.manage');
  const { db } = deps.ctx;
  const now = deps.ctx.now();
  return db.transaction(async (tx) => {
    const [a] = await tx.query<any>('SELECT * FROM pt_point_appeal WHERE id = $1 FOR UPDATE', [id]);
    if (!a || !regionScope(actor).has(a.region_code)) throw notFound({ zh: `申诉 ${id}`, en: `Appeal ${id}` });
    if (a.status !== 'open') throw conflict('appeal_decided', both('该申诉已处理过', 'The appeal has been decided already.'));
    await tx.query('UPDATE pt_point_appeal SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5 WHERE id = $1',
      [id, b.uphold ? 'upheld' : 'rejected', actor.id, b.note, now]);
    const [e] = await tx.query<any>('SELECT * FROM pt_point_entry WHERE id = $1 AND district_code = $2', [a.entry_id, a.district_code]);
    if (b.uphold) {
      const p = { personId: Number(e.person_id), householdId: e.household_id == null ? null : Number(e.household_id), regionCode: e.region_code, nameMasked: '', adult: true };
      await append(tx, { person: p, delta: -e.delta, reason: `申诉成立，撤销：${e.reason}（${b.note}）`, kind: 'reversal', reversesId: Number(e.id), actorId: actor.id, now });
    }
    // the resident (their linked accounts) hears the decision: the entry appealed and the note
    const users = await tx.query<{ user_id: number }>('SELECT user_id FROM pt_resident WHERE person_id = $1', [a.person_id]);
    for (const u of users) {
      await notifyUser(tx, { userId: Number(u.user_id), kind: b.uphold ? 'appeal_upheld' : 'appeal_rejected', subjectId: id,
        title: `${e.delta > 0 ? `+${e.delta}` : e.delta} ${e.reason}`, note: b.note, at: now });
    }
    return { id, status: b.uphold ? 'upheld' : 'rejected' };
  });
}
