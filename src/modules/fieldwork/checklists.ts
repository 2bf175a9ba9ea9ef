// Visit checklists per purpose (data/visit-checklists.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface ChecklistItem { key: string; zh: string; en: string; issue?: boolean }
export interface Purpose { key: string; zh: string; en: string; items: ChecklistItem[] }

export const purposes: Purpose[] = JSON.parse(readFileSync(join(here, 'data', 'visit-checklists.json'), 'utf8')).purposes;
export const checklistPurposes = purposes.map((p) => p.key) as [string, ...string[]];

export interface DayTargets {
  patrolMinutesPerDay: number; patrolCoverageShare: number; visitsPerDay: number; visitCycleDays: number; followUpLookaheadDays: number; cellMetres: number;
}
export const targets: DayTargets = JSON.parse(readFileSync(join(here, 'data', 'day-targets.json'), 'utf8'));
