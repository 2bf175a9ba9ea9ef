// Modules with real boundaries (DESIGN §3): other code reaches a module only through its index.ts, the
// platform imports no module, and no module reads or writes another module's tables.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { checkBoundaries } from '../scripts/boundaries.ts';

const root = join(import.meta.dirname, '..');

describe('imports cross module boundaries only through index.ts', () => {
  it('holds for the tree', async () => {
    const { files, violations } = await checkBoundaries(root);
    expect(files).toBeGreaterThan(120);
    expect(violations.map((v) => `${v.from} → ${v.to}: ${v.rule}`)).toEqual([]);
  });

  it('catches a planted violation', async () => {
    const fixture = join(root, '.tmp', `boundary-fixture-${process.pid}`);
    const put = (file: string, text: string) => { mkdirSync(dirname(join(fixture, file)), { recursive: true }); writeFileSync(join(fixture, file), text); };
    try {
      put('src/modules/alpha/index.ts', `export { secret } from './internal.ts';\n`);
      put('src/modules/alpha/internal.ts', `export const secret = 1;\n`);
      put('src/modules/beta/index.ts', `import { secret } from '../alpha/internal.ts';\nimport { secret as s2 } from '../alpha/index.ts';\nexport const b = secret + s2;\n`);
      put('src/platform/tool.ts', `import { secret } from '../modules/alpha/index.ts';\nexport const t = secret;\n`);
      const { violations } = await checkBoundaries(fixture);
      expect(violations.map((v) => `${v.from} → ${v.to}`).sort()).toEqual([
        'src/modules/beta/index.ts → src/modules/alpha/internal.ts',
        'src/platform/tool.ts → src/modules/alpha/index.ts',
      ]);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});

/**
 * Which module owns which table. The platform's tables (users, units, sessions, settings, outbox, audit
 * log, idempotency keys, attachments) are infrastructure that modules use through platform functions.
 * `region` rows are core records: any module may read them (DESIGN: shared references only to core
 * records: region, user, unit), only the regions module writes them.
 */
const owners: Record<string, string[]> = {
  knowledge: ['kb_article'],
  cases: ['case', 'case_assignment', 'flow_record', 'category', 'responsibility', 'workflow', 'catalog_file'],
  registry: ['person', 'person_label', 'person_followup', 'household', 'house', 'room', 'building', 'place', 'facility', 'thing',
    'organisation', 'dictionary', 'dictionary_entry', 'import_job', 'reveal_grant', 'tenancy', 'person_label_event', 'person_search_key'],
  regions: ['region', 'grid_polygon', 'grid_change', 'grid_household_count', 'grid_layer', 'grid_layer_cell', 'grid_layer_map',
    'grid_party_member', 'grid_party_service', 'grid_profile', 'grid_staff', 'patrol', 'patrol_check_in', 'household_visit', 'grid_change_review', 'grid_change_notice'],
  portal: ['portal_upload', 'case_supporter'],
  fieldwork: ['field_visit', 'patrol_session', 'visit_plan'],
  addresses: ['standard_address'],
  mediation: ['mediation_org', 'mediator', 'dispute', 'mediation_party', 'dispute_investigation', 'dispute_session', 'dispute_agreement',
    'dispute_obligation', 'dispute_signature', 'dispute_follow_up', 'dispute_docking', 'petition', 'petition_leader', 'reception_day', 'reception_booking',
    'dispute_tally', 'petition_tally'],
  risk: ['hazard', 'hazard_change', 'alert_rule', 'alert_rule_version', 'alert', 'alert_action', 'alert_subject', 'sensor_reading',
    'sensor_reading_default', 'sensor_state', 'check_template', 'daily_check', 'daily_report', 'counsellor', 'referral', 'counselling_note',
    'major_decision', 'stability_assessment', 'assessment_risk_point', 'assessment_consultation', 'assessment_expert_review'],
  participation: ['pt_resident', 'pt_vote', 'pt_vote_option', 'pt_ballot', 'pt_ballot_choice', 'pt_wish', 'pt_moderation',
    'pt_point_rule', 'pt_point_account', 'pt_point_entry', 'pt_shop_item', 'pt_redemption', 'pt_point_appeal', 'pt_procedure', 'pt_procedure_step',
    'pt_survey', 'pt_survey_question', 'pt_survey_response', 'pt_survey_answer', 'pt_sign_in_code',
    'pt_topic', 'pt_topic_support', 'pt_announcement', 'pt_announcement_read', 'pt_message', 'pt_link_code',
    'pt_volunteer_team', 'pt_volunteer', 'pt_mobilisation', 'pt_activity', 'pt_activity_signup'],
};
const coreRecords = new Set(['region']);

function moduleFiles(): Array<{ module: string; file: string; text: string }> {
  const dir = join(root, 'src/modules');
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  return walk(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ module: relative(dir, f).split(sep)[0], file: relative(root, f).split(sep).join('/'), text: readFileSync(f, 'utf8') }));
}

describe('no module reads or writes another module\'s tables', () => {
  const files = moduleFiles();
  const ownerOf = new Map(Object.entries(owners).flatMap(([m, ts]) => ts.map((t) => [t, m] as const)));

  it('knows every table the migrations create, except the platform\'s', () => {
    const created = readdirSync(join(root, 'migrations')).flatMap((f) =>
      [...readFileSync(join(root, 'migrations', f), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?"?([a-z_]+)"?/g)].map((m) => m[1]));
    const platform = ['app_user', 'unit', 'session', 'setting', 'outbox', 'outbox_head', 'audit_log', 'idempotency_key', 'job_lease', 'attachment', 'file_blob',
      'meeting', 'meeting_agenda_item', 'meeting_attendee', 'meeting_decision'];
    expect(created.filter((t) => !ownerOf.has(t) && !platform.includes(t))).toEqual([]);
  });

  it('finds each table only in the SQL of its owner', () => {
    const crossings: string[] = [];
    for (const { module, file, text } of files) {
      for (const m of text.matchAll(/\b(FROM|JOIN|INTO|UPDATE|DELETE FROM|TRUNCATE)\s+"?([a-z_]+)"?/g)) {
        const owner = ownerOf.get(m[2]);
        if (!owner || owner === module) continue;
        const write = m[1] !== 'FROM' && m[1] !== 'JOIN';
        if (!write && coreRecords.has(m[2])) continue;
        crossings.push(`${file}: ${m[1]} ${m[2]} (owned by ${owner})`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
