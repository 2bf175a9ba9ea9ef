// Demo data for risk prevention, so that a new user of the demo city sees the 稳评 and counselling pages
// at work: two major decisions of the first street (one assessed and awaiting the command centre's
// approval, with its report printable; one not yet assessed, held at the gate) and a counsellor of the
// 心理人才库 with a supervisor. Made through the module's own functions, as users would.
import type { Db } from '../../platform/db/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { addConsultation, addExpertReview, addRiskPoint, completeAssessment, createDecision, startAssessment } from './assessments.ts';
import { createCounsellor } from './counselling.ts';

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
