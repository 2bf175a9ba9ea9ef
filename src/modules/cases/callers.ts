// The caller's history (来电人历史): a hotline operator types the caller's phone and sees that caller's
// earlier tickets — found by the keyed hash of the phone (the phone itself is sealed), within the
// operator's territory, newest first — with a repeat-caller mark.
import { normalizePhone } from '../../platform/text.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { maskPhone } from '../../platform/crypto.ts';
import { visibilitySql } from './visibility.ts';
import { iso, stateLabel } from './views.ts';
import type { CaseDeps } from './deps.ts';

/** How many earlier tickets the history shows (the count covers them all). */
export const CALLER_HISTORY_LIMIT = 20;
/** Beyond this many tickets a caller's count reads "1000+" (countCapped). */
export const COUNT_CAP = 1000;

export interface CallerHistory {
  phoneMasked: string;
  /** Every earlier ticket of this phone the actor may see, and how many of them are still open. */
  count: number; openCount: number;
  /** The count stopped at COUNT_CAP: the caller has at least that many tickets. */
  countCapped: boolean;
  /** A repeat caller: the phone has called before (at least one earlier ticket). */
  repeat: boolean;
  items: Array<{
    id: number; caseNo: string; title: string; state: string; stateLabel: { zh: string; en: string };
    appealKind: string | null; categoryCode: string; isOpen: boolean; createdAt: string; closedAt: string | null;
  }>;
}

export async function callerHistory(deps: CaseDeps, actor: Actor, typed: string): Promise<CallerHistory> {
  deps.policy.assert(actor, 'case.caller_history');
  const phone = normalizePhone(typed); // 139-1234-5678 is the caller of 13912345678
  const params: unknown[] = [deps.ctx.cipher.lookupHash(phone)];
  const vis = visibilitySql(actor, params);
  // the newest tickets: a short walk of case_caller_idx for this phone
  const rows = await deps.ctx.db.query<any>(
    `SELECT c.id, c.case_no, c.title, c.type, c.workflow_version, c.state, c.appeal_kind, c.category_code, c.is_open, c.created_at, c.closed_at
     FROM "case" c WHERE c.reporter_phone_hash = $1 AND ${vis}
     ORDER BY c.created_at DESC, c.id DESC LIMIT ${CALLER_HISTORY_LIMIT}`, params, { prepare: true });
  let count = rows.length;
  let openCount = rows.filter((r) => r.is_open).length;
  if (rows.length === CALLER_HISTORY_LIMIT) {
    // a frequent caller: counted from the index (its territory columns), up to COUNT_CAP
    const [n] = await deps.ctx.db.query<{ n: number; n_open: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE x.is_open)::int AS n_open
       FROM (SELECT c.is_open FROM "case" c WHERE c.reporter_phone_hash = $1 AND ${vis} LIMIT ${COUNT_CAP}) x`, params, { prepare: true });
    count = n.n;
    openCount = n.n_open;
  }
  return {
    phoneMasked: maskPhone(phone), count, openCount, countCapped: count >= COUNT_CAP, repeat: count > 0,
    items: rows.map((r) => ({
      id: Number(r.id), caseNo: r.case_no, title: r.title, state: r.state,
      stateLabel: stateLabel(deps.types, deps.types.get(r.type, r.workflow_version), r.state),
      appealKind: r.appeal_kind, categoryCode: r.category_code, isOpen: r.is_open, createdAt: iso(r.created_at)!, closedAt: iso(r.closed_at),
    })),
  };
}
