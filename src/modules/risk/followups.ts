// Overdue key-person follow-ups, as the followup_overdue rule, its back-tests, the daily report and the
// week's signals read them: behind one small interface, so that where they come from can change without
// touching the rule. Today the source is the registry's follow-up records (each label's last follow-up
// names its next due date, else a fixed interval after it or after the label's start: followupsDue).
// The label follow-up schedules of the grid-worker work (per label type, `followUpsDue`) plug in with
// RiskService.connectFollowups(source) and an adapter to this shape.
import type { Queryable } from '../../platform/db/index.ts';
import { followupsDue, type FollowupDue } from '../registry/index.ts';

export type { FollowupDue };

export interface FollowupQuery {
  regionPrefix: string;
  /** The instant the question is asked for (a back-test asks as of each past midnight). */
  asOf: Date;
  /** The interval the rule assumes where the source knows no schedule of its own (days). */
  intervalDays: number;
  labelTypes?: string[];
}

export interface FollowupSource {
  /**
   * Labels of key persons under the region whose next follow-up was due on or before `asOf` (its China
   * date), as the records stood at `asOf`: one entry per label and due date, `dueOn` as YYYY-MM-DD.
   */
  due(q: FollowupQuery): Promise<FollowupDue[]>;
}

/** The registry's follow-up records as the source (the default). */
export function registryFollowups(db: Queryable): FollowupSource {
  return { due: (q) => followupsDue(db, q) };
}
