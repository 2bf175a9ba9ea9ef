// The caller's history (来电人历史): a hotline operator types the caller's phone and sees that caller's
// earlier tickets — found by the keyed hash of the phone (the phone itself is sealed), within the
// operator's territory, newest first — with a repeat-caller mark.
import type { Actor } from '../../platform/auth/actor.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { visibilitySql } from './visibility.ts';
import { iso, stateLabel } from './views.ts';
import type { CaseDeps } from './deps.ts';

/** How many earlier tickets the history shows (the count covers them all). */
export const CALLER_HISTORY_LIMIT = 20;

export interface CallerHistory {
  phoneMasked: string;
  /** Every earlier ticket of this phone the actor may see, and how many of them are still open. */
  count: number; openCount: number;
  /** A repeat caller: the phone has called before (at least one earlier ticket). */
  repeat: boolean;
  items: Array<{
    id: number; caseNo: string; title: string; state: string; stateLabel: { zh: string; en: string };
    appealKind: string | null; categoryCode: string; isOpen: boolean; createdAt: string; closedAt: string | null;
  }>;
}

export async function callerHistory(deps: CaseDeps, actor: Actor, phone: string): Promise<CallerHistory> {
  deps.policy.assert(actor, 'case.caller_history');
  const params: unknown[] = [deps.ctx.cipher.lookupHash(phone)];
  const vis = visibilitySql(actor, params);
  // one walk of case_caller_idx for this phone (a caller has few tickets), the count with it
  const rows = await deps.ctx.db.query<any>(
    `SELECT c.id, c.case_no, c.title, c.type, c.workflow_version, c.state, c.appeal_kind, c.category_code, c.is_open,
            c.created_at, c.closed_at, count(*) OVER ()::int AS n, count(*) FILTER (WHERE c.is_open) OVER ()::int AS n_open
     FROM "case" c WHERE c.reporter_phone_hash = $1 AND ${vis}
     ORDER BY c.created_at DESC, c.id DESC LIMIT ${CALLER_HISTORY_LIMIT}`, params, { prepare: true });
  const count = rows[0]?.n ?? 0;
  return {
    phoneMasked: maskPhone(phone), count, openCount: rows[0]?.n_open ?? 0, repeat: count > 0,
    items: rows.map((r) => ({
      id: Number(r.id), caseNo: r.case_no, title: r.title, state: r.state,
      stateLabel: stateLabel(deps.types, deps.types.get(r.type, r.workflow_version), r.state),
      appealKind: r.appeal_kind, categoryCode: r.category_code, isOpen: r.is_open, createdAt: iso(r.created_at)!, closedAt: iso(r.closed_at),
    })),
  };
}
