// Shapes of the grid worker's day API (src/modules/fieldwork).
export type Label = { zh: string; en: string };
export interface TodayItem {
  kind: 'case' | 'report' | 'followup' | 'plan' | 'visit' | 'patrol';
  dueAt: string; overdue: boolean; title: string; detail: string | null; link: string; ref: Record<string, any>;
}
export interface Today {
  date: string; regionCode: string; regionName: string | null;
  counts: { waitingForMe: number; cases: number; reports: number; followUps: number; overdueFollowUps: number; plans: number; overduePlans: number; plannedVisits: number };
  patrol: { sessions: number; minutes: number; coverage: number | null; openId: number | null; targetMinutes: number; targetCoverage: number; done: boolean };
  items: TodayItem[];
  /** grid splits or merges of the last 30 days that moved this account, and what went to the other grids */
  gridChanges?: GridMove[];
}
export interface GridMove {
  /** the grid change: split or merge (grid_change.kind) */
  changeId: number; kind: string; at: string;
  fromGrids: Array<{ code: string; name: string }>; toGrids: Array<{ code: string; name: string }>; grid: { code: string; name: string };
  others: Array<{ code: string; name: string; households: number; keyPersons: number; overdueFollowUps: number }>;
}
export interface Member { id: number; nameMasked: string; relationToHead: string | null; head: boolean; labels: string[] }
export interface Household { id: number; householdNo: string | null; address: string | null; regionCode: string; houseId: number | null; members: Member[] }
export interface ChecklistItem { key: string; zh: string; en: string; issue?: boolean }
export interface Purpose { key: string; zh: string; en: string; items: ChecklistItem[] }
export interface Visit {
  id: number; gridCode: string; gridName: string | null; user: { id: number; name: string }; purpose: string; purposeName: Label;
  checklist: Array<ChecklistItem & { answer: 'yes' | 'no' | 'na' | null }>; household: Household | null;
  persons: Array<{ id: number; nameMasked: string; labels: string[] }>; attachmentIds: number[]; lat: number | null; lng: number | null;
  result: 'visited' | 'not_home' | 'refused' | 'issue_found'; note: string | null; visitedAt: string; case: { id: number; caseNo: string; state: string } | null;
  /** e.g. the saved location lies outside the household's grid */
  warnings?: Array<{ code: 'location_outside_grid'; message: string }>;
  plan: { id: number; plannedOn: string } | null;
  /** whom was visited, as recorded then: named so when the household or persons are out of the reader's sight now (after a grid split) */
  visited?: { address: string | null; householdNo: string | null; names: string[] } | null;
}
/** A visit plan (走访计划): a household or persons to visit on a day, for a worker. */
export interface Plan {
  id: number; gridCode: string; gridName: string | null;
  household: (Pick<Household, 'id' | 'householdNo' | 'address' | 'houseId' | 'members'>) | null;
  persons: Array<{ id: number; nameMasked: string; labels: string[]; householdId: number | null }>;
  purpose: string; purposeName: Label; plannedOn: string; note: string | null;
  assignee: { id: number; name: string }; createdBy: { id: number; name: string }; createdAt: string;
  status: 'open' | 'done' | 'cancelled'; overdue: boolean; visitId: number | null; doneAt: string | null; cancelledAt: string | null;
}
export interface PatrolSession {
  id: number; startedAt: string; endedAt: string | null; open: boolean; patrolId: number | null; minutes: number; pointCount: number; distanceM: number;
  track: Array<{ lng: number; lat: number; at: string }>; grid: { code: string; name: string; geometry: any } | null;
  coverage: { cellM: number; cells: number; covered: number; share: number | null; boxes: Array<[number, number, number, number]> } | null;
}
export interface Resident {
  id: number; regionCode: string; regionName: string | null; nameMasked: string; idNumberMasked: string; phoneMasked: string | null;
  sex: string | null; birthDate: string | null; populationType: string; populationTypeName: Label; currentAddress: string | null;
  houseId: number | null; householdId: number | null; labels: Array<{ type: string; name: Label }>; matched: 'name' | 'former_name' | 'surname' | 'id_number' | 'address';
}
