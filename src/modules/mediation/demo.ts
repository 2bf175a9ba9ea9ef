// The demo city's mediation bodies: the district's and the first street's 矛调中心, and a 品牌调解室 in the
// first community with its mediators (one 金牌), so that a demo mediator can route a dispute at once.
import type { Queryable } from '../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { maskPhone } from '../../platform/crypto.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { transition } from '../cases/index.ts';
import type { MediationDeps } from './deps.ts';
import { DisputeCreate, InvestigationCreate, PetitionCreate, SessionCreate } from './contracts.ts';
import { addInvestigation, draftDocking, recordSession, registerDispute, scheduleSession, setAssignment } from './disputes.ts';
import { registerPetition } from './petitions.ts';

interface RegionLike { code: string; level: string; shortName: string; parentCode: string | null }

export async function seedMediationDemo(db: Queryable, cipher: PersonalDataCipher, regions: RegionLike[]): Promise<void> {
  const street = regions.find((r) => r.level === 'street');
  const community = street && regions.find((r) => r.level === 'community' && r.parentCode === street.code);
  if (!street || !community) return;
  const district = street.code.slice(0, 6);
  const org = async (regionCode: string, level: string, kind: string, name: string, specialties: string[], brand = false) => (await db.query<{ id: number }>(
    `INSERT INTO mediation_org (district_code, region_code, level, kind, name, specialties, brand, brand_name) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8)
     ON CONFLICT (district_code, name) DO UPDATE SET active = true RETURNING id`,
    [district, regionCode, level, kind, name, specialties, brand, brand ? name : null]))[0].id;
  const mediator = async (orgId: number, regionCode: string, name: string, title: string, specialties: string[], gold: boolean, phone: string) => {
    await db.query(
      `INSERT INTO mediator (district_code, region_code, org_id, name, title, phone_sealed, phone_masked, specialties, gold)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::text[], $9 WHERE NOT EXISTS (SELECT 1 FROM mediator WHERE org_id = $3 AND name = $4)`,
      [district, regionCode, orgId, name, title, cipher.encrypt(phone), maskPhone(phone), specialties, gold]);
  };
  const centre = await org(district, 'district', 'centre', '区社会矛盾纠纷调处化解中心', ['1302']);
  await mediator(centre, district, '周正平', '专职调解员', ['1302'], true, '13983000001');
  const streetCentre = await org(street.code, 'street', 'centre', `${street.shortName}矛调中心`, ['1301', '1302']);
  await mediator(streetCentre, street.code, '陈秀英', '专职调解员', ['130201', '130207'], false, '13983000002');
  const room = await org(community.code, 'community', 'room', '老赵调解室', ['1301'], true);
  await mediator(room, community.code, '赵建国', '老赵调解室负责人', ['130101', '130102', '130103'], true, '13983000003');
  await mediator(room, community.code, '钱芳', '人民调解员', ['130102', '130108'], false, '13983000004');
  await mediator(room, community.code, '孙立', '网格调解员', ['130102'], false, '13983000005');
}

/**
 * The demo city's disputes and petitions, on a simulated clock so that their time limits are genuine: four
 * petitions at the first street (one accepted and now past its handling limit, one never accepted and past
 * its acceptance limit, two within their limits), and two disputes at the first community's 调解室 — one
 * still to be routed, one whose mediation (an investigation, a session) failed and was docked to the petition
 * office (访调对接), which opened a petition with its parties and that mediation's history. The statistics, the
 * 超期未办 view and the docking show at once.
 */
export async function seedMediationCases(deps: MediationDeps, as: (username: string) => Promise<Actor>, grid: string): Promise<void> {
  const { ctx, cases } = deps;
  const realNow = ctx.now;
  const day = 86_400_000;
  let clock = realNow().getTime();
  ctx.now = () => new Date(clock);
  try {
    const jiedao = await as('jiedao');
    const shequ = await as('shequ');
    const petitions: Array<[number, boolean, string, string, string]> = [
      [75, true, '140102', '工地拖欠农民工工资', '嘉陵建筑公司拖欠12名工人三个月工资共计18万元，多次讨要无果。'],
      [40, false, '140101', '小区电梯长期停运', '锦绣花园5栋电梯停运两个月，物业拒不维修，老人上下楼困难。'],
      [20, true, '140109', '餐馆油烟扰民', '楼下餐馆油烟直排，住户窗户无法打开，多次反映未改。'],
      [3, false, '140103', '土地承包合同纠纷', '村集体单方面收回承包地，未给予补偿。'],
    ];
    let n = 0;
    for (const [daysAgo, accept, categoryCode, title, description] of petitions) {
      clock = realNow().getTime() - daysAgo * day;
      const id = await registerPetition(deps, jiedao, PetitionCreate.parse({
        categoryCode, title, description, regionCode: grid, form: ['visit', 'letter', 'online', 'call'][n % 4],
        parties: [{ role: 'petitioner', name: ['刘大勇', '赵桂兰', '孙立新', '周建华'][n % 4], phone: `1360000${String(1000 + n).padStart(4, '0')}` }],
      }));
      n++;
      if (accept) { clock += 2 * day; await transition(cases, jiedao, id, 'accept_petition', {}); }
    }
    const [room] = await ctx.db.query<{ id: number }>(`SELECT id FROM mediation_org WHERE name = '老赵调解室'`);
    const mediators = (await ctx.db.query<{ id: number }>('SELECT id FROM mediator WHERE org_id = $1 ORDER BY id', [room.id])).map((m) => Number(m.id));
    const dispute = (title: string, description: string, categoryCode: string) => registerDispute(deps, shequ, DisputeCreate.parse({
      categoryCode, title, description, regionCode: grid, peopleInvolved: 3,
      parties: [{ role: 'applicant', name: '王小明', phone: '13800001234' }, { role: 'respondent', name: '李大海', phone: '13800005678' }],
    }));
    clock = realNow().getTime() - 12 * day;
    const failed = await dispute('拖欠装修款纠纷', '包工头拖欠装修工人工资两万元，多次协商未果，工人表示要去上访。', '130201');
    for (const step of [async (): Promise<unknown> => transition(cases, shequ, failed, 'accept_dispute', {}),
      async () => setAssignment(deps, shequ, failed, { orgId: room.id, leadMediatorId: mediators[0], investigateBy: mediators[1] ?? mediators[0], mediateBy: mediators[0], concludeBy: mediators[0], followUpBy: mediators[2] ?? mediators[0] }),
      async () => transition(cases, shequ, failed, 'route_dispute', {}),
      async () => addInvestigation(deps, shequ, failed, InvestigationCreate.parse({
        investigatedAt: new Date(clock).toISOString(), place: '老赵调解室', investigator: '钱芳', interviewee: '申请人及包工头',
        content: '核实欠款清单：包工头承认拖欠装修工人工资两万元，称业主未付尾款，暂无力支付。' })),
      async () => transition(cases, shequ, failed, 'start_mediation', {}),
      async () => {
        const session = await scheduleSession(deps, shequ, failed, SessionCreate.parse({
          scheduledAt: new Date(clock).toISOString(), place: '老赵调解室', participants: [{ name: '王小明', role: '申请人' }, { name: '李大海', role: '被申请人' }],
          mediatorIds: [mediators[0]] }));
        await recordSession(deps, shequ, failed, session, '双方陈述意见。被申请人承认欠款，但拒绝在一个月内支付，双方分歧较大，调解未达成一致。');
      },
      async () => transition(cases, shequ, failed, 'mediation_fails', { reason: '被申请人拒绝支付，调解不成' }),
      async () => draftDocking(deps, shequ, failed, { kind: 'petition', receiver: '合川区信访办', note: '访调对接' }),
      async () => transition(cases, shequ, failed, 'dock_dispute', { note: '移交信访部门' })]) {
      clock += day / 8;
      await step();
    }
    clock = realNow().getTime() - 2 * day;
    await dispute('楼上漏水邻里纠纷', '502卫生间漏水，402天花板受损，双方多次协商未果，申请调解。', '130102');
  } finally {
    ctx.now = realNow;
  }
}
