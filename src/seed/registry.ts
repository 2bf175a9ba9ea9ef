// The demo's grid base (人地事物组织) for four communities of 合阳城街道: buildings, houses and rooms
// with their owners and tenants, households and the persons living in them (户籍, 流动, 境外, 留守),
// special-population labels with follow-ups, places, 部件, cameras and sensors, organisations, grid
// staff and party members, and a month of patrols and household visits.
//
// Everything is generated (names, numbers and addresses are made up from a seeded RNG) and goes in
// through the registry's and grid module's own use cases, each input parsed by the API's request
// schema first, as the community's and grid workers' own accounts: validation, sealing of personal
// fields, masks, keyed hashes, region scope and audit rows are exactly what the API produces.
import type { Platform } from '../app.ts';
import type { Actor } from '../platform/auth/actor.ts';
import { getActor } from '../platform/auth/service.ts';
import type { DemoRegion } from '../modules/regions/index.ts';
import {
  createFollowup, createLabel, createPerson, createRecord, createSchema, createTenancy, CREDIT_CODE_ALPHABET, FollowupCreate, kinds, LabelCreate, makeCreditCode,
  makeIdNumber, patchRecord, patchSchema, PersonCreate, registryDeps, TenancyCreate, type KindName,
} from '../modules/registry/index.ts';
import {
  addPartyMember, addPartyService, addStaff, checkIn, CheckIn, createPatrol, createVisit, PartyMemberCreate, PartyServiceCreate,
  PatrolCreate, StaffCreate, tableHouseholds, VisitCreate, type GridDeps,
  pointInPolygon, type Ring,
} from '../modules/regions/index.ts';
import { mulberry32 } from './case-texts.ts';

/** The communities that get a grid base: the demo accounts' own (shequ, wangge) and three more of jiedao's street. */
export const REGISTRY_COMMUNITIES: ReadonlyArray<{ code: string; roads: string[] }> = [
  { code: '500117001005', roads: ['营盘街', '学府路', '南屏巷'] }, // 营盘街社区: shequ, wangge (第1网格)
  { code: '500117001010', roads: ['较场坝路', '文峰街', '久长巷'] }, // 较场坝社区
  { code: '500117001011', roads: ['五尊路', '花园街', '新民巷'] }, // 五尊社区
  { code: '500117001200', roads: [] }, // 马岭村: self-built village houses, 留守人员
];

export interface RegistrySeedCounts {
  communities: number; persons: number; households: number; buildings: number; houses: number; rooms: number; places: number;
  facilities: number; things: number; organisations: number; labels: number; followups: number; staff: number; partyMembers: number;
  patrols: number; visits: number; checkIns: number;
}

// ---------------------------------------------------------------------------------------------
// Made-up people: names, numbers, phones

const SURNAMES = '王李张刘陈杨黄周吴徐罗谭冉向唐何邓彭曾胡袁蒋蔡余杜叶程魏吕丁任沈姚卢钟汪范金石廖贾夏付方白邹孟熊秦邱江尹雷侯龙陶黎贺毛郝龚邵万严汤';
const MALE = '伟强军勇杰涛明超斌波辉刚平建国华林峰磊鹏洪文志俊宇浩成德福海山松民兵春贵远';
const FEMALE = '芳丽娟敏静艳霞燕玲琴红梅英秀兰婷雪倩颖欣怡琳莉萍群凤玉慧佳蓉';
const CHILD_M = ['子轩', '浩宇', '宇航', '俊熙', '梓睿', '一鸣', '思远', '博文', '嘉豪', '天佑'];
const CHILD_F = ['欣怡', '梓涵', '雨桐', '诗琪', '一诺', '可馨', '语嫣', '思雨', '佳怡', '若曦'];
/** Names the browser tests give people they add; the demo leaves them to the tests. */
const RESERVED = new Set(['刘洋', '赵丽', '赵敏', '周建国', '郑伟', '令狐冲', '林平之', '仪琳', '任我行', '岳灵珊', '田伯光', '孙强', '李敏', '王芳', '陈刚']);
/** Where people come from (GB/T 2260): 合川区 for residents, nearby districts and provinces for the floating population. */
const HOME = '500117';
const ORIGINS: Array<[string, string]> = [
  ['511602', '四川省广安市广安区'], ['511623', '四川省广安市邻水县'], ['510903', '四川省遂宁市船山区'], ['500101', '重庆市万州区'],
  ['500230', '重庆市丰都县'], ['500233', '重庆市忠县'], ['520102', '贵州省贵阳市南明区'], ['430102', '湖南省长沙市芙蓉区'],
  ['420102', '湖北省武汉市江岸区'], ['530102', '云南省昆明市五华区'],
];

type Rng = () => number;

class People {
  private ids = new Set<string>();
  private phones = new Set<string>();
  constructor(private rng: Rng) {}
  pick<T>(xs: readonly T[] | string): T { return xs[Math.floor(this.rng() * xs.length)] as T; }
  int(lo: number, hi: number): number { return lo + Math.floor(this.rng() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.rng() < p; }
  name(sex: '1' | '2', surname = this.pick<string>(SURNAMES), child = false): string {
    for (;;) {
      const given = child ? this.pick(sex === '1' ? CHILD_M : CHILD_F)
        : this.chance(0.45) ? this.pick<string>(sex === '1' ? MALE : FEMALE)
          : this.pick<string>(sex === '1' ? MALE : FEMALE) + this.pick<string>(sex === '1' ? MALE : FEMALE);
      const n = surname + given;
      if (!RESERVED.has(n) && given[0] !== given[1]) return n;
    }
  }
  /** A valid 公民身份号码, unique in the demo; sequence numbers below 100 (the browser tests use 100–999). */
  idNumber(region: string, year: number, sex: '1' | '2'): string {
    for (;;) {
      const birth = `${year}${String(this.int(1, 12)).padStart(2, '0')}${String(this.int(1, 28)).padStart(2, '0')}`;
      const seq = this.int(0, 48) * 2 + (sex === '1' ? 1 : 2);
      const id = makeIdNumber(region, birth, seq);
      if (!this.ids.has(id)) { this.ids.add(id); return id; }
    }
  }
  phone(): string {
    for (;;) {
      const p = `1${this.pick(['33', '35', '36', '37', '38', '39', '51', '52', '58', '59', '77', '80', '82', '87', '89', '99'])}${String(this.int(0, 99_999_999)).padStart(8, '0')}`;
      if (!p.endsWith('2222') && !this.phones.has(p)) { this.phones.add(p); return p; }
    }
  }
  date(from: string, to: string): string {
    const a = Date.parse(`${from}T00:00:00Z`), b = Date.parse(`${to}T00:00:00Z`);
    return new Date(a + Math.floor(this.rng() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
  }
}

// ---------------------------------------------------------------------------------------------

interface Person { id: number; name: string; idNumber: string; phone?: string; sex: '1' | '2'; year: number }
interface House { id: number; grid: string; address: string; use: string }

const day = (d: Date) => d.toISOString().slice(0, 10);
const chinaDay = (d: Date) => day(new Date(d.getTime() + 8 * 3600_000));

/**
 * Seeds the grid base of REGISTRY_COMMUNITIES. Deterministic for a given day; does nothing when one
 * of the communities has persons already (seedDemo runs once, on an empty database).
 */
export async function seedRegistry(p: Platform, regions: DemoRegion[], seed = 20261204): Promise<RegistrySeedCounts | null> {
  const { ctx } = p;
  const { db } = ctx;
  const [already] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM person WHERE region_code LIKE $1', [`${REGISTRY_COMMUNITIES[0].code}%`]);
  if (already.n > 0) return null;

  const rng = mulberry32(seed);
  const g = new People(rng);
  const deps = registryDeps(ctx);
  const gridDeps: GridDeps = { ctx, regions: p.regions, reload: p.reload, households: tableHouseholds(db) };
  const now = ctx.now();
  const today = chinaDay(now);
  const year = Number(today.slice(0, 4));
  const n: RegistrySeedCounts = {
    communities: 0, persons: 0, households: 0, buildings: 0, houses: 0, rooms: 0, places: 0, facilities: 0, things: 0,
    organisations: 0, labels: 0, followups: 0, staff: 0, partyMembers: 0, patrols: 0, visits: 0, checkIns: 0,
  };

  const actors = new Map<string, Actor>();
  const as = async (username: string): Promise<Actor> => {
    if (!actors.has(username)) {
      const [u] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [username]);
      actors.set(username, (await getActor(db, Number(u.id)))!);
    }
    return actors.get(username)!;
  };
  // every write: the request schema of the API, then the use case
  const schemas = new Map<KindName, ReturnType<typeof createSchema>>();
  const headPatch = patchSchema(kinds.households);
  const record = async (actor: Actor, kind: KindName, input: Record<string, unknown>) => {
    if (!schemas.has(kind)) schemas.set(kind, createSchema(kinds[kind]));
    const out = await createRecord(deps, actor, kind, schemas.get(kind)!.parse(input) as Record<string, any>);
    (n as any)[kind] += 1;
    return Number(out!.id);
  };
  const person = async (actor: Actor, input: Record<string, unknown>, sex: '1' | '2', yearOfBirth: number): Promise<Person> => {
    const out = await createPerson(deps, actor, PersonCreate.parse(input));
    n.persons++;
    return { id: Number(out.id), name: input.name as string, idNumber: input.idNumber as string, phone: input.phone as string | undefined, sex, year: yearOfBirth };
  };
  const label = async (actor: Actor, who: Person, input: Record<string, unknown>, followups: Array<Record<string, unknown>>) => {
    const l = await createLabel(deps, actor, who.id, LabelCreate.parse(input));
    n.labels++;
    for (const f of followups) {
      await createFollowup(deps, actor, who.id, l.id, FollowupCreate.parse(f));
      n.followups++;
    }
  };
  // the named demo accounts (shequ 刘洋, wangge 赵丽) work in their own community and grid; elsewhere the per-region accounts
  const accountOf = async (named: string, region: string) => {
    const [u] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user WHERE username = $1 AND region_code = $2', [named, region]);
    return as(u.n ? named : named === 'shequ' ? `sq${region}` : `wg${region}`);
  };
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const spot = (grid: DemoRegion): { lat: number; lng: number } => {
    const ring = grid.polygon![0];
    const lngs = ring.map((c) => c[0]), lats = ring.map((c) => c[1]);
    const [x0, x1, y0, y1] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
    for (let i = 0; i < 50; i++) {
      const pt: [number, number] = [x0 + (x1 - x0) * (0.1 + 0.8 * rng()), y0 + (y1 - y0) * (0.1 + 0.8 * rng())];
      if (pointInPolygon(grid.polygon! as Ring[], pt)) return { lng: round6(pt[0]), lat: round6(pt[1]) };
    }
    return { lng: grid.centroid![0], lat: grid.centroid![1] };
  };
  const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);

  // ---- a resident, with the fields a community registers for each population type
  const resident = (sex: '1' | '2', y: number, extra: Record<string, unknown> = {}) => {
    const age = year - y;
    const education = age < 7 ? undefined : age < 13 ? '80' : age < 16 ? '70' : age < 19 ? '60' : g.pick(['71', '61', '44', '31', '21', '21', '14']);
    const occupation = age < 18 ? (age < 3 ? undefined : '学生') : age >= 60 ? g.pick(['退休', '退休', '无业']) : g.pick(OCCUPATIONS);
    return {
      ethnicity: g.chance(0.9) ? '01' : g.pick(['15', '06', '37']),
      maritalStatus: age < 22 ? '10' : age > 72 && g.chance(0.3) ? '30' : g.chance(0.9) ? '20' : g.pick(['10', '40']),
      politicalStatus: age < 14 ? undefined : age < 28 ? g.pick(['03', '13']) : g.chance(0.12) ? '01' : '13',
      religion: '00',
      ...(education ? { education } : {}),
      ...(occupation ? { occupation } : {}),
      ...extra,
    };
  };

  for (const plan of REGISTRY_COMMUNITIES) {
    const community = byCode.get(plan.code);
    if (!community) continue;
    n.communities++;
    const village = plan.roads.length === 0;
    const stem = community.shortName.replace(/(社区|村)$/, '');
    const grids = regions.filter((r) => r.parentCode === plan.code && r.level === 'grid' && r.polygon && r.kind === 'comprehensive');
    const sq = await accountOf('shequ', plan.code);
    const houses: House[] = [];
    const adults: Array<Person & { grid: string; partner?: Person; children: Person[] }> = [];
    const youths: Array<Person & { parent: Person; grid: string }> = [];
    let householdNo = 0;

    // -------- 党组织, enterprises, social organisations: the community's own first
    const g0 = grids[0];
    const committee = await record(sq, 'organisations', {
      regionCode: g0.code, kind: 'party', typeCode: village ? '02' : '01', name: village ? `中共合川区合阳城街道${stem}村总支部委员会` : `中共合川区合阳城街道${stem}社区委员会`,
      members: g.int(60, 180), address: village ? `${stem}村村民委员会` : `${plan.roads[0]}${g.int(1, 30)}号`, establishedOn: g.date('1998-01-01', '2012-12-31'),
      ...spot(g0),
    });
    for (let b = 1; b <= (village ? 2 : 3); b++) {
      await record(sq, 'organisations', {
        parentId: committee, kind: 'party', typeCode: '03', name: village ? `中共${stem}村第${'一二三'[b - 1]}支部委员会` : `中共${stem}社区第${'一二三'[b - 1]}支部委员会`,
        members: g.int(15, 45), establishedOn: g.date('2005-01-01', '2020-12-31'),
      });
    }
    const social = village
      ? [['01', `合川区合阳城街道${stem}村老年协会`], ['04', `${stem}村红白理事会`]]
      : [['01', `合川区${stem}社区志愿者协会`], ['03', `合川区${stem}社区养老服务中心`], ['04', `${stem}社区文艺队`]];
    for (const [typeCode, name] of social) {
      const grid = g.pick(grids);
      const rep = g.pick<'1' | '2'>(['1', '2']);
      await record(sq, 'organisations', {
        regionCode: grid.code, kind: 'social', typeCode, name,
        creditCode: makeCreditCode(typeCode === '03' ? '52' : '51', HOME, `MJ${orgSerial(g)}`),
        employees: g.int(2, 30), establishedOn: g.date('2012-01-01', '2023-12-31'),
        legalRepName: g.name(rep), legalRepIdNumber: g.idNumber(HOME, g.int(1958, 1985), rep), legalRepPhone: g.phone(),
        address: village ? `${stem}村村民委员会` : `${g.pick(plan.roads)}${g.int(1, 120)}号`, ...spot(grid),
      });
    }
    const enterprises: string[] = [];
    for (const [typeCode, industry, hazardous] of village ? VILLAGE_FIRMS : TOWN_FIRMS) {
      const grid = g.pick(grids);
      const brand = g.pick(BRANDS);
      const sole = typeCode === '400';
      const repSex = g.pick<'1' | '2'>(['1', '1', '2']);
      const rep = g.name(repSex);
      const name = sole ? `合川区${village ? `${stem}村` : g.pick(plan.roads)}${rep[0]}记${industry}` : `重庆${brand}${industry}有限公司`;
      enterprises.push(name);
      await record(sq, 'organisations', {
        regionCode: grid.code, kind: 'enterprise', typeCode, name,
        creditCode: makeCreditCode(sole ? '92' : '91', HOME, `MA${orgSerial(g)}`),
        employees: sole ? g.int(1, 6) : g.int(8, 160), hazardousChemicals: hazardous, attentionLevel: hazardous ? '3' : undefined,
        establishedOn: g.date('2008-01-01', '2024-12-31'),
        legalRepName: rep, legalRepIdNumber: g.idNumber(HOME, g.int(1960, 1992), repSex), legalRepPhone: g.phone(),
        ...(sole ? {} : { securityContactName: g.name(g.pick<'1' | '2'>(['1', '2'])), securityContactPhone: g.phone() }),
        address: village ? `${stem}村${g.int(1, 8)}组${g.int(1, 60)}号` : `${g.pick(plan.roads)}${g.int(1, 150)}号`, ...spot(grid),
      });
    }

    // -------- places
    for (const [kind, suffix, attention] of village ? VILLAGE_PLACES : TOWN_PLACES) {
      const grid = g.pick(grids);
      const road = village ? `${stem}村` : g.pick(plan.roads);
      const name = suffix.startsWith('@') ? `${stem}${suffix.slice(1)}` : `${road}${suffix}`;
      await record(sq, 'places', {
        regionCode: grid.code, kind, name, address: village ? `${stem}村${g.int(1, 8)}组${g.int(1, 60)}号` : `${road}${g.int(1, 150)}号`,
        attentionLevel: attention ?? undefined, managerName: g.name(g.pick<'1' | '2'>(['1', '2'])), managerPhone: g.phone(), ...spot(grid),
      });
    }

    for (const [gi, grid] of grids.entries()) {
      const wg = await accountOf('wangge', grid.code);
      const groupNo = gi + 1; // 村民小组

      // -------- buildings and houses (flats in town, self-built houses in the village)
      // (registered with their owner, and tenant when let, once it is known who lives there)
      const gridHouses: Array<{ input: Record<string, unknown>; address: string; use: string }> = [];
      if (village) {
        for (let h = 0; h < 5; h++) {
          const address = `${stem}村${groupNo}组${g.int(1, 80)}号`;
          if (gridHouses.some((x) => x.address === address)) continue;
          const use = h === 4 ? '03' : '01';
          gridHouses.push({ address, use, input: {
            regionCode: grid.code, address, area: g.int(110, 260), useType: use, floor: 1, ...spot(grid),
            ...(g.chance(0.2) ? { hazardTypes: [g.pick(['03', '05'])] } : {}),
            ...(use === '03' ? { note: '全家外出务工，房屋闲置' } : {}),
          } });
        }
      } else {
        for (let b = 0; b < 2; b++) {
          const road = plan.roads[(gi + b) % plan.roads.length];
          const no = g.int(1, 180);
          const floors = g.pick([6, 7, 9, 11, 18, 26, 33]);
          const units = floors > 11 ? g.int(1, 2) : g.int(2, 4);
          const pos = spot(grid);
          const building = await record(sq, 'buildings', {
            regionCode: grid.code, name: `${road}${no}号${b + 1}栋`, code: `${grid.code.slice(-6)}-${b + 1}`, address: `${road}${no}号`,
            useType: floors <= 7 && g.chance(0.5) ? '07' : '01', floors, units, ...pos,
            ...(floors <= 7 && g.chance(0.5) ? { note: '老旧小区，无电梯' } : {}),
          });
          for (let h = 0; h < 3; h++) {
            const unit = g.int(1, units);
            const floor = g.int(1, floors);
            const doorNo = `${floor}0${g.int(1, 4)}`;
            const address = `${road}${no}号${b + 1}栋${unit}单元${doorNo}`;
            if (gridHouses.some((x) => x.address === address)) continue;
            const use = h === 0 && b === 0 ? '02' : g.chance(0.12) ? '03' : g.chance(0.15) ? '02' : '01';
            gridHouses.push({ address, use, input: {
              buildingId: building, address, unitNo: `${unit}单元`, floor, doorNo, area: Math.round((55 + rng() * 85) * 10) / 10, useType: use,
              ...(g.chance(0.08) ? { hazardTypes: [g.pick(['01', '04', '05'])] } : {}),
            } });
          }
        }
      }

      // -------- who lives there
      const landlord = () => ({ ownerName: g.name('1'), ownerIdNumber: g.idNumber(HOME, g.int(1955, 1985), '1'), ownerPhone: g.phone() });
      const house = async (h: (typeof gridHouses)[number], more: Record<string, unknown>) => {
        const id = await record(sq, 'houses', { ...h.input, ...more });
        houses.push({ id, grid: grid.code, address: h.address, use: h.use });
        return id;
      };
      for (const h of gridHouses) {
        const current = `重庆市合川区合阳城街道${h.address}`;
        if (h.use === '03') { await house(h, landlord()); continue; }
        if (h.use === '02') {
          // a let flat: one or two tenants from elsewhere, with their 居住证; the lease and the first tenant on the house
          const origin = g.pick(ORIGINS);
          const surname = g.pick<string>(SURNAMES);
          const who: Array<{ sex: '1' | '2'; y: number; idNumber: string; name: string; phone: string }> = [];
          for (let t = g.int(1, 2); t > 0; t--) {
            const sex: '1' | '2' = !who.length ? g.pick(['1', '2']) : who[0].sex === '1' ? '2' : '1';
            const y = g.int(1978, 2003);
            who.push({ sex, y, idNumber: g.idNumber(origin[0], y, sex), name: g.name(sex, !who.length ? surname : undefined), phone: g.phone() });
          }
          const leaseStart = g.date(day(ago(300)), day(ago(30)));
          const houseId = await house(h, {
            rented: true, rentalUse: '01', tenantCount: who.length, leaseStart, leaseEnd: shiftYears(leaseStart, 1),
            tenantName: who[0].name, tenantIdNumber: who[0].idNumber, tenantPhone: who[0].phone, ...landlord(),
          });
          for (const { sex, y, idNumber, name, phone } of who) {
            const registeredOn = g.date(day(ago(330)), day(ago(20)));
            const tenant = await person(sq, {
              regionCode: grid.code, houseId, populationType: 'floating', idNumber, name, phone,
              nativePlace: origin[0], registeredAddress: `${origin[1]}${g.pick(['新华路', '人民路', '解放路', '建设路'])}${g.int(1, 300)}号`,
              currentAddress: current, householdConsistency: '02',
              details: {
                inflowReason: g.pick(['01', '01', '01', '02', '03', '05']), residenceType: '01', registeredOn,
                permitType: '重庆市居住证', permitNo: `500117${String(g.int(0, 99_999_999)).padStart(8, '0')}`,
                permitExpiresOn: shiftYears(registeredOn, 1), originAddress: origin[1],
              },
              ...resident(sex, y, { employer: g.chance(0.5) ? g.pick(enterprises) : undefined }),
            }, sex, y);
            // 以房管人: each tenant is a registry person with their tenancy of the house
            await createTenancy(deps, sq, houseId, TenancyCreate.parse({ personId: tenant.id, rentalUse: '01', leaseStart, leaseEnd: shiftYears(leaseStart, 1) }));
          }
          continue;
        }
        // an owner-occupied home: a household of registered residents (or left behind, in the village), the head owning the house
        householdNo++;
        const hhNo = `${plan.code.slice(-3)}${String(grid.code.slice(-2))}${String(householdNo).padStart(4, '0')}`;
        const headSex: '1' | '2' = village || g.chance(0.75) ? '1' : '2';
        const surname = g.pick<string>(SURNAMES);
        const yh = village ? g.int(1944, 1962) : g.int(1950, 1992);
        const headWho = { idNumber: g.idNumber(HOME, yh, headSex), name: g.name(headSex, surname), phone: g.phone() };
        const houseId = await house(h, { ownerName: headWho.name, ownerIdNumber: headWho.idNumber, ownerPhone: headWho.phone });
        const household = await record(sq, 'households', { houseId, householdNo: hhNo, kind: 'family', address: current });
        const members: Person[] = [];
        const base = (sex: '1' | '2', y: number, relation: string, extra: Record<string, unknown>) => ({
          houseId, householdId: household, idNumber: relation === '02' ? headWho.idNumber : g.idNumber(HOME, y, sex), nativePlace: HOME, relationToHead: relation,
          registeredAddress: current, currentAddress: current, householdConsistency: '01', ...resident(sex, y), ...extra,
        });
        if (village) {
          // the young adults work in 广东 or 主城; grandparents, wives and children stay
          const shape = g.pick(['elders', 'elders', 'mother_children', 'grandparents_children']);
          const worker = { name: g.name('1', surname), phone: g.phone(), place: g.pick(['广东省东莞市长安镇', '广东省深圳市宝安区', '浙江省宁波市北仑区', '重庆市渝北区', '福建省晋江市']) };
          const lb = (type: string, relationOfWorker: string, difficulties: string) => ({
            leftBehindType: type, healthStatus: type === '03' ? g.pick(['1', '2', '3']) : '1', annualIncome: g.int(6, 30) * 1000,
            familyMemberName: worker.name, familyMemberPhone: worker.phone, familyMemberRelation: relationOfWorker,
            familyMemberWorkAddress: worker.place, difficulties, assistance: g.pick(ASSISTANCE),
          });
          const y1 = yh;
          const head = await person(sq, { populationType: 'left_behind', name: headWho.name, phone: headWho.phone,
            ...base('1', y1, '02', { occupation: '务农', details: lb('03', '20', g.pick(ELDER_NEEDS)) }) }, '1', y1);
          members.push(head);
          if (shape !== 'mother_children') {
            const y2 = y1 + g.int(1, 4);
            members.push(await person(sq, { populationType: 'left_behind', name: g.name('2'),
              ...base('2', y2, '12', { occupation: '务农', details: lb('03', '20', g.pick(ELDER_NEEDS)) }) }, '2', y2));
          }
          if (shape !== 'elders') {
            if (shape === 'mother_children') {
              const ym = g.int(1986, 1995);
              members.push(await person(sq, { populationType: 'left_behind', name: g.name('2'), phone: g.phone(),
                ...base('2', ym, '38', { occupation: '务农', details: lb('02', '11', '丈夫常年在外务工，独自照顾老人和孩子') }) }, '2', ym));
            }
            for (let c = g.int(1, 2); c > 0; c--) {
              const sex = g.pick<'1' | '2'>(['1', '2']);
              const yc = g.int(year - 15, year - 6);
              const kid = await person(sq, { populationType: 'left_behind', name: g.name(sex, surname, true),
                ...base(sex, yc, '40', { details: lb('01', '51', '父母在外务工，由祖辈照顾，学习辅导不足') }) }, sex, yc);
              members.push(kid);
              youths.push({ ...kid, parent: head, grid: grid.code });
            }
          }
        } else {
          const head = await person(sq, { populationType: 'registered', name: headWho.name, phone: headWho.phone,
            ...base(headSex, yh, '02', { details: { householdNo: hhNo } }) }, headSex, yh);
          members.push(head);
          let partner: Person | undefined;
          if (g.chance(0.75)) {
            const ps: '1' | '2' = headSex === '1' ? '2' : '1';
            const yp = Math.min(yh + g.int(-3, 4), year - 22);
            if (householdNo === 7) {
              // a spouse from abroad, registered with their passport (one household in each town community)
              partner = await person(sq, {
                houseId, householdId: household, populationType: 'overseas', idType: '414', idNumber: `E${String(g.int(10_000_000, 99_999_999))}`,
                name: 'NGUYEN THI LAN', sex: ps, birthDate: `${yp}-0${g.int(1, 9)}-1${g.int(0, 9)}`, relationToHead: ps === '2' ? '12' : '11',
                currentAddress: current, ...resident(ps, yp, { ethnicity: undefined, politicalStatus: undefined }),
                details: { foreignSurname: 'NGUYEN', foreignGivenName: 'THI LAN', nationality: 'VNM', visitPurpose: '06', arrivedOn: g.date('2015-01-01', '2020-12-31') },
              }, ps, yp);
            } else {
              partner = await person(sq, { populationType: 'registered', name: g.name(ps), phone: g.chance(0.7) ? g.phone() : undefined,
                ...base(ps, yp, ps === '2' ? '12' : '11', { details: { householdNo: hhNo } }) }, ps, yp);
            }
            members.push(partner);
          }
          const kids: Person[] = [];
          for (let c = yh > 1985 ? g.int(0, 2) : g.int(0, 1); c > 0; c--) {
            const sex = g.pick<'1' | '2'>(['1', '2']);
            const yc = Math.min(yh + g.int(23, 34), year - 1);
            const kid = await person(sq, { populationType: 'registered', name: g.name(sex, surname, yc > year - 20),
              ...base(sex, yc, sex === '1' ? '20' : '30', { details: { householdNo: hhNo } }) }, sex, yc);
            kids.push(kid);
            members.push(kid);
            if (year - yc >= 12 && year - yc <= 18) youths.push({ ...kid, parent: head, grid: grid.code });
          }
          if (yh > 1975 && g.chance(0.2)) {
            const sex = g.pick<'1' | '2'>(['1', '2']);
            const yo = yh - g.int(24, 32);
            members.push(await person(sq, { populationType: 'registered', name: g.name(sex, sex === '1' ? surname : undefined),
              ...base(sex, yo, sex === '1' ? '51' : '52', { details: { householdNo: hhNo } }) }, sex, yo));
          }
          adults.push({ ...head, grid: grid.code, partner, children: kids });
        }
        await patchRecord(deps, sq, 'households', household, headPatch.parse({ headPersonId: members[0].id }) as Record<string, any>);
      }

      // -------- 部件 (codes numbered by the registry), cameras and sensors
      const classes = village ? VILLAGE_FACILITIES : TOWN_FACILITIES;
      const coverIds: number[] = [];
      for (let f = 0; f < 3; f++) {
        const [cls, what, unit] = classes[(gi * 3 + f) % classes.length];
        const road = village ? `${stem}村${groupNo}组` : g.pick(plan.roads);
        const id = await record(sq, 'facilities', {
          regionCode: grid.code, major: cls.slice(0, 2), minor: cls.slice(2), name: `${road}${village ? '' : `${g.int(1, 180)}号`}${what}`,
          state: g.chance(0.1) ? 'damaged' : 'intact', competentUnit: unit, ownerUnit: unit, maintainerUnit: MAINTAINERS[unit] ?? unit,
          address: village ? `${stem}村${groupNo}组` : `${road}${g.int(1, 180)}号旁`, installedOn: g.date('2012-01-01', '2024-12-31'), ...spot(grid),
        });
        if (cls === '0102' || cls === '0103' || cls === '0101') coverIds.push(id);
      }
      if (gi % 2 === 0) {
        const road = village ? `${stem}村` : plan.roads[gi % plan.roads.length];
        await record(sq, 'things', {
          regionCode: grid.code, kind: 'camera', name: `${road}${village ? `${groupNo}组路口` : '路口'}治安监控`,
          deviceCode: `50011700${gi % 4 === 0 ? '00' : '01'}132${String(n.things + 1).padStart(7, '0')}`,
          status: g.chance(0.1) ? 'offline' : 'online', vendor: g.pick(['海康威视', '大华股份', '宇视科技']), model: g.pick(['DS-2CD3T46', 'DH-IPC-HFW2433', 'IPC2124LE']),
          address: `${road}`, installedOn: g.date('2019-01-01', '2025-06-30'), properties: { resolution: '400万像素', project: '雪亮工程' }, ...spot(grid),
        });
      }
      const sensor = village ? ['03', '山坪塘水位计'] : coverIds.length ? ['04', '井盖位移监测'] : ['02', '可燃气体探测器'];
      await record(sq, 'things', {
        regionCode: grid.code, ...(sensor[0] === '04' ? { facilityId: coverIds[0] } : {}),
        kind: 'sensor', sensorType: sensor[0], name: `${village ? `${stem}村${groupNo}组` : g.pick(plan.roads)}${sensor[1]}`,
        deviceCode: `SN-${grid.code.slice(-5)}-${sensor[0]}`, status: g.chance(0.1) ? 'fault' : 'online', vendor: '中移物联网', model: 'NB-IoT',
        installedOn: g.date('2022-01-01', '2025-06-30'), properties: { battery: g.int(40, 100), nbiot: true }, ...spot(grid),
      });

      // -------- grid staff and party members
      const staff: Array<Record<string, unknown>> = [
        gi === 0 && sq.username === 'shequ'
          ? { role: 'grid_leader', userId: sq.id, name: '刘洋', phone: g.phone(), startedOn: '2022-03-01', note: `${community.shortName}党委副书记` }
          : { role: 'grid_leader', name: g.name(g.pick(['1', '2'])), phone: g.phone(), startedOn: g.date('2021-01-01', '2024-06-30'), note: `${community.shortName}两委委员` },
        { role: 'full_time', userId: wg.id, name: wg.username === 'wangge' ? '赵丽' : g.name(g.pick(['1', '2'])), phone: g.phone(), startedOn: g.date('2021-06-01', '2025-03-31') },
      ];
      if (g.chance(0.6)) staff.push({ role: 'part_time', name: g.name(g.pick(['1', '2'])), phone: g.phone(), note: g.pick(['退休教师', '楼栋长兼任', '小区业委会成员', '村民小组长']) });
      if (gi % 2 === 0) staff.push({ role: 'police', name: g.name('1'), phone: g.phone(), note: '合川区公安分局合阳派出所社区民警' });
      if (gi === 0) staff.push({ role: 'instructor', name: g.name(g.pick(['1', '2'])), phone: g.phone(), note: '合阳城街道下沉干部' });
      for (const s of staff) {
        await addStaff(gridDeps, sq, grid.code, StaffCreate.parse(s));
        n.staff++;
      }
      if (gi < 2) {
        const registeredOn = g.date(`${year - 2}-01-01`, day(ago(90)));
        const member = await addPartyMember(gridDeps, sq, grid.code, PartyMemberCreate.parse({
          name: g.name(g.pick(['1', '2'])), branch: village ? `中共${stem}村第一支部委员会` : `中共${stem}社区第${gi === 0 ? '一' : '二'}支部委员会`,
          workplace: g.pick(['合川区人民医院', '合川区实验小学', '合川区税务局', '国网合川供电公司', '退休']), phone: g.phone(), registeredOn,
        }));
        n.partyMembers++;
        await addPartyService(gridDeps, sq, grid.code, member.id, PartyServiceCreate.parse({
          servedOn: g.date(registeredOn, chinaDay(ago(3))), hours: g.pick([1, 1.5, 2, 3]), description: g.pick(PARTY_SERVICES),
        }));
      }

      // -------- a month of grid work: patrols with a GPS track, household visits, today's check-in
      for (let k = 0; k < 2; k++) {
        const start = new Date(Math.min(ago(g.int(1, 20)).getTime(), now.getTime() - 3 * 3600_000));
        start.setUTCHours(g.pick([0, 1, 2, 6, 7]), g.int(0, 59), 0, 0); // 08:00–15:59 China time
        const minutes = g.int(50, 110);
        const track = [];
        for (let t = 0; t <= 10; t++) track.push({ ...spot(grid), at: new Date(start.getTime() + (t / 10) * minutes * 60_000).toISOString() });
        await createPatrol(gridDeps, wg, PatrolCreate.parse({
          startedAt: start.toISOString(), endedAt: new Date(start.getTime() + minutes * 60_000).toISOString(), track,
          note: g.pick(PATROL_NOTES),
        }));
        n.patrols++;
      }
      const refs = [...gridHouses.map((x) => x.address)];
      for (let extra = 0; refs.length < 6; extra++) {
        refs.push(village ? `${stem}村${groupNo}组${g.int(1, 80)}号` : `${plan.roads[gi % plan.roads.length]}${g.int(1, 180)}号${g.int(1, 3)}栋${g.int(1, 2)}单元${g.int(1, 7)}0${g.int(1, 4)}`);
      }
      const monthStart = Date.parse(`${today.slice(0, 8)}01T00:00:00+08:00`);
      for (const [v, ref] of [...new Set(refs)].entries()) {
        // most this month (coverage counts the month so far), a few in the weeks before
        const at = v < 4
          ? new Date(Math.max(now.getTime() - 29 * 86_400_000, monthStart + Math.floor(rng() * Math.max(0, now.getTime() - 60_000 - monthStart))))
          : new Date(now.getTime() - g.int(2, 25) * 86_400_000);
        const result = g.chance(0.15) ? 'not_home' : g.chance(0.12) ? 'issue_found' : 'visited';
        await createVisit(gridDeps, wg, VisitCreate.parse({
          houseRef: ref, gridCode: grid.code, visitedAt: at.toISOString(), result,
          note: result === 'issue_found' ? g.pick(VISIT_ISSUES) : result === 'not_home' ? '家中无人，已留联系卡' : g.pick(VISIT_NOTES),
        }));
        n.visits++;
      }
      await checkIn(gridDeps, wg, CheckIn.parse({ ...spot(grid), accuracy: g.int(5, 30) }));
      n.checkIns++;
    }

    // -------- rooms: one let flat divided into rooms (群租房 under watch)
    if (!village) {
      const flat = houses.find((h) => h.use === '02' && h.grid === grids[grids.length - 1].code) ?? houses.find((h) => h.use === '02')!;
      const origin = g.pick(ORIGINS);
      for (const room of ['A', 'B', 'C']) {
        const sex = g.pick<'1' | '2'>(['1', '2']);
        const y = g.int(1990, 2004);
        const tenant = await person(sq, {
          houseId: flat.id, populationType: 'floating', idNumber: g.idNumber(origin[0], y, sex), name: g.name(sex), phone: g.phone(),
          nativePlace: origin[0], currentAddress: `重庆市合川区合阳城街道${flat.address}${room}室`, householdConsistency: '02',
          details: { inflowReason: '01', residenceType: '01', registeredOn: g.date(`${year - 1}-01-01`, day(ago(30))), originAddress: origin[1] },
          ...resident(sex, y),
        }, sex, y);
        const leaseStart = g.date(day(ago(300)), day(ago(20)));
        await record(sq, 'rooms', {
          houseId: flat.id, name: `${room}室`, area: g.int(9, 18), rented: true, rentalUse: '01', tenantCount: 1,
          leaseStart, leaseEnd: shiftYears(leaseStart, 1), tenantName: tenant.name, tenantIdNumber: tenant.idNumber, tenantPhone: tenant.phone,
        });
      }
    }

    // -------- special populations: labels with their required facts, and the follow-up log
    const grown = adults.filter((a) => year - a.year >= 25 && year - a.year <= 70);
    const take = () => grown.splice(Math.floor(rng() * grown.length), 1)[0];
    const fu = (kind: 'track' | 'assist', method: string, content: string, daysAgo: number, next?: number) => ({
      kind, method, content, occurredAt: ago(daysAgo).toISOString(), ...(next ? { nextDueOn: chinaDay(new Date(now.getTime() + next * 86_400_000)) } : {}),
    });
    const actorFor = async (who: { grid: string }) => as(`wg${who.grid}`);
    if (grown.length >= 4) {
      const a = take();
      const released = g.date(`${year - 3}-01-01`, `${year - 1}-06-30`);
      await label(await actorFor(a), a, {
        type: 'released_prisoner', attentionLevel: '1', startedOn: released,
        fields: { releasedOn: released, isRecidivist: false, originalCharge: g.pick(['盗窃罪', '故意伤害罪', '诈骗罪']), originalSentence: `有期徒刑${g.pick(['一', '二', '三'])}年`,
          prison: g.pick(['重庆市永川监狱', '重庆市渝州监狱']), riskAssessment: '低', handoverOn: released, placementStatus: '01', placementOn: shiftDays(released, 45),
          helpAndEducation: '社区帮教小组每月谈心一次，协助办理就业登记。' },
      }, [fu('assist', 'visit', '上门走访，了解就业和家庭情况，本人在物流公司上班，情绪稳定。', 40, 0), fu('track', 'phone', '电话回访，近期无异常。', 8, 25)]);
      const b = take();
      const start = g.date(day(ago(200)), day(ago(60)));
      await label(await actorFor(b), b, {
        type: 'community_correction', attentionLevel: '2', startedOn: start,
        fields: { correctionNo: `HCJZ${year - 1}${String(g.int(1, 300)).padStart(4, '0')}`, correctionCategory: '2', charge: '危险驾驶罪',
          originalSentence: '拘役四个月，缓刑八个月', correctionStartOn: start, correctionEndOn: shiftDays(start, 240), hasCorrectionGroup: true, absconded: false, reoffended: false },
      }, [fu('track', 'meeting', '参加司法所组织的集中教育学习，按时报到。', 20, 10)]);
      const c = take();
      const guardian = c.partner ?? c;
      await label(await actorFor(c), c, {
        type: 'severe_mental_disorder', attentionLevel: '2',
        fields: { diagnosis: g.pick(['01', '04']), riskLevel: g.int(0, 2), firstOnsetOn: g.date('2008-01-01', '2018-12-31'), incidentHistory: false,
          treatment: '规律服药', hospital: '重庆市合川区人民医院', lowIncomeSupport: g.chance(0.5), managementLevel: '基础管理',
          ...(guardian !== c ? { guardianName: guardian.name, guardianRelation: '10', ...(guardian.phone ? { guardianPhone: guardian.phone } : {}) } : {}) },
      }, [fu('assist', 'visit', '会同社区医生上门随访，服药规律，病情稳定；提醒监护人按时领药。', 25, 5)]);
      if (rng() < 0.5) {
        const d = take();
        await label(await actorFor(d), d, {
          type: 'petitioner', attentionLevel: '1',
          fields: { issue: g.pick(PETITIONS), firstPetitionOn: g.date(`${year - 2}-01-01`, `${year - 1}-06-30`), lastPetitionOn: day(ago(g.int(30, 90))),
            petitionCount: g.int(2, 6), highestLevel: '1', collective: false, resolved: false, responsibleLeader: '合阳城街道党工委副书记' },
        }, [fu('track', 'visit', '街道、社区联合接访，解释相关政策，当事人表示等待处理结果。', 15)]);
      } else {
        const d = take();
        await label(await actorFor(d), d, {
          type: 'drug_user', attentionLevel: '2',
          fields: { firstFoundOn: g.date('2015-01-01', '2020-12-31'), controlStatus: '05', helperName: '社区禁毒专干', hasCriminalRecord: false },
        }, [fu('track', 'visit', '开展尿检，结果阴性；本人在家具厂务工。', 35)]);
      }
    }
    // 重点青少年: a teenager in town, 留守儿童 in the village; the guardian's name and phone are sealed with the label
    for (const kid of youths.slice(0, village ? 2 : 1)) {
      const parent = kid.parent;
      await label(await as(`wg${kid.grid}`), kid, {
        type: 'key_youth', attentionLevel: '1',
        fields: village
          ? { youthTypes: ['05'], familySituation: '父母在外务工，随祖辈生活', guardianRelation: '61', guardianName: parent.name,
            ...(parent.phone ? { guardianPhone: parent.phone } : {}), helperName: '村妇联主席', helpMethod: '“代理家长”结对' }
          : { youthTypes: ['01'], familySituation: '父母离异，随父亲生活', guardianRelation: parent.sex === '1' ? '51' : '52', guardianName: parent.name,
            ...(parent.phone ? { guardianPhone: parent.phone } : {}), helperName: '社区团支部书记', helpMethod: '结对帮扶' },
      }, [village
        ? fu('assist', 'visit', '“代理家长”上门陪伴，检查作业，送去冬季衣物。', 6, 30)
        : fu('assist', 'visit', '联系学校班主任了解在校情况，安排大学生志愿者周末课业辅导。', 12, 30)]);
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------

function round6(x: number): number { return Math.round(x * 1e6) / 1e6; }
function shiftDays(d: string, days: number): string { return new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10); }
function shiftYears(d: string, years: number): string {
  const [y, m, dd] = d.split('-').map(Number);
  return `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(dd, 28)).padStart(2, '0')}`;
}
function orgSerial(g: People): string {
  let s = '';
  for (let i = 0; i < 7; i++) s += g.pick<string>(CREDIT_CODE_ALPHABET);
  return s;
}

const OCCUPATIONS = ['个体经营', '公司职员', '教师', '护士', '建筑工人', '快递员', '外卖骑手', '餐饮服务员', '出租车司机', '超市店员', '物业保安', '灵活就业', '公务员', '医生', '会计'];
const BRANDS = ['合顺', '鑫达', '嘉陵', '钓城', '瑞丰', '宏远', '渝合', '三江', '涪州', '久长', '文峰', '兴川'];
/** [enterprise_type, what, hazardous chemicals] */
const TOWN_FIRMS: Array<[string, string, boolean]> = [
  ['150', '物业管理', false], ['170', '商贸', false], ['400', '小面馆', false], ['400', '便利店', false], ['150', '液化气供应', true],
];
const VILLAGE_FIRMS: Array<[string, string, boolean]> = [['170', '农业开发', false], ['400', '农家乐', false], ['400', '小卖部', false]];
/** [place_type, name (after the road; '@' after the community stem), attention level] */
const TOWN_PLACES: Array<[string, string, string | null]> = [
  ['02', '@社区幼儿园', null], ['04', '生活超市', null], ['07', '极速网吧', '2'], ['05', '悦来宾馆', '2'], ['09', '老火锅', null],
  ['12', '@社区养老服务站', null], ['11', '农贸市场', null],
];
const VILLAGE_PLACES: Array<[string, string, string | null]> = [['99', '村卫生室', null], ['12', '村互助养老点', null], ['09', '村便民小卖部', null], ['01', '村小学', null]];
/** [class (大类+小类), name, competent unit] */
const TOWN_FACILITIES: Array<[string, string, string]> = [
  ['0117', '路灯', '合川区城市管理局'], ['0126', '消火栓', '合川区供排水公司'], ['0302', '垃圾箱', '合川区城市管理局'], ['0102', '污水井盖', '合川区供排水公司'],
  ['0207', '公交站亭', '合川区交通局'], ['0103', '雨水井盖', '合川区供排水公司'], ['0403', '行道树', '合川区城市管理局'], ['0122', '健身设施', '合川区体育局'],
  ['0501', '宣传栏', '合阳城街道办事处'], ['0301', '公共厕所', '合川区城市管理局'],
];
const VILLAGE_FACILITIES: Array<[string, string, string]> = [
  ['0117', '路灯', '合阳城街道办事处'], ['0302', '垃圾箱', '合阳城街道办事处'], ['0501', '宣传栏', '合阳城街道办事处'], ['0122', '健身设施', '合川区体育局'],
  ['0101', '上水井盖', '合川区供排水公司'], ['0603', '视频监控设施', '合川区公安分局'],
];
const MAINTAINERS: Record<string, string> = {
  合川区城市管理局: '合川区环卫所', 合川区供排水公司: '合川区供排水公司管网所', 合川区交通局: '合川区公交公司',
};
const ELDER_NEEDS = ['子女在外务工，老两口独居，行动不便', '患高血压，需定期测量血压、送药上门', '年老体弱，农忙时缺少劳力', '耳背，电话联系困难，需上门'];
const ASSISTANCE = ['每周电话问候一次，每月上门走访', '已纳入“邻里守望”结对，志愿者定期探访', '协助办理高龄津贴和医保报销', '村医每月上门测血压'];
const PARTY_SERVICES = ['参加小区环境卫生整治志愿服务', '为独居老人代购生活用品', '协助网格员开展反诈宣传', '参与文明交通劝导', '为社区居民义务理发'];
const PATROL_NOTES = ['日常巡查：背街小巷环境卫生、消防通道', '重点检查出租屋和九小场所消防安全', '雨后巡查排水沟、边坡和危旧房', '夜间巡查：路灯、治安防控点位', '巡查沿街店铺占道经营情况'];
const VISIT_NOTES = ['了解家庭近况，宣传反诈知识', '核对实有人口信息，无变化', '宣传燃气安全和电动车规范充电', '走访独居老人，身体状况良好', '收集居民对小区停车的意见'];
const VISIT_ISSUES = ['楼道堆放杂物，已提醒清理', '电动车在楼道内充电，已劝导', '厨房燃气软管老化，建议更换', '反映楼上漏水，已转物业处理'];
const PETITIONS = ['对老旧小区改造中加装电梯的费用分摊有异议', '反映原单位拖欠工资，要求协调解决', '对宅基地界址纠纷调处结果不满意'];
