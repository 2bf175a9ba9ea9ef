// The case row as the database holds it (snake_case columns), shared by the engine's SQL-facing files.
import type { TimeMode } from '../../platform/calendar/index.ts';
import type { WhistleLevel } from './facts.ts';

export type CaseRow = Record<string, any> & {
  id: number; case_no: string; type: string; workflow_version: number; state: string; prev_state: string | null;
  region_code: string; district_code: string; lead_unit_id: string | null; reporter_user_id: number | null; created_by: number | null;
  whistle_level: WhistleLevel | null;
  extension_request: { minutes: number; reason: string; requestedBy: number; at: string } | null;
  time_mode: TimeMode; step_started_at: Date; step_limit_minutes: number | null; due_at: Date | null; yellow_at: Date | null;
  remaining_minutes: number | null; is_open: boolean; outcome: string | null; seq: number; category_code: string;
};
