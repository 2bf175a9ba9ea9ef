// The case types in force: the built-in definitions and any given to the platform, each version kept so
// that a case stays on the workflow it started on. Stored in the `workflow` table, which also brings back
// versions no longer in the code. Everything the engine's readers need is derived here, once.
import type { Queryable } from '../../platform/db/index.ts';
import type { Role } from '../../platform/auth/actor.ts';
import { actionSchema, validateDefinition, type ActionDef, type CaseTypeDef, type DefinitionLibraries, type FieldDef } from './definition.ts';
import { inboxStates, type InboxStates } from './engine.ts';
import { effectLibrary, guards, type EffectDef } from './effects.ts';
import { builtinCaseTypes } from './types/index.ts';

export class CaseTypeRegistry {
  private byKey = new Map<string, CaseTypeDef>();
  private latestByType = new Map<string, CaseTypeDef>();
  private inboxCache = new Map<Role, Array<[string, InboxStates]>>();

  private libraries: DefinitionLibraries;

  /** `effects`: every effect a definition may name (the built-in ones and the modules' own). */
  constructor(defs: CaseTypeDef[] = builtinCaseTypes, readonly effects: Map<string, EffectDef> = effectLibrary()) {
    this.libraries = { guards: new Set(Object.keys(guards)), effects };
    for (const d of defs) this.add(d);
  }

  private add(def: CaseTypeDef): void {
    const errors = validateDefinition(def, this.libraries);
    if (errors.length) throw new Error(`Case type ${def.type} v${def.version} is invalid: ${errors.join('; ')}`);
    this.byKey.set(`${def.type}@${def.version}`, def);
    const cur = this.latestByType.get(def.type);
    if (!cur || cur.version < def.version) this.latestByType.set(def.type, def);
    this.inboxCache.clear();
    const prefixes = new Map([...this.latestByType.values()].map((d) => [d.intake.prefix, d.type]));
    if (prefixes.get(def.intake.prefix) !== def.type) throw new Error(`Case number prefix ${def.intake.prefix} of ${def.type} is already used by ${prefixes.get(def.intake.prefix)}`);
  }

  /** Stores the definitions of the code and loads versions that only the database still has. */
  async sync(db: Queryable): Promise<void> {
    for (const def of this.byKey.values()) {
      // the code is the truth for the versions it defines
      await db.query(
        `INSERT INTO workflow (case_type, version, definition) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (case_type, version) DO UPDATE SET definition = EXCLUDED.definition WHERE workflow.definition <> EXCLUDED.definition`,
        [def.type, def.version, JSON.stringify(def)]);
    }
    const rows = await db.query<{ definition: CaseTypeDef }>('SELECT definition FROM workflow');
    for (const r of rows) {
      const d = r.definition;
      if (!this.byKey.has(`${d.type}@${d.version}`) && Array.isArray(d.actions)) this.add(d);
    }
  }

  get(type: string, version: number): CaseTypeDef {
    const d = this.byKey.get(`${type}@${version}`);
    if (!d) throw new Error(`No workflow ${type} v${version}`);
    return d;
  }

  latest(type: string): CaseTypeDef | undefined { return this.latestByType.get(type); }

  /** The newest version of every type. */
  types(): CaseTypeDef[] { return [...this.latestByType.values()]; }

  all(): CaseTypeDef[] { return [...this.byKey.values()]; }

  /** The type a role reports when it names none, or null when it reports nothing. */
  defaultTypeFor(role: Role): CaseTypeDef | null {
    return this.types().find((d) => d.intake.defaultFor?.includes(role) && d.intake.roles.includes(role))
      ?? this.types().find((d) => d.intake.roles.includes(role)) ?? null;
  }

  inboxStatesByType(role: Role): Array<[string, InboxStates]> {
    let v = this.inboxCache.get(role);
    if (!v) {
      v = this.types().map((d) => [d.type, inboxStates(d, role)] as [string, InboxStates]);
      this.inboxCache.set(role, v);
    }
    return v;
  }

  /** Every action a user can take, by name, with its fields (one documented route each). */
  actionsByName(): Map<string, { fields: FieldDef[]; label: ActionDef['label']; types: string[] }> {
    const out = new Map<string, { fields: FieldDef[]; label: ActionDef['label']; types: string[] }>();
    for (const d of this.all()) {
      for (const a of d.actions) {
        if (a.roles === 'system') continue;
        const cur = out.get(a.name);
        if (!cur) out.set(a.name, { fields: a.fields ?? [], label: a.label, types: [d.type] });
        else if (JSON.stringify(cur.fields.map((f) => [f.name, f.kind, !!f.required])) !== JSON.stringify((a.fields ?? []).map((f) => [f.name, f.kind, !!f.required]))) {
          throw new Error(`Action ${a.name} takes different fields in ${cur.types[0]} and ${d.type}; give one of them another name`);
        } else if (!cur.types.includes(d.type)) cur.types.push(d.type);
      }
    }
    return out;
  }

  /** (type, state) pairs of an inbox group, for list filters. */
  statesInGroup(group: string): Array<[string, string[]]> {
    return this.types().map((d) => [d.type, Object.entries(d.states).filter(([, s]) => s.inbox === group).map(([n]) => n)] as [string, string[]])
      .filter(([, states]) => states.length);
  }

  schemaOf(action: string) {
    const a = this.actionsByName().get(action);
    return a ? actionSchema(a.fields) : null;
  }
}
