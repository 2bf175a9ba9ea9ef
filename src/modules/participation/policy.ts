// Who may do what in participation (deny by default; STYLE habit 6). Staff act in their territory
// (platform/scope.ts); residents act for themselves, in the region their account is linked to
// (residents.ts). A wish is claimed by whoever may claim, wherever they work: units and volunteers
// help across the city.
import type { Role } from '../../platform/auth/actor.ts';
import { definePolicy } from '../../platform/policy.ts';

const territory: Role[] = ['command_centre', 'street_centre', 'community', 'grid_worker'];
const organisers: Role[] = ['command_centre', 'street_centre', 'community'];

export const participationPolicy = definePolicy({
  'participation.read': { roles: territory, what: { zh: '查看辖区内的投票、微心愿和居民参与情况', en: 'see votes, wishes and residents\' participation in your territory' } },
  'participation.vote.manage': { roles: organisers, what: { zh: '发起、结束和公布投票，并录入纸质选票', en: 'set up, close and publish votes, and record paper ballots' } },
  'participation.vote.cast': { roles: ['resident'], what: { zh: '投票', en: 'vote' } },
  'participation.wish.post': { roles: ['community', 'grid_worker', 'resident'], what: { zh: '发布微心愿（居民本人，或工作人员代为发布）', en: 'post a 微心愿 (a resident, or a worker on their behalf)' } },
  'participation.wish.claim': { roles: ['community', 'grid_worker', 'department', 'resident'], what: { zh: '认领和完成微心愿', en: 'claim and fulfil a 微心愿' } },
  'participation.moderate': { roles: organisers, what: { zh: '管理居民发布的内容（隐藏、合并、回复）', en: 'moderate residents\' content (hide, merge, answer)' } },
  'participation.points.manage': { roles: organisers, what: { zh: '设置积分规则、奖励和扣减积分、管理积分超市和处理申诉', en: 'set point rules, award and deduct points, stock the points shop and decide appeals' } },
  'participation.points.use': { roles: ['resident'], what: { zh: '在积分超市兑换积分或对积分记录提出申诉', en: 'redeem points at the points shop and appeal point entries' } },
  'participation.procedure.run': { roles: ['street_centre', 'community'], what: { zh: '开展四议两公开程序（记录各步骤）', en: 'run a 四议两公开 procedure (record its steps)' } },
  'participation.survey.manage': { roles: organisers, what: { zh: '设置问卷及其抽样', en: 'set up surveys (问卷) and their sampling' } },
  'participation.survey.enter': { roles: ['community', 'grid_worker'], what: { zh: '录入电话调查的答卷', en: 'enter survey answers taken by phone' } },
  'participation.survey.answer': { roles: ['resident'], what: { zh: '填写问卷', en: 'answer a survey' } },
  'participation.topic.propose': { roles: ['resident'], what: { zh: '提出和附议议事议题', en: 'propose and support 议事 topics' } },
  'participation.announce': { roles: organisers, what: { zh: '向辖区居民发布通知公告', en: 'publish announcements to the residents of a region' } },
  'participation.volunteer.join': { roles: ['resident'], what: { zh: '加入志愿者、报名活动和任务并签到', en: 'join the volunteers, sign up for activities and tasks, and check in' } },
  'participation.volunteer.manage': { roles: organisers, what: { zh: '组建志愿服务队和设置志愿活动', en: 'form volunteer teams and set up volunteer activities' } },
  'participation.mobilise': { roles: ['command_centre', 'street_centre'], what: { zh: '进行平战转换（切换到战时状态并恢复平时）', en: 'switch a region to emergency (平战转换) and back to normal' } },
  'participation.resident.link': { roles: ['community', 'grid_worker'], what: { zh: '将居民账号关联到实有人口记录', en: 'link a resident account to its registry person' } },
});
export type ParticipationAbility = keyof typeof participationPolicy.abilities;
