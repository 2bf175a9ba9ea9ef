// Who may do what with cases (deny by default). Reporting and having an inbox follow from the case-type
// definitions (a type's intake roles; the roles its actions wait for), so a new type brings its roles
// with it. Which action a role may take on a case is the definition's too (engine.ts); this policy
// holds what lies outside any one case.
import { roles, type Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';
import type { CaseTypeRegistry } from './registry.ts';

const staff = roles.filter((r) => r !== 'resident');

export function casePolicy(types: CaseTypeRegistry) {
  const reporters = () => roles.filter((r) => types.types().some((d) => d.intake.roles.includes(r)));
  const withInbox = () => roles.filter((r) => types.inboxStatesByType(r).some(([, s]) => s.scope.length || s.leadUnit.length || s.reporter.length || s.dispatcher.length || s.summoned));
  return definePolicy({
    'case.read': { roles: roles, what: { zh: '查看案件', en: 'read cases' } },
    'case.report': { roles: reporters, what: { zh: '上报案件', en: 'report cases' } },
    'case.inbox': { roles: withInbox, what: { zh: '使用待办（没有案件等待该角色办理）', en: 'have an inbox: no case ever waits for your role' } },
    // those who call back or contact the requester (the handling unit does, 12345: 签收后联系诉求人);
    // administrators read no personal data by role
    'case.reveal_reporter': { roles: ['hotline_operator', 'street_centre', 'command_centre', 'community', 'department'] as Role[], what: { zh: '查看上报人的联系方式', en: 'reveal reporters\' contact details' } },
    // the caller's earlier tickets by phone (来电人历史): those who take calls and run the centres
    'case.caller_history': { roles: ['hotline_operator', 'street_centre', 'command_centre'] as Role[], what: { zh: '按电话号码查询来电人以往的工单', en: 'look up a caller\'s earlier tickets by phone' } },
    'case.attach': { roles: roles.filter((r) => r !== 'admin'), what: { zh: '上传案件材料', en: 'upload case material' } },
    'stats.read': { roles: staff, what: { zh: '查看统计数据（居民请关注自己上报的案件）', en: 'read statistics (residents follow their own cases instead)' } },
  });
}
export type CasePolicy = ReturnType<typeof casePolicy>;
