// The case types in force (GET /api/v1/workflows), fetched once per session. Everything the console shows
// about states and actions — labels, colours, inbox groups, the fields of an action's dialog, which
// button is primary — comes from these definitions; no component names a state or an action.
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { Label } from '../i18n/index.tsx';
import type { Role } from '../api/types.ts';

export type FieldKind = 'note' | 'reason' | 'unit' | 'units' | 'minutes' | 'rating' | 'summons' | 'case' | 'confirm' | 'photos'
  | 'case_type' | 'category' | 'reveal';
export interface FieldDef { name: string; kind: FieldKind; required?: boolean; label: Label; hint?: Label }
export type ActionContext = 'routing' | 'duplicates' | 'filing_condition' | 'closing_condition' | 'category';
export interface ActionDef {
  name: string; label: Label; from: string[]; to: unknown; roles: Role[] | 'system'; party: string; fields?: FieldDef[];
  guard?: string; effect?: string; public?: boolean | 'with_note'; oversight?: boolean; style?: 'primary' | 'danger'; context?: ActionContext[];
}
export interface StateDef {
  label: Label; terminal?: 'resolved' | 'declined' | 'duplicate'; clock?: { limit: number | 'category' } | 'paused';
  public?: boolean; inbox?: string; auto?: string;
}
export interface CaseTypeDef {
  type: string; version: number; name: Label; initial: string;
  intake: { roles: Role[]; defaultFor?: Role[]; prefix: string; convertFrom?: string[] };
  states: Record<string, StateDef>; actions: ActionDef[];
}
interface WorkflowsResponse {
  items: CaseTypeDef[]; latest: Record<string, number>; inboxGroups: Record<string, Label>; outcomes: Record<string, Label>;
  systemFacts: Record<string, { label: Label; public: boolean }>;
  /** Topics of the case events on /api/v1/events. */
  topics: string[];
}

/** Look-ups over the definitions; a case names the version it runs on. */
export class Workflows {
  private byKey: Map<string, CaseTypeDef>;
  constructor(readonly data: WorkflowsResponse) {
    this.byKey = new Map(data.items.map((d) => [`${d.type}@${d.version}`, d]));
  }

  /** The newest version of every type. */
  types(): CaseTypeDef[] { return Object.entries(this.data.latest).map(([t, v]) => this.byKey.get(`${t}@${v}`)!).filter(Boolean); }

  def(type: string, version?: number): CaseTypeDef | undefined {
    return this.byKey.get(`${type}@${version ?? this.data.latest[type]}`);
  }

  /** An action of the case's type (or, for a step from before a change of type, of any type). */
  action(c: { type: string; workflowVersion?: number }, name: string): ActionDef | undefined {
    return this.def(c.type, c.workflowVersion)?.actions.find((a) => a.name === name)
      ?? this.data.items.flatMap((d) => d.actions).find((a) => a.name === name);
  }

  state(c: { type: string; workflowVersion?: number }, name: string): StateDef | undefined {
    return this.def(c.type, c.workflowVersion)?.states[name] ?? this.data.items.find((d) => d.states[name])?.states[name];
  }

  /** The label of an action or a system fact of any type (a live event names only its action). */
  anyActionLabel(name: string): Label | undefined {
    const fact = this.data.systemFacts?.[name];
    return fact?.label ?? this.data.items.flatMap((d) => d.actions).find((a) => a.name === name)?.label;
  }

  /** Every state of the newest versions, once per name, for a state filter. */
  stateOptions(): Array<{ value: string; label: Label }> {
    const seen = new Map<string, Label>();
    for (const d of this.types()) for (const [name, s] of Object.entries(d.states)) if (!seen.has(name)) seen.set(name, s.label);
    return [...seen].map(([value, label]) => ({ value, label }));
  }

  groupOptions(): Array<{ value: string; label: Label }> {
    return Object.entries(this.data.inboxGroups).map(([value, label]) => ({ value, label }));
  }

  /** The types a role may report, its default first. */
  reportable(role: Role): CaseTypeDef[] {
    const mine = this.types().filter((d) => d.intake.roles.includes(role));
    return mine.sort((a, b) => Number(!!b.intake.defaultFor?.includes(role)) - Number(!!a.intake.defaultFor?.includes(role)));
  }

  /** Among the actions open on a case, the one that does `effect` (merge, …). */
  openWithEffect(c: { type: string; workflowVersion?: number; actions?: string[] }, effect: string): string | null {
    return (c.actions ?? []).find((n) => this.action(c, n)?.effect === effect) ?? null;
  }

  /** Among the actions open on a case, one its reporter takes to end it resolved on the spot (小事不出村). */
  /** The actions of a case type that close it on the spot for its reporter (小事不出村), for a report sent later. */
  selfCloseActions(type: string | undefined): string[] {
    const def = type ? this.def(type) : undefined;
    if (!def) return [];
    return def.actions.filter((a) => a.party === 'reporter' && typeof a.to === 'string' && def.states[a.to]?.terminal === 'resolved').map((a) => a.name);
  }

  openSelfClose(c: { type: string; workflowVersion?: number; actions?: string[] }): string | null {
    const def = this.def(c.type, c.workflowVersion);
    return (c.actions ?? []).find((n) => {
      const a = this.action(c, n);
      return a?.party === 'reporter' && typeof a.to === 'string' && def?.states[a.to]?.terminal === 'resolved';
    }) ?? null;
  }
}

let cached: Promise<Workflows> | null = null;

export function loadWorkflows(): Promise<Workflows> {
  cached ??= api<WorkflowsResponse>('/api/v1/workflows').then((d) => new Workflows(d)).catch((e) => { cached = null; throw e; });
  return cached;
}
export function forgetWorkflows(): void { cached = null; }

export function useWorkflows(): Workflows | null {
  const [w, setW] = useState<Workflows | null>(null);
  useEffect(() => {
    let live = true;
    loadWorkflows().then((x) => { if (live) setW(x); }, () => undefined);
    return () => { live = false; };
  }, []);
  return w;
}

/** The colour of a state's tag: by what it is (ended, paused) and by its inbox group. */
export function stateColor(s: StateDef | undefined): string {
  if (!s) return 'default';
  if (s.terminal) return s.terminal === 'resolved' ? 'green' : 'default';
  if (s.clock === 'paused') return 'default';
  return ({ intake: 'blue', dispatch: 'geekblue', sign: 'purple', handling: 'orange', review: 'cyan', callback: 'magenta', closing: 'cyan' } as Record<string, string>)[s.inbox ?? ''] ?? 'volcano';
}
