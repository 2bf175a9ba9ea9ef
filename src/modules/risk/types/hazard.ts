// 隐患 / 不稳定因素 as a case type (DESIGN rule 2): the register's status is this case's state. The loop is
// the field reports' 排查 → 研判 → 交办 → 督办 → 化解 → 销号: a hazard is logged (by a daily check, a grid
// worker, an alert, a converted grid event or ticket), judged and tasked out to a responsible unit, which
// rectifies it under supervision and reports it defused; the territory checks and writes it off (销号),
// or sends it back. The register's own data (kind, level, responsible person, measures) lives in the
// risk module's tables; the effects named here write them in the transition's transaction.
import type { Role } from '../../../platform/auth/actor.ts';
import { DAY, fields as F, type CaseTypeDef, type Label } from '../../cases/index.ts';

const L = (zh: string, en: string): Label => ({ zh, en });
const judges: Role[] = ['community', 'street_centre', 'command_centre'];
const supervisors: Role[] = ['street_centre', 'command_centre'];
const rectifiers: Role[] = ['department', 'street_centre', 'community'];
const open = ['logged', 'tasked', 'defused'];

export const hazardV1: CaseTypeDef = {
  type: 'hazard',
  version: 1,
  name: L('风险隐患', 'Risk hazard'),
  initial: 'logged',
  intake: {
    roles: ['grid_worker', 'community', 'street_centre', 'command_centre'],
    prefix: 'YH',
    // a grid event or a 12345 ticket found to be a hazard continues as one, keeping its number and history
    convertFrom: ['grid_event', 'hotline'],
  },
  states: {
    logged: { label: L('待研判交办', 'Logged, to be tasked'), clock: { limit: 1 * DAY }, inbox: 'dispatch' },
    tasked: { label: L('整改化解中', 'Being rectified'), clock: { limit: 'category' }, inbox: 'handling' },
    defused: { label: L('已化解待销号', 'Defused, to be written off'), clock: { limit: 1 * DAY }, inbox: 'review', public: false },
    written_off: { label: L('已销号', 'Written off'), terminal: 'resolved' },
    not_filed: { label: L('不予立项', 'Not filed'), terminal: 'declined' },
    merged: { label: L('已合并', 'Merged'), terminal: 'duplicate' },
  },
  actions: [
    {
      name: 'task_out', label: L('交办', 'Task out'), from: ['logged'], to: 'tasked', roles: judges, party: 'scope',
      fields: [F.lead, F.assists, { ...F.note, label: L('交办要求', 'Instructions') }], effect: 'assign', public: true, style: 'primary', context: ['routing', 'category'],
    },
    { name: 'not_file', label: L('不予立项', 'Do not file'), from: ['logged'], to: 'not_filed', roles: judges, party: 'scope', fields: [F.reason], public: true, style: 'danger' },
    { name: 'merge', label: L('合并重复件', 'Merge duplicate'), from: ['logged'], to: 'merged', roles: judges, party: 'scope', fields: [F.intoCase, F.note], effect: 'merge_into', public: true, oversight: true, context: ['duplicates'] },
    { name: 'return', label: L('退回', 'Return'), from: ['tasked'], to: 'logged', roles: rectifiers, party: 'lead_unit', fields: [F.reason], effect: 'unassign', style: 'danger' },
    {
      name: 'report_measure', label: L('报送管控措施', 'Report a measure'), from: ['tasked'], to: '$same', roles: rectifiers, party: 'lead_unit',
      fields: [{ ...F.result, label: L('已采取的措施', 'Measure taken') }, F.photos], effect: 'risk.record_measure',
    },
    {
      name: 'report_defused', label: L('报告已化解', 'Report defused'), from: ['tasked'], to: 'defused', roles: rectifiers, party: 'lead_unit',
      fields: [{ ...F.result, label: L('化解情况', 'How it was defused') }, F.photos], effect: 'risk.record_measure', public: 'with_note', style: 'primary',
    },
    { name: 'supervise', label: L('督办', 'Supervise'), from: open, to: '$same', roles: supervisors, party: 'scope', fields: [F.note], effect: 'mark_supervised', oversight: true },
    { name: 'urge', label: L('催办', 'Urge'), from: open, to: '$same', roles: supervisors, party: 'scope', fields: [F.note], effect: 'count_urge', oversight: true },
    {
      name: 'write_off', label: L('销号', 'Write off'), from: ['defused'], to: 'written_off', roles: judges, party: 'scope',
      fields: [{ ...F.note, label: L('销号意见', 'Remarks') }, F.photos], effect: 'risk.write_off', public: true, style: 'primary', context: ['closing_condition'],
    },
    {
      name: 'not_defused', label: L('化解不到位', 'Not defused'), from: ['defused'], to: 'tasked', roles: judges, party: 'scope',
      fields: [F.reason, F.photos], effect: 'count_rework', style: 'danger',
    },
  ],
};

export const hazardCaseTypes: CaseTypeDef[] = [hazardV1];
