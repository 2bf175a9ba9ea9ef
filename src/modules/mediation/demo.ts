// The demo city's mediation bodies: the district's and the first street's 矛调中心, and a 品牌调解室 in the
// first community with its mediators (one 金牌), so that a demo mediator can route a dispute at once.
import type { Queryable } from '../../platform/db/index.ts';
import type { PersonalDataCipher } from '../../platform/crypto.ts';
import { maskPhone } from '../../platform/crypto.ts';

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
