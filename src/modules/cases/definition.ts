// What a case type is (DESIGN rule 2; STYLE habit 3): one definition per type, plain data, declaring its
// states and its actions. The engine, inboxes, SLA lights, the scheduler, stats, the portal, intelligence
// and the console all read these definitions (GET /api/v1/workflows); no state or action name is written
// anywhere else. A definition is JSON-serialisable: guards and effects are named from the closed
// libraries in effects.ts, and the input fields from the field kinds below, so a definition can be stored
// (a case keeps the version it started on), served to the console and written as a data document.
import { z } from 'zod';
import type { Role } from '../../platform/auth/actor.ts';
import { roles as allRoles } from '../../platform/auth/actor.ts';

export type Label = { zh: string; en: string };

/** Where a case waiting in a state is filed in the console's inbox (one vocabulary across types). */
export const inboxGroups = {
  intake: { zh: '待受理', en: 'To accept' },
  dispatch: { zh: '待派遣', en: 'To dispatch' },
  sign: { zh: '待签收', en: 'To sign for' },
  handling: { zh: '办理中', en: 'Handling' },
  review: { zh: '待审核', en: 'To review' },
  callback: { zh: '待回访', en: 'To call back' },
  closing: { zh: '待结案', en: 'To close' },
  paused: { zh: '挂账', en: 'Suspended' },
} as const satisfies Record<string, Label>;
export type InboxGroup = keyof typeof inboxGroups;

/** What an ended case counts as: resolved (办结), declined (not accepted), or merged into another case as a duplicate. */
export const outcomes = {
  resolved: { zh: '已办结', en: 'Resolved' },
  declined: { zh: '不予受理', en: 'Not accepted' },
  duplicate: { zh: '已合并', en: 'Merged as a duplicate' },
} as const satisfies Record<string, Label>;
export type Outcome = keyof typeof outcomes;

/** How a resident sees a state that is not shown to residents. */
export const hiddenStateLabel: Label = { zh: '办理中', en: 'In progress' };

export interface StateDef {
  label: Label;
  /** Terminal states end the case; the outcome is what the ended case counts as in statistics. */
  terminal?: Outcome;
  /**
   * The step clock in this state: running with a limit in working minutes (or the category's handling
   * limit), or paused (挂账: the time left is kept and runs on when the case returns to the state it
   * came from). Absent: no deadline in this state.
   */
  clock?: { limit: number | 'category' } | 'paused';
  /** Shown to residents (portal); a hidden state reads as 办理中 there. Default true. */
  public?: boolean;
  inbox?: InboxGroup;
  /** A system action applied as soon as the case enters this state (e.g. 不满意 → 重办). */
  auto?: string;
}

/**
 * Who among the allowed roles may act: anyone whose territory holds the case, the lead unit's staff,
 * the person who reported the case, the staff of a unit summoned by a whistle, or the staff of the unit
 * that dispatched the case to its current lead unit (三级派单: the district centre, or a street centre that
 * re-dispatched it; a case the system dispatched has the district level of its territory as dispatcher).
 */
export type Party = 'scope' | 'lead_unit' | 'reporter' | 'summoned_unit' | 'dispatcher';

/** The kinds of input an action can take; each kind has one schema here and one widget in the console. */
export const fieldKinds = {
  note: { zh: '办理意见', en: 'Note' },
  reason: { zh: '理由', en: 'Reason' },
  unit: { zh: '单位', en: 'Unit' },
  units: { zh: '单位', en: 'Units' },
  minutes: { zh: '时长', en: 'Duration' },
  rating: { zh: '满意度', en: 'Rating' },
  summons: { zh: '召集单位', en: 'Summoned units' },
  case: { zh: '案件', en: 'Case' },
  confirm: { zh: '确认', en: 'Confirmation' },
  photos: { zh: '照片', en: 'Photos' },
  case_type: { zh: '案件类型', en: 'Case type' },
  category: { zh: '分类', en: 'Category' },
  reveal: { zh: '联系方式', en: 'Contact' },
} as const satisfies Record<string, Label>;
export type FieldKind = keyof typeof fieldKinds;

export interface FieldDef {
  /** The body key. */
  name: string;
  kind: FieldKind;
  required?: boolean;
  label: Label;
  /** A hint under the field in the console. */
  hint?: Label;
}

export type Target = string | '$same' | '$prev' | '$entry' | { field: string; map: Record<string, string> };

export interface ActionDef {
  /** Stable token, unique per (type, edge set); several edges may share a name (by role, by state). */
  name: string;
  label: Label;
  from: string[];
  /** '$same' keeps the state; '$prev' returns to the state before a pause; '$entry' is the entry state of the type changed to; a map branches on an input field. */
  to: Target;
  roles: Role[] | 'system';
  party: Party;
  fields?: FieldDef[];
  /** A named guard (effects.ts) that must hold beyond state, role and party. */
  guard?: string;
  /** A named effect (effects.ts): what the action does besides moving the state. */
  effect?: string;
  /** Shown on the portal's timeline; 'with_note' shows the step's note to residents too (a reply, an answer). */
  public?: boolean | 'with_note';
  /** Oversight (督办, 催办, 吹哨 …) is possible in many states and does not put a case in anyone's inbox. */
  oversight?: boolean;
  /** The console's button: primary for the step that moves the case on, danger for refusals. */
  style?: 'primary' | 'danger';
  /** What the console shows beside the form: routing suggestions, duplicate candidates, the category's conditions. */
  context?: ActionContext[];
}

export const actionContexts = ['routing', 'duplicates', 'filing_condition', 'closing_condition', 'category'] as const;
export type ActionContext = (typeof actionContexts)[number];

export interface IntakeDef {
  /** Roles that may report a case of this type. */
  roles: Role[];
  /** Roles whose reports are of this type when they name none. */
  defaultFor?: Role[];
  /** Case number prefix: two capital letters, then the date and a sequence (RX20261206…). */
  prefix: string;
  /** Types a case may be changed from into this type (a 12345 ticket becomes a dispute …). */
  convertFrom?: string[];
  /**
   * An effect run when a case becomes this type by a change of type, in the same transaction (the module
   * that brings the type opens its own record for the case: a dispute's GB/T 31000 record).
   */
  onEnter?: string;
  /**
   * 即时办结: the action (from the entry state) that closes a case answered on the call in the same step
   * as its intake. Such a case needs no location: it belongs to the reporter's own region. Whether a
   * callback follows is that action's target: a terminal state (no callback) or a callback state.
   */
  onCall?: string;
}

export interface CaseTypeDef {
  type: string;
  version: number;
  name: Label;
  /** How many times a case may be returned (退回) by its handling units; the return_limit guard reads it (default 2). */
  returnLimit?: number;
  initial: string;
  intake: IntakeDef;
  states: Record<string, StateDef>;
  actions: ActionDef[];
}

/** Facts the engine records that no user chooses: the report itself, overdue flags, a merged duplicate. */
export const systemFacts = {
  report: { label: { zh: '上报', en: 'Report' }, public: true },
  overdue: { label: { zh: '超期', en: 'Overdue' }, public: false },
  whistle_overdue: { label: { zh: '报到超期', en: 'Report-in overdue' }, public: false },
  merged_in: { label: { zh: '并入重复件', en: 'Duplicate merged in' }, public: false },
} as const satisfies Record<string, { label: Label; public: boolean }>;
export type SystemFact = keyof typeof systemFacts;

// ---------------------------------------------------------------------------------------------
// Input schemas from field kinds

const unitId = z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'unit ids are letters, digits, dot, dash or underscore');
export const ratings = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

function kindSchema(kind: FieldKind, required: boolean): z.ZodType | null {
  const text = z.string().trim().max(2000);
  switch (kind) {
    case 'note': return required ? text.min(1) : text;
    case 'reason': return text.min(1);
    case 'unit': return unitId;
    case 'units': return z.array(unitId).max(10);
    case 'minutes': return z.number().int().positive().max(60 * 24 * 90);
    case 'rating': return z.enum(ratings);
    case 'summons': return z.array(z.object({
      unitId,
      reportInMinutes: z.number().int().positive().max(60 * 24 * 7).optional(),
      limitMinutes: z.number().int().positive().max(60 * 24 * 90).optional(),
    }).strict()).min(1).max(20);
    // the 工单编号 a person reads and types (RX20261116…, any letter case), or the case's id
    case 'case': return z.union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      z.string().trim().regex(/^[A-Za-z]{2}\d{8,20}$/, 'case numbers look like RX202611160000123'),
    ]);
    case 'confirm': return z.boolean();
    case 'photos': return z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(10);
    case 'case_type': return z.string().regex(/^[a-z][a-z_]{1,31}$/, 'case types are lower-case letters and underscores');
    case 'category': return z.string().trim().regex(/^\d{2,12}$/, 'category codes are 2–12 digits');
    case 'reveal': return null; // the console's reveal button; nothing is sent
  }
}

/** The request body of an action: exactly its fields, strict. */
export function actionSchema(fields: FieldDef[] = []): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) {
    const s = kindSchema(f.kind, !!f.required);
    if (s) shape[f.name] = f.required ? s : s.optional();
  }
  return z.object(shape).strict();
}

// ---------------------------------------------------------------------------------------------
// Checks on a definition

export interface DefinitionLibraries { guards: ReadonlySet<string>; effects: Map<string, { needs: Array<{ name: string; kind: FieldKind }> }> }

/** Everything that makes a definition unusable; empty when it is well-formed. */
export function validateDefinition(def: CaseTypeDef, libs: DefinitionLibraries): string[] {
  const errors: string[] = [];
  const has = (s: string) => Object.hasOwn(def.states, s);
  const token = /^[a-z][a-z0-9_]{1,39}$/;
  if (!token.test(def.type)) errors.push(`type "${def.type}" is not a lower-case token`);
  if (!/^[A-Z]{2}$/.test(def.intake.prefix)) errors.push(`case number prefix "${def.intake.prefix}" is not two capital letters`);
  if (!has(def.initial)) errors.push(`initial state ${def.initial} is not declared`);
  else if (def.states[def.initial].terminal) errors.push(`initial state ${def.initial} is terminal`);
  for (const r of [...def.intake.roles, ...(def.intake.defaultFor ?? [])]) if (!allRoles.includes(r)) errors.push(`intake: unknown role ${r}`);
  if (def.intake.onEnter && !libs.effects.has(def.intake.onEnter)) errors.push(`intake: unknown effect ${def.intake.onEnter}`);
  if (def.intake.onCall) {
    const a = def.actions.find((x) => x.name === def.intake.onCall && x.from.includes(def.initial) && x.roles !== 'system');
    if (!a) errors.push(`intake: on-call action ${def.intake.onCall} has no edge from ${def.initial}`);
    else if (!a.fields?.some((f) => f.name === 'note' && f.required)) errors.push(`intake: on-call action ${def.intake.onCall} needs a required note (the answer)`);
  }
  for (const [name, s] of Object.entries(def.states)) {
    if (!token.test(name)) errors.push(`state "${name}" is not a lower-case token`);
    if (s.terminal && s.clock) errors.push(`state ${name} is terminal and has a clock`);
    if (s.auto && !def.actions.some((a) => a.name === s.auto && a.roles === 'system' && a.from.includes(name))) {
      errors.push(`state ${name}: auto action ${s.auto} has no system edge from it`);
    }
  }
  const shapes = new Map<string, string>();
  for (const a of def.actions) {
    if (!token.test(a.name)) errors.push(`action "${a.name}" is not a lower-case token`);
    if (Object.hasOwn(systemFacts, a.name)) errors.push(`action ${a.name} has the name of a system fact`);
    if (!a.from.length) errors.push(`${a.name}: no from-state`);
    for (const f of a.from) if (!has(f)) errors.push(`${a.name}: from-state ${f} is not declared`);
    for (const f of a.from) if (has(f) && def.states[f].terminal) errors.push(`${a.name}: leaves terminal state ${f}`);
    const targets = typeof a.to === 'string' ? [a.to] : Object.values(a.to.map);
    for (const to of targets) if (!to.startsWith('$') && !has(to)) errors.push(`${a.name}: to-state ${to} is not declared`);
    if (typeof a.to === 'object' && !a.fields?.some((f) => f.name === (a.to as { field: string }).field && f.required)) {
      errors.push(`${a.name}: branches on ${a.to.field}, which is not a required field`);
    }
    if (a.roles !== 'system') for (const r of a.roles) if (!allRoles.includes(r)) errors.push(`${a.name}: unknown role ${r}`);
    if (a.guard && !libs.guards.has(a.guard)) errors.push(`${a.name}: unknown guard ${a.guard}`);
    if (a.effect) {
      const effect = libs.effects.get(a.effect);
      if (!effect) errors.push(`${a.name}: unknown effect ${a.effect}`);
      for (const need of effect?.needs ?? []) {
        if (!a.fields?.some((f) => f.name === need.name && f.kind === need.kind)) errors.push(`${a.name}: effect ${a.effect} needs field ${need.name} (${need.kind})`);
      }
    }
    for (const c of a.context ?? []) if (!actionContexts.includes(c)) errors.push(`${a.name}: unknown context ${c}`);
    if (a.to === '$entry' && a.effect !== 'switch_type') errors.push(`${a.name}: only a change of type goes to '$entry'`);
    const names = new Set<string>();
    for (const f of a.fields ?? []) {
      if (names.has(f.name)) errors.push(`${a.name}: field ${f.name} twice`);
      names.add(f.name);
      if (!Object.hasOwn(fieldKinds, f.kind)) errors.push(`${a.name}: unknown field kind ${f.kind}`);
    }
    // every edge of one name takes the same input, so an action has one documented body
    const shape = JSON.stringify((a.fields ?? []).map((f) => [f.name, f.kind, !!f.required]));
    const seen = shapes.get(a.name);
    if (seen != null && seen !== shape) errors.push(`${a.name}: its edges declare different fields`);
    shapes.set(a.name, shape);
  }
  return errors;
}

/** The state a case is in after the action, before '$entry' is resolved by a change of type. */
export function targetState(to: Target, state: string, prevState: string | null, input: Record<string, unknown>): string {
  if (to === '$same') return state;
  if (to === '$prev') return prevState ?? state;
  if (typeof to === 'string') return to;
  return to.map[String(input[to.field] ?? '')] ?? state;
}
