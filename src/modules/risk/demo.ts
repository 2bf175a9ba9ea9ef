// Demo data for risk prevention, so that a new user of the demo city sees the register, 稳评 and counselling
// pages at work: a handful of hazards and factors of instability in the first street's register
// (seedRiskRegister); two major decisions of that street (one assessed and awaiting the command centre's
// approval, with its report printable; one not yet assessed, held at the gate) and a counsellor of the
// 心理人才库 with a supervisor. Made through the module's own functions, as users would.
import type { Db } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { addConsultation, addExpertReview, addRiskPoint, completeAssessment, createDecision, startAssessment } from './assessments.ts';
import { createCounsellor } from './counselling.ts';
import { transition, type CaseDeps } from '../cases/index.ts';
import { registerHazard, syncRegister } from './hazards.ts';
import { HazardCreate, type HazardCreateT } from './contracts.ts';

export async function seedRiskDemo(db: Db, who: { street: Actor; counsellorUserId?: number; supervisorUserId?: number }, now: Date): Promise<void> {
  const { street } = who;
  const assessed = await createDecision(db, street, {
    title: '合阳城老旧小区成片改造项目', kind: 'project', description: '涉及居民1200户的老旧小区成片改造，含加装电梯、管网更新和停车位改造。',
  }, now);
  await startAssessment(db, street, assessed.id, {}, now);
  await addRiskPoint(db, street, assessed.id, { description: '改造期间停水停气影响居民生活，可能引发集中投诉', category: '施工影响', importance: 4, urgency: 4, measures: '分片错峰施工，提前七天公告', owner: '街道综治中心' });
  await addRiskPoint(db, street, assessed.id, { description: '加装电梯低层住户意见分歧', category: '利益协调', importance: 3, urgency: 2, measures: '按楼栋协商，社区人民调解委员会参与', owner: '社区居委会' });
  await addConsultation(db, street, assessed.id, { method: 'forum', heldOn: '2026-11-10', participants: 86, support: 71, oppose: 6, summary: '多数居民支持改造，关注施工期间出行和噪音' });
  await addExpertReview(db, street, assessed.id, { expertName: '王教授', field: '城市更新', opinion: '风险总体可控，须落实错峰施工和协商机制', recommendation: 'agree_with_conditions', reviewedOn: '2026-11-12' });
  await completeAssessment(db, street, assessed.id, { rating: 'medium', conclusion: 'proceed_with_measures', conclusionText: '落实错峰施工和楼栋协商机制后实施。' }, now);
  await createDecision(db, street, { title: '滨江路夜市设置', kind: 'project', description: '在滨江路设置夜间经营区，涉及周边住户约300户。' }, now);
  if (who.counsellorUserId) {
    await createCounsellor(db, street, {
      userId: who.counsellorUserId, supervisorUserId: who.supervisorUserId, qualification: '二级心理咨询师', specialties: ['青少年', '家庭关系', '危机干预'],
    }, now);
  }
}

interface GridLike { code: string; centroid?: [number, number] }

/**
 * The demo street's risk register (隐患 and 不稳定因素), registered and worked through the module's own
 * service and the case engine, as users would, on a simulated clock over the last two weeks: hazards found by
 * daily checks, grid reports, inspections and a petition; some waiting to be tasked out (待研判交办), some
 * tasked to the department responsible with control measures reported (整改化解中), one defused and written
 * off (已销号). The register's list and map, the daily report and the weekly signals show them at once.
 */
export async function seedRiskRegister(cases: CaseDeps, as: (username: string) => Promise<Actor>, grids: GridLike[]): Promise<number> {
  if (!grids.length) return 0;
  const { ctx } = cases;
  const realNow = ctx.now;
  const day = 86_400_000;
  let clock = realNow().getTime();
  ctx.now = () => new Date(clock);
  try {
    const street = await as('jiedao');
    const grid = (i: number) => grids[i % grids.length];
    // a spot in the grid (its centroid, a little apart for each), so that the register's map shows it
    const place = (i: number) => {
      const g = grid(i);
      return g.centroid ? { lng: g.centroid[0] + 0.0004 * ((i % 3) - 1), lat: g.centroid[1] + 0.0003 * ((i % 2) * 2 - 1) } : { regionCode: g.code };
    };
    const plan: Array<{
      daysAgo: number; input: Omit<HazardCreateT, 'lat' | 'lng' | 'regionCode'>;
      task?: { unit: string; user: string; note: string; measure?: string; defused?: string; writeOff?: string };
    }> = [
      { daysAgo: 13, input: { categoryCode: '600102', title: '嘉陵路老旧小区燃气立管锈蚀', description: '嘉陵路12号3栋楼道燃气立管锈蚀严重，住户反映偶有燃气异味。', address: '嘉陵路12号3栋',
        kind: 'hazard', source: 'daily_check', level: 'orange', responsibleName: '燃气公司维修班', measures: '关闭楼栋总阀，更换锈蚀立管' },
        task: { unit: 'dept-ranqi', user: 'ranqi', note: '请燃气公司三日内上门检测并更换锈蚀立管', measure: '已上门检测，关闭楼栋总阀并张贴告知，立管更换材料已到位' } },
      { daysAgo: 11, input: { categoryCode: '600103', title: '滨江路危旧房屋墙体开裂', description: '滨江路18号砖混结构住宅外墙出现多条贯穿裂缝，居住3户。', address: '滨江路18号',
        kind: 'hazard', source: 'inspection', level: 'red', responsibleName: '区住建委房屋安全科', measures: '设置警戒线，动员住户临时搬离，委托房屋安全鉴定' },
        task: { unit: 'dept-zhujian', user: 'zhujian', note: '请住建委立即组织房屋安全鉴定，督促住户撤离', measure: '已设置警戒线，3户住户已临时安置，鉴定机构进场' } },
      { daysAgo: 9, input: { categoryCode: '600104', title: '3栋楼道电动车飞线充电', description: '营盘街3栋2单元楼道多处电动车飞线充电，堵塞疏散通道。', address: '营盘街3栋2单元',
        kind: 'hazard', source: 'grid_report', level: 'yellow', responsibleName: '社区网格长' },
        task: { unit: 'dept-chengguan', user: 'chengguan', note: '请联合社区清理飞线，引导到集中充电点充电', measure: '已拆除飞线4处，张贴告知书',
          defused: '飞线全部拆除，新设集中充电桩12个，住户已签承诺书', writeOff: '经复查，楼道已无飞线充电，予以销号' } },
      { daysAgo: 6, input: { categoryCode: '600202', title: '建筑工地拖欠农民工工资', description: '嘉陵建筑公司拖欠12名工人三个月工资共计18万元，工人已多次信访，酝酿集体讨薪。',
        kind: 'instability', source: 'petition', level: 'orange', responsibleName: '区人社局劳动监察大队', measures: '约谈企业负责人，督促限期支付' },
        task: { unit: 'dept-renshe', user: 'renshe', note: '请劳动监察大队介入，督促企业限期支付', measure: '已约谈企业负责人，企业承诺月底前分两次支付' } },
      { daysAgo: 3, input: { categoryCode: '600201', title: '小区改造停车位分配引发聚集苗头', description: '锦绣花园改造后停车位分配方案引发部分业主不满，业主群中相约周末到社区聚集。',
        kind: 'instability', source: 'weekly_review', level: 'red', measures: '社区约请业主代表协商，公示分配方案' } },
      { daysAgo: 2, input: { categoryCode: '600101', title: '沿街商铺占用消防通道', description: '南津街沿街商铺在消防通道堆放货物，消防车无法通行。', address: '南津街45号',
        kind: 'hazard', source: 'daily_check', level: 'yellow' } },
      { daysAgo: 1, input: { categoryCode: '600107', title: '老旧小区排水管网淤堵', description: '营盘街片区雨水管网淤堵，暴雨时路面积水，汛期前需清淤。', address: '营盘街片区',
        kind: 'hazard', source: 'inspection', level: 'blue' } },
    ];
    let n = 0;
    for (const [i, h] of plan.entries()) {
      clock = realNow().getTime() - h.daysAgo * day;
      // a tasked hazard is to be rectified within two weeks of being found (整改时限)
      const rectifyBy = h.task ? new Date(clock + 8 * 3600_000 + 14 * day).toISOString().slice(0, 10) : undefined;
      const made = await registerHazard(cases, street, HazardCreate.parse({ ...h.input, ...place(i), ...(rectifyBy ? { rectifyBy } : {}) }));
      n++;
      if (!h.task) continue;
      clock += day / 6;
      await transition(cases, street, made.caseId, 'task_out', { leadUnitId: h.task.unit, note: h.task.note });
      const unit = await as(h.task.user);
      if (h.task.measure) { clock += day / 2; await transition(cases, unit, made.caseId, 'report_measure', { note: h.task.measure }); }
      if (h.task.defused) { clock += day; await transition(cases, unit, made.caseId, 'report_defused', { note: h.task.defused }); }
      if (h.task.writeOff) { clock += day / 4; await transition(cases, street, made.caseId, 'write_off', { note: h.task.writeOff }); }
      // the register's read model follows the case events once the platform runs; the seed brings it up to date itself
      await syncRegister(cases, [made.caseId]);
    }
    return n;
  } finally {
    ctx.now = realNow;
  }
}
