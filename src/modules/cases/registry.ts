// The workflow definitions in force: the built-in ones, stored in the workflow table so that a case
// keeps the version it started on even after a definition changes.
import type { Queryable } from '../../platform/db/index.ts';
import type { Role } from '../../platform/auth/actor.ts';
import { builtinWorkflows, validateWorkflow, type CaseType, type WorkflowDef } from './workflow.ts';
import { inboxStates } from './engine.ts';

export class WorkflowRegistry {
  private byKey = new Map<string, WorkflowDef>();
  private latestByType = new Map<CaseType, WorkflowDef>();
  private inboxCache = new Map<Role, Array<[CaseType, string[]]>>();

  constructor(defs: WorkflowDef[] = builtinWorkflows) {
    for (const d of defs) this.add(d);
  }

  private add(def: WorkflowDef): void {
    const errors = validateWorkflow(def);
    if (errors.length) throw new Error(`Workflow ${def.type} v${def.version} is invalid: ${errors.join('; ')}`);
    this.byKey.set(`${def.type}@${def.version}`, def);
    const cur = this.latestByType.get(def.type);
    if (!cur || cur.version < def.version) this.latestByType.set(def.type, def);
    this.inboxCache.clear();
  }

  /** Stores the built-in definitions and loads older versions that cases may still use. */
  async sync(db: Queryable): Promise<void> {
    for (const def of this.latestByType.values()) {
      await db.query(
        'INSERT INTO workflow (case_type, version, definition) VALUES ($1, $2, $3::jsonb) ON CONFLICT (case_type, version) DO NOTHING',
        [def.type, def.version, JSON.stringify(def)]);
    }
    const rows = await db.query<{ definition: WorkflowDef }>('SELECT definition FROM workflow');
    for (const r of rows) if (!this.byKey.has(`${r.definition.type}@${r.definition.version}`)) this.add(r.definition);
  }

  get(type: CaseType, version: number): WorkflowDef {
    const d = this.byKey.get(`${type}@${version}`);
    if (!d) throw new Error(`No workflow ${type} v${version}`);
    return d;
  }

  latest(type: CaseType): WorkflowDef {
    const d = this.latestByType.get(type);
    if (!d) throw new Error(`No workflow for ${type}`);
    return d;
  }

  all(): WorkflowDef[] { return [...this.byKey.values()]; }

  inboxStatesByType(role: Role): Array<[CaseType, string[]]> {
    let v = this.inboxCache.get(role);
    if (!v) {
      v = [...this.latestByType.values()].map((d) => [d.type, inboxStates(d, role)] as [CaseType, string[]]);
      this.inboxCache.set(role, v);
    }
    return v;
  }
}
