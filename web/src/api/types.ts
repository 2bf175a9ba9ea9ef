// Shapes of the API responses the console reads (see /openapi.json).
import type { Label } from '../i18n/index.tsx';

export type Role = 'admin' | 'command_centre' | 'street_centre' | 'community' | 'grid_worker' | 'hotline_operator' | 'department' | 'resident';
export type Light = 'green' | 'yellow' | 'red' | null;

export interface Me {
  id: number; username: string; displayName: string; role: Role; unitId: string | null; unitKind: string | null;
  regionCode: string; locale: string;
  /** What the user's role may do (GET /api/v1/auth/me): the console offers exactly these. */
  abilities: string[];
  /** a demo account: the console shows the 演示数据 banner */
  demo?: boolean;
  /** a generated password: nothing works until the user has chosen their own */
  passwordChangeRequired?: boolean;
  /** the password is the published demo password (the demo banner says so only then) */
  passwordPublic?: boolean;
}

export interface CaseView {
  id: number; caseNo: string; type: string; workflowVersion: number; typeName: Label; state: string; stateLabel: Label;
  categoryCode: string; title: string; description: string; channel: string; urgency: string; regionCode: string;
  lat: number | null; lng: number | null; address: string | null;
  /** 诉求类型 */
  appealKind?: string | null;
  mergedIntoCaseNo?: string | null;
  mergedCallers?: Array<{ id: number; caseNo: string; nameMasked: string | null; phoneMasked: string | null }>;
  reporter: { nameMasked: string | null; phoneMasked: string | null; userId: number | null };
  leadUnitId: string | null; suggestion: { leadUnitId: string | null; assistUnitIds: string[]; source: string | null };
  sla: { light: Light; dueAt: string | null; yellowAt: string | null; limitMinutes: number | null; timeMode: string; remainingMinutes: number | null; paused?: boolean };
  extensionRequest: { minutes: number; reason: string; requestedBy: number; at: string } | null;
  supervised: boolean; urgeCount: number; redoCount: number; reworkCount: number; returnCount: number;
  whistleLevel: string | null; rating: string | null; mergedInto: number | null; isOpen: boolean; outcome?: string | null;
  createdAt: string; updatedAt: string; closedAt: string | null;
  actions?: string[];
  assignments?: Array<{ unitId: string; role: string; status: string; whistleLevel: string | null; assignedAt: string; reportInDueAt: string | null; dueAt: string | null; reportedInAt: string | null; repliedAt: string | null }>;
  trackingToken?: string;
  /** the case's region by name from the district down (GET /api/v1/cases/:id), also where the reader cannot open the region */
  regionPath?: Array<{ code: string; name: string; shortName?: string; level: string }>;
  /** regionPath below the district: 街道 / 社区 / 网格 */
  regionName?: string;
}

/** A case as GET /api/v1/cases lists it (the detail view has the description, reporter, counters and actions). */
export type CaseListItem = Pick<CaseView, 'id' | 'caseNo' | 'type' | 'workflowVersion' | 'typeName' | 'state' | 'stateLabel' | 'categoryCode' | 'title'
  | 'channel' | 'urgency' | 'regionCode' | 'lat' | 'lng' | 'address' | 'appealKind' | 'leadUnitId' | 'sla' | 'supervised' | 'whistleLevel' | 'isOpen'
  | 'createdAt' | 'updatedAt' | 'closedAt'>;

export interface CaseList { items: CaseListItem[]; page: number; pageSize: number; hasMore: boolean; total?: number }

export interface FlowRecord {
  seq: number; action: string; actionLabel: Label; effect: string | null; style: 'primary' | 'danger' | null;
  fromState: string | null; toState: string; toStateLabel: Label; toOutcome: string | null; actorKind: string;
  actor: { id: number; name: string } | null; unit: { id: string; name: string } | null; at: string; dueAt: string | null;
  workingMinutesUsed: number | null; note: string | null; data: Record<string, any>; attachmentIds: number[];
}

export interface Category {
  code: string; parentCode: string | null; name: Label; caseTypes: string[]; limitMinutes: number | null;
  filingCondition: string | null; closingCondition: string | null; active?: boolean;
  /** everyday words and synonyms (井盖, 坑, 垃圾 …): the picker finds the category by them */
  keywords?: string[];
}

export interface Unit { id: string; name: string; nameEn: string | null; kind: string; regionCode: string; parentId: string | null; active?: boolean }

export interface Region {
  code: string; parentCode: string | null; level: string; kind: string; name: string; shortName: string;
  officialCode: string | null; centroid: [number, number] | null;
}

export interface Routing {
  leadUnitId: string | null; assistUnitIds: string[]; source: string | null;
  lead: { id: string; name: string; kind: string } | null; assists: Array<{ id: string; name: string; kind: string }>;
}

/** A rate with the counts behind it: `count` of `of` (rate null when `of` is 0). */
export interface Kpi { rate: number | null; count: number; of: number }

export interface Overview {
  region: { code: string; name: string; level?: string };
  period: { days: number; from: string; to: string };
  today: { intake: number; closed: number };
  open: number; overdue: number; onTimeRate: number | null; satisfactionRate: number | null;
  /** 按时办结率 and the 12345 三率 of the period (docs/kpi.md) */
  rates: { onTime: Kpi; response: Kpi; resolution: Kpi; satisfaction: Kpi };
  /** per day of the period: intake, closures, and the open overdue count at the day's end (today: now) */
  byDay: Array<{ date: string; intake: number; closed: number; overdue: number }>;
  byCategory: Array<{ code: string; name: Label; count: number }>;
  byUnit: Array<{ unitId: string; name: string; open: number; overdue: number; closed: number; closedOnTime: number; onTimeRate: number | null }>;
  byRegion: Array<{ code: string; name: string; level: string; open: number; overdue: number; total: number }>;
}

/** One step of the big screen's live feed (GET /api/v1/stats/activity). */
export interface ActivityItem {
  id: number; caseId: number; caseNo: string; title: string; action: string; actionLabel: Label;
  unit: { name: string; nameEn: string | null } | null; bySystem: boolean;
  place: Array<{ code: string; name: string; level: string }>; at: string;
}

export interface GridStat { gridCode: string; open: number; overdue: number; overdueShare: number }
export interface CasePoint { id: number; caseNo: string; lat: number; lng: number; state: string; light: Light; title: string }
export interface SimilarCase { id: number; caseNo: string; title: string; state: string; stateLabel: Label; distanceMeters: number; createdAt: string }
